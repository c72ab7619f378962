// Build-time preparation of the Python side of the checker (called by build_assets.sh).
//
//   node site_src/pyodide_prepare.mjs PYODIDE_DIR WHEEL CASES_JSON OUT_DIR
//
// Runs the stock npm Pyodide under Node, so everything below is done by the very
// interpreter the browser runs (Python 3.14 of Pyodide: same bytecode magic number; no
// CPython 3.14 is needed on the build machine). It writes into OUT_DIR:
//
//   python_stdlib.zip  the standard library the checker loads instead of the stock one:
//     - modules imported while Pyodide boots, installs the ruleset wheel, imports every
//       ruleset module and answers the api calls on the sample cases (every test vector,
//       the examples, faulty inputs): precompiled .pyc (sourceless, unchecked-hash), so
//       the browser does not compile them at start-up;
//     - a few codecs, which are imported by name at run time: kept as .py source;
//     - everything else (never imported by the checker), and the modules of LEFT_OUT in
//       prepare_zip.py (imported while Pyodide boots where their absence is provided for): left
//       out. The Pyodide parity
//       test runs every vector on exactly this standard library and wheel, so a module
//       some path needs and the samples missed fails the tests, not the reader.
//   ruleset wheel      the same wheel with its .py files precompiled to .pyc (RECORD updated).
//   prepare.json       how many modules were kept how, for the build log.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { preparePyodide } from "./prepare_pyodide.mjs";

const [pyodideDir, wheelPath, casesPath, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: node pyodide_prepare.mjs PYODIDE_DIR WHEEL CASES_JSON OUT_DIR");
  process.exit(2);
}
const py = await preparePyodide(pyodideDir);
py.FS.writeFile("/prep/wheel.whl", readFileSync(wheelPath));
py.FS.writeFile("/prep/cases.json", readFileSync(casesPath));
// The wheel is installed the way the browser installs it (loadPackage), so the package
// loader's own imports are observed too. (Under Node, a local path is read from disk.)
await py.loadPackage(path.resolve(wheelPath), { messageCallback: () => {}, errorCallback: (s) => console.error(s) });

const report = py.runPython(`
import importlib, json, pkgutil, sys, zipfile
sys.path.insert(0, "/prep")
from prepare_zip import entry, left_out, precompile_wheel, pyc, sources_in

import ruleset, ruleset.api as api
for m in pkgutil.walk_packages(ruleset.__path__, "ruleset."):
    if m.name.split(".")[1] not in ("compile", "cli", "__main__"):
        importlib.import_module(m.name)
api.schema_json(); api.metadata_json()
for case in json.load(open("/prep/cases.json", encoding="utf-8")):
    api.check_json(case)

STDLIB = "/lib/python%d%d.zip" % sys.version_info[:2]
stock = zipfile.ZipFile(STDLIB)
names = {i.filename: i for i in stock.infolist()}

source_of = sources_in(names)

used = {m for m in list(sys.modules) if source_of(m) and not left_out(m)}
reachable = set()
# Codecs are imported by name at run time (encodings.search_function): keep the common ones.
CODECS = ("ascii", "latin_1", "utf_8", "utf_8_sig", "utf_16", "utf_16_be", "utf_16_le", "utf_32",
          "utf_32_be", "utf_32_le", "unicode_escape", "raw_unicode_escape", "idna", "punycode",
          "charmap", "cp437", "base64_codec", "hex_codec", "aliases")
reachable |= {"encodings." + c for c in CODECS if source_of("encodings." + c)}
# A module's parent packages must be there too.
for m in list(used | reachable):
    parts = m.split(".")
    for i in range(1, len(parts)):
        parent = ".".join(parts[:i])
        if source_of(parent):
            reachable.add(parent)

kept_files = {source_of(m): ("pyc" if m in used else "py") for m in used | reachable}
out = zipfile.ZipFile("/prep/python_stdlib.zip", "w", compresslevel=9)
dirs = set()
for name, how in sorted(kept_files.items()):
    parts = name.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        d = "/".join(parts[:i]) + "/"
        if d not in dirs:
            dirs.add(d)
            out.writestr(entry(d, names.get(d)), b"")
    data = stock.read(name)
    if how == "pyc":
        out.writestr(entry(name[:-3] + ".pyc", names[name]), pyc(data, STDLIB + "/" + name))
    else:
        out.writestr(entry(name, names[name]), data)
out.close()

# The wheel, precompiled: each ruleset/*.py becomes a sourceless .pyc where it was.
precompile_wheel("/prep/wheel.whl", "/prep/out.whl")

json.dumps({
    "precompiled": len(used), "source": len(reachable - used),
    "left_out": sum(1 for n in names if n.endswith(".py")) - len(kept_files),
})
`);
writeFileSync(path.join(outDir, "python_stdlib.zip"), py.FS.readFile("/prep/python_stdlib.zip"));
writeFileSync(path.join(outDir, path.basename(wheelPath)), py.FS.readFile("/prep/out.whl"));
writeFileSync(path.join(outDir, "prepare.json"), `${report}\n`);
