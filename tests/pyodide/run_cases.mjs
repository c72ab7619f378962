// Run cases through the ruleset wheel inside real Pyodide under Node.
// usage: node run_cases.mjs WHEEL CASES_JSON [--repeat N] [--index DIR --stdlib ZIP]
//   CASES_JSON holds a JSON array of case texts; prints a JSON array of result texts
//   (ruleset.api.check_json), or with --repeat N a timing line {"cases_per_second": ...}.
//   --index/--stdlib: boot the runtime the site serves (its directory and its standard
//   library) instead of the npm package's stock one.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "..", "package.json"));
const { loadPyodide } = require("pyodide");

const [wheel, casesPath, ...rest] = process.argv.slice(2);
const opt = (name) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
const cases = JSON.parse(readFileSync(casesPath, "utf8"));
const index = opt("--index");
const load = index ? (await import(path.resolve(index, "pyodide.mjs"))).loadPyodide : loadPyodide;
const pyodide = await load({
  ...(index ? { indexURL: path.resolve(index) + "/" } : {}),
  ...(opt("--stdlib") ? { stdLibURL: path.resolve(opt("--stdlib")) } : {}),
  stdout: () => {},
  stderr: (s) => process.stderr.write(s + "\n"),
});
pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel");
const checkJson = pyodide.runPython("from ruleset.api import check_json; check_json");

if (opt("--repeat")) {
  const repeat = Number(opt("--repeat"));
  checkJson(cases[0]); // warm up
  const start = performance.now();
  for (let i = 0; i < repeat; i++) checkJson(cases[i % cases.length]);
  const seconds = (performance.now() - start) / 1000;
  process.stdout.write(JSON.stringify({ cases_per_second: repeat / seconds, seconds, repeat }) + "\n");
} else {
  const out = cases.map((c) => checkJson(c));
  process.stdout.write(JSON.stringify(out));
}
