"""The site's generated sources, written before the site generator runs.

`python -m site_src.generate` (the Makefile's `generate`, part of `make build`)
renders the Jinja2 templates of site_src/templates/ with the view models of
`model.py` (rule reference, changes) and `case_format.py` (案例格式) from the rule
bundle and the case vocabulary, and writes plain Markdown and JSON:

- docs/reference/<region>.md, docs/changes/qinghai.md, docs/case-format.md
- docs/schema/case.schema.json (what `python -m ruleset schema` prints), and
  docs/schema/result.schema.json once `ruleset.schema.result_schema()` exists
- site_src/generated/snippets/regions-table.md (included by docs/index.md)
- site_src/generated/checker/schema.json and metadata.json (the checker's form
  renders from them before Pyodide has booted)

All of these are git-ignored; the site generator only renders Markdown and copies
files. Nothing here imports MkDocs.
"""
