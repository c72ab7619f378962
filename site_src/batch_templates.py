"""The batch page's empty templates, written at build time by site_src/build_assets.sh:

    python site_src/batch_templates.py OUT_DIR

OUT_DIR/template.xlsx, template.csv and guide.csv are what `python -m ruleset batch --template`
writes (ruleset.batch: the columns come from case.yaml), served at assets/batch/. The .xlsx is
made reproducible (fixed zip timestamps and document dates), so an unchanged build leaves the
offline cache's version alone.
"""
from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from ruleset.batch import guide_csv, template_csv, template_xlsx

FIXED = (1980, 1, 1, 0, 0, 0)
_DATE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def reproducible_xlsx(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "docProps/core.xml":
                body = _DATE.sub(rb"\g<1>1980-01-01T00:00:00Z\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, body)
    return out.getvalue()


def write(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    files = {"template.xlsx": reproducible_xlsx(template_xlsx()), "template.csv": template_csv(),
             "guide.csv": guide_csv()}
    for name, data in files.items():
        path = out / name
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)


if __name__ == "__main__":
    write(Path(sys.argv[1]))
