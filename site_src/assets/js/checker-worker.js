// Module Web Worker of the self-service checker: boots Pyodide once, loads the
// ruleset wheel registered in the site's own pyodide-lock.json and answers
// JSON-string calls to ruleset.api. Every URL is on the site's own origin.
//
// Protocol (main thread -> worker):
//   {id, method: "init", indexURL, lockFileURL}
//   {id, method: "check_json" | "schema_json" | "metadata_json", arg?: string}
// Worker -> main thread:
//   {type: "stage", stage: "runtime" | "rules" | "ready", ms}
//   {type: "reply", id, ok: true, value: string} | {type: "reply", id, ok: false, error: string}

let api = null;
let booting = null;
const t0 = performance.now();

function stage(name, extra = {}) {
  self.postMessage({ type: "stage", stage: name, ms: Math.round(performance.now() - t0), ...extra });
}

async function boot(indexURL, lockFileURL) {
  stage("runtime");
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const pyodide = await loadPyodide({
    indexURL,
    lockFileURL,
    // Python's own prints are not for the page console.
    stdout: () => {},
    stderr: (line) => self.postMessage({ type: "log", line }),
  });
  stage("rules");
  const problems = [];
  await pyodide.loadPackage("ruleset", {
    messageCallback: () => {},
    errorCallback: (line) => problems.push(line),
    checkIntegrity: true,
  });
  // loadPackage reports a failed download through errorCallback, not by throwing.
  if (problems.length) throw new Error(problems.join("\n"));
  const mod = pyodide.pyimport("ruleset.api");
  // Warm up (imports, bundle parsing) before declaring the engine ready.
  mod.check_json('{"region": null, "activities": []}');
  api = mod;
  stage("ready", { python: pyodide.runPython("import sys; sys.version.split()[0]") });
}

const METHODS = new Set(["check_json", "schema_json", "metadata_json"]);

self.onmessage = async (event) => {
  const msg = event.data || {};
  const reply = (payload) => self.postMessage({ type: "reply", id: msg.id, ...payload });
  try {
    if (msg.method === "init") {
      booting ??= boot(msg.indexURL, msg.lockFileURL);
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
    reply({ ok: false, error: String((err && err.message) || err) });
  }
};
