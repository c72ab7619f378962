// What the build's two preparation scripts (pyodide_prepare.mjs, batch_prepare.mjs) share on the
// JavaScript side: the stock npm Pyodide under Node, with their shared Python helpers
// (prepare_zip.py) at /prep, the directory they work in.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export async function preparePyodide(pyodideDir) {
  const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
  const py = await loadPyodide({
    indexURL: `${path.resolve(pyodideDir)}/`,
    stdout: () => {},
    stderr: (s) => console.error(s),
  });
  py.FS.mkdirTree("/prep");
  py.FS.writeFile("/prep/prepare_zip.py", readFileSync(new URL("prepare_zip.py", import.meta.url)));
  return py;
}
