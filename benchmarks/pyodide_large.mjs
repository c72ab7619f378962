// One large case through ruleset.api.check_json inside Pyodide under Node (make bench).
// usage: node pyodide_large.mjs WHEEL CASE_JSON
// Prints {"seconds", "python_seconds", "activities", "errors", "peak_kb", "python_peak_kb"}: the time
// of one check_json as JavaScript calls it (the case's text handed to Python, the result's text
// handed back as a JS string), after a warm-up on a small case; the part of it spent in Python;
// the rows and errors of its answer; and this process's peak resident memory (VmHWM: the Node heap
// and Pyodide's WebAssembly memory together), at the end and before the result was handed back.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "package.json"));
const { loadPyodide } = require("pyodide");

const [wheel, casePath] = process.argv.slice(2);
const pyodide = await loadPyodide({ stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") });
pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel");
const timed = pyodide.runPython(`
import time
from ruleset.api import check_json

def timed(text):
    start = time.perf_counter()
    answer = check_json(text)
    return answer, time.perf_counter() - start
timed`);
const peak = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))[1]);
timed('{"region": "qinghai", "activities": [{"kind": "training", "year": 2022, "days": 1}]}').destroy();

const text = readFileSync(casePath, "utf8");
const start = performance.now();
const pair = timed(text);
const pythonSeconds = pair.get(1);
const pythonPeak = peak();
const answer = pair.get(0);  // the Python str becomes a JS string here
const seconds = (performance.now() - start) / 1000;
pair.destroy();
const result = JSON.parse(answer);
process.stdout.write(JSON.stringify({ seconds, python_seconds: pythonSeconds, activities: result.activities.length,
                                      errors: result.errors.length, peak_kb: peak(), python_peak_kb: pythonPeak }) + "\n");
