// Build-time preparation of the batch page's Python side (called by build_assets.sh, after
// pyodide_prepare.mjs has made the checker's).
//
//   node site_src/batch_prepare.mjs PYODIDE_DIR RULESET_WHEEL CHECKER_STDLIB SAMPLES_DIR OUT_DIR WHEEL...
//
// Runs the stock npm Pyodide under Node (the Python the browser runs), installs the ruleset wheel
// and the batch's wheels (openpyxl, et_xmlfile) the way the browser does (loadPackage), and drives
// ruleset.batch.page over every file of SAMPLES_DIR exactly as the page's workers do: open,
// check in two workers' chunks, the problems, a case, both exports. It writes into OUT_DIR:
//
//   batch_modules.zip  what the batch page needs of the standard library beyond the checker's
//     (CHECKER_STDLIB): the modules imported above that it lacks, precompiled, and the Chinese
//     codecs the reader may name at run time (gb18030 and kin) as source, under their own paths
//     (xml/…, encodings/…). The page's worker boots with the checker's standard library and puts
//     this zip on sys.path (and on encodings.__path__); the service worker stores both, so after
//     one visit the page works offline (the stock python_stdlib.zip is not stored).
//   batch_modules.json what it holds, for the build log.
//   each WHEEL         with its .py files precompiled to .pyc where they were (RECORD updated).
// tests/test_batch_stdlib.py runs the batch on exactly what the site serves (and the browser tests the page).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { preparePyodide } from "./prepare_pyodide.mjs";

const [pyodideDir, rulesetWheel, checkerStdlib, samplesDir, outDir, ...wheels] = process.argv.slice(2);
if (!wheels.length) {
  console.error("usage: node batch_prepare.mjs PYODIDE_DIR RULESET_WHEEL CHECKER_STDLIB SAMPLES_DIR OUT_DIR WHEEL...");
  process.exit(2);
}
const py = await preparePyodide(pyodideDir);
py.FS.mkdirTree("/prep/samples");
py.FS.mkdirTree("/prep/wheels");
py.FS.writeFile("/prep/checker_stdlib.zip", readFileSync(checkerStdlib));
for (const name of readdirSync(samplesDir)) {
  py.FS.writeFile(`/prep/samples/${name}`, readFileSync(path.join(samplesDir, name)));
}
for (const wheel of wheels) py.FS.writeFile(`/prep/wheels/${path.basename(wheel)}`, readFileSync(wheel));
const opts = { messageCallback: () => {}, errorCallback: (s) => console.error(s) };
await py.loadPackage(path.resolve(rulesetWheel), opts);
for (const wheel of wheels) await py.loadPackage(path.resolve(wheel), opts);

const report = py.runPython(`
import json, os, sys, zipfile
sys.path.insert(0, "/prep")
from prepare_zip import entry, left_out, precompile_wheel, pyc, sources_in

import ruleset.api as api
from ruleset.batch import page

api.check_json('{"region": null, "activities": []}')
page.prepare()
for name in sorted(os.listdir("/prep/samples")):
    data = open("/prep/samples/" + name, "rb").read()
    # two workers' pages on one file, as the page runs them (site_src/js/batch/pool.js)
    batch, helper = (page.start(data, "https://example.org/ce/", lambda *args: None) for _ in range(2))
    if isinstance(batch, str):  # unreadable: the reason
        continue
    half = batch.total // 2
    batch.check(0, half)
    others = json.dumps([json.loads(helper.check(half, helper.total))["problems"]])
    batch.view_problems(others)
    if batch.total:
        batch.cases_json("[0]")
    parts = [helper.rendered()]
    batch.export_xlsx(parts)
    batch.export_csv(parts)

STDLIB = "/lib/python%d%d.zip" % sys.version_info[:2]
stock = zipfile.ZipFile(STDLIB)
names = {i.filename: i for i in stock.infolist()}
checker = zipfile.ZipFile("/prep/checker_stdlib.zip")
have = set(checker.namelist())

source_of = sources_in(names)

def kept(name):
    return name in have or name[:-3] + ".pyc" in have

used = {m for m in list(sys.modules) if source_of(m) and not kept(source_of(m)) and not left_out(m)}
# Codecs the reader names at run time (sources.detect_encoding): the Chinese ones, as source.
CODECS = ("gb18030", "gbk", "gb2312", "utf_16", "utf_16_le", "utf_16_be")
codecs = {"encodings." + c for c in CODECS if source_of("encodings." + c) and not kept(source_of("encodings." + c))}
for m in list(used | codecs):
    parts = m.split(".")
    for i in range(1, len(parts)):
        parent = ".".join(parts[:i])
        if source_of(parent) and not kept(source_of(parent)):
            used.add(parent)

files = {}
for m in sorted(used | codecs):
    name = source_of(m)
    parts = name.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        d = "/".join(parts[:i]) + "/"
        if d not in files:
            files[d] = (b"", entry(d, names.get(d)))
    data = stock.read(name)
    if m in used:
        files[name[:-3] + ".pyc"] = (pyc(data, STDLIB + "/" + name), entry(name[:-3] + ".pyc", names[name]))
    else:
        files[name] = (data, entry(name, names[name]))
out = zipfile.ZipFile("/prep/batch_modules.zip", "w", compresslevel=9)
for name in sorted(files):
    data, info = files[name]
    out.writestr(entry(name, info), data)
out.close()

# The batch's wheels, precompiled: each .py becomes a sourceless .pyc where it was.
for wheel in sorted(os.listdir("/prep/wheels")):
    precompile_wheel("/prep/wheels/" + wheel, "/prep/out-" + wheel)

json.dumps({"precompiled": len(used), "source": len(codecs), "modules": sorted(used | codecs)})
`);
writeFileSync(path.join(outDir, "batch_modules.zip"), py.FS.readFile("/prep/batch_modules.zip"));
for (const wheel of wheels) {
  const name = path.basename(wheel);
  writeFileSync(path.join(outDir, name), py.FS.readFile(`/prep/out-${name}`));
}
writeFileSync(path.join(outDir, "batch_modules.json"), `${report}\n`);
