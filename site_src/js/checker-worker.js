// Module Web Worker of the self-service checker: boots Pyodide once, loads the
// ruleset wheel registered in the site's own pyodide-lock.json and answers
// JSON-string calls to ruleset.api. Every URL is on the site's own origin.
// Served bundled with Pyodide's pyodide.mjs (site_src/hooks/checker.py: worker_bundle).
//
// Protocol (main thread -> worker):
//   {id, method: "init", indexURL, lockFileURL, stdLibURL?, firstCase?: string}
//   {id, method: "check_json" | "schema_json" | "metadata_json", arg?: string}
// Worker -> main thread:
//   {type: "stage", stage: "runtime" | "rules" | "ready", ms}; "ready" also carries
//     first: {case, value} (check_json of firstCase) when init had one
//   {type: "reply", id, ok: true, value: string} | {type: "reply", id, ok: false, error: string}

let api = null;
let booting = null;
const t0 = performance.now();

function stage(name, extra = {}) {
  self.postMessage({ type: "stage", stage: name, ms: Math.round(performance.now() - t0), ...extra });
}

async function boot({ indexURL, lockFileURL, stdLibURL, firstCase }) {
  stage("runtime");
  // As served, this file has pyodide.mjs bundled in front of it (site_src/hooks/checker.py):
  // no fetch of pyodide.mjs before the runtime's own downloads start.
  const loadPyodide =
    typeof bundledLoadPyodide === "function"
      ? bundledLoadPyodide // declared by pyodide.mjs in front of this file
      : (await import(new URL("pyodide.mjs", indexURL).href)).loadPyodide;
  const problems = [];
  const pyodide = await loadPyodide({
    indexURL,
    lockFileURL,
    // The checker's own standard library (precompiled and trimmed by
    // site_src/build_assets.sh); the stock python_stdlib.zip when there is none.
    ...(stdLibURL ? { stdLibURL } : {}),
    // The wheel downloads while the runtime boots (not in a loadPackage afterwards).
    packages: ["ruleset"],
    // Python's own prints are not for the page console.
    stdout: () => {},
    stderr: (line) => {
      problems.push(line);
      self.postMessage({ type: "log", line });
    },
  });
  stage("rules");
  // A failed package download is reported, not thrown: check that the package is there.
  if (!pyodide.loadedPackages.ruleset) throw new Error(problems.join("\n") || "ruleset package not loaded");
  const mod = pyodide.pyimport("ruleset.api");
  // Before declaring the engine ready: the saved case's result if the page sent one (the
  // page uses it if the form still holds that case), else an empty case (imports, bundle).
  const first = firstCase ? { case: firstCase, value: String(mod.check_json(firstCase)) } : null;
  if (!first) mod.check_json('{"region": null, "activities": []}');
  api = mod;
  stage("ready", { python: pyodide.runPython("import sys; sys.version.split()[0]"), first });
}

const METHODS = new Set(["check_json", "schema_json", "metadata_json"]);

self.onmessage = async (event) => {
  const msg = event.data || {};
  const reply = (payload) => self.postMessage({ type: "reply", id: msg.id, ...payload });
  try {
    if (msg.method === "init") {
      booting ??= boot(msg);
      await booting;
      reply({ ok: true, value: "" });
      return;
    }
    if (!METHODS.has(msg.method)) throw new Error(`unknown method ${msg.method}`);
    if (!api) {
      if (!booting) throw new Error("not initialised");
      await booting;
    }
    const fn = api[msg.method];
    const value = msg.method === "check_json" ? fn(String(msg.arg)) : fn();
    reply({ ok: true, value: String(value) });
  } catch (err) {
    reply({ ok: false, error: String(err?.message || err) });
  }
};
