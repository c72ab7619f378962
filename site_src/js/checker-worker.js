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
//   A failed init replies ok: false with the error and every failed download (URL, status).

let api = null;
let booting = null;
const t0 = performance.now();

// What Pyodide does not report. A failed download is named for the technical detail: the
// URL and the status (or the network error). A failed WebAssembly compile (pyodide.asm.wasm
// aborted or answered with an error) is only logged by Pyodide, whose boot then waits for
// ever: every compile is watched, and its failure ends the boot at once.
const failedDownloads = [];
let bootFailed;
const wasmFailure = new Promise((_, reject) => {
  bootFailed = reject;
});
wasmFailure.catch(() => {}); // observed by boot() through Promise.race
const nativeFetch = self.fetch.bind(self);
self.fetch = (input, init) => {
  const url = typeof input === "string" ? input : input instanceof Request ? input.url : String(input);
  const download = nativeFetch(input, init).then(
    (response) => {
      if (!response.ok) failedDownloads.push(`${url}: HTTP ${response.status}`);
      return response;
    },
    (err) => {
      failedDownloads.push(`${url}: ${err?.message || err}`);
      throw err;
    },
  );
  // Pyodide starts the download of pyodide.asm.wasm before it awaits it: a failure in
  // between is not an uncaught error (it is reported, with the boot's).
  download.catch(() => {});
  return download;
};
for (const name of ["instantiateStreaming", "compileStreaming", "instantiate", "compile"]) {
  const native = WebAssembly[name];
  if (typeof native !== "function") continue;
  WebAssembly[name] = (...args) =>
    native.apply(WebAssembly, args).catch((err) => {
      bootFailed(new Error(`WebAssembly ${name}: ${err?.message || err}`));
      throw err;
    });
}

// While booting, a promise of Pyodide's that fails with nobody waiting for it (the standard
// library's download) ends the boot with its error rather than as an uncaught error.
self.addEventListener("unhandledrejection", (event) => {
  if (api) return;
  event.preventDefault();
  bootFailed(event.reason instanceof Error ? event.reason : new Error(String(event.reason)));
});

// An error naming the failed downloads after its own message.
function withDownloads(err) {
  const lines = [String(err?.message || err), ...failedDownloads.map((line) => `下载失败 ${line}`)];
  return new Error([...new Set(lines)].join("\n"));
}

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
  const loading = loadPyodide({
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
  const pyodide = await Promise.race([loading, wasmFailure]);
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
      booting ??= boot(msg).catch((err) => {
        throw withDownloads(err);
      });
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
