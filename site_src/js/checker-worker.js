// Module Web Worker of the self-service checker: boots Pyodide once, puts the ruleset
// wheel (wheelURL, else the one registered in the site's own pyodide-lock.json) on sys.path and answers
// JSON-string calls to ruleset.api. Every URL is on the site's own origin.
// Served bundled with Pyodide's pyodide.mjs (site_src/hooks/checker.py: worker_bundle).
//
// Protocol (main thread -> worker):
//   {id, method: "init", indexURL, lockFileURL, stdLibURL?, wheelURL?, firstCase?: string}
//   {id, method: "check_json" | "schema_json" | "metadata_json", arg?: string}
//   {id, method: "snapshot", indexURL, lockFileURL, stdLibURL?} (a fresh worker, started by site.js
//     once the site is stored for offline use: see "Memory snapshot" below)
// Worker -> main thread:
//   {type: "stage", stage: "runtime" | "rules" | "ready", ms}; "ready" also carries
//     first: {case, value} (check_json of firstCase) when init had one, and restored: true when
//     the engine booted from a memory snapshot
//   {type: "reply", id, ok: true, value: string} | {type: "reply", id, ok: false, error: string}
//   A failed init replies ok: false with the error and every failed download (URL, status).
//
// The batch page (单位批量核算, site_src/js/batch/) starts workers of its own with the same init
// and these methods (ruleset.batch.page); each may run on the same file, checking the chunks of
// people the page gives it (site_src/js/batch/pool.js):
//   {id, method: "batch_prepare", modulesURL}: once, puts the batch's standard-library modules
//     (modulesURL, a zip) on sys.path, loads openpyxl and warms the batch code. Every other
//     batch method waits for it.
//   {id, method: "batch_open", data: ArrayBuffer, siteURL, modulesURL, token} reads the file, posting
//     {type: "batch", id, stage: "read", done, total} as it goes; value: {total, headers} (JSON),
//     or ok: false with error (Chinese; "已取消" after batch_cancel or a later batch_open). It
//     replaces the batch held.
//   {id, method: "batch_cancel"}: a batch_open under way is dropped when its reading ends.
//   Every method below may carry the token of batch_open: a worker holding another batch refuses.
//   {id, method: "batch_check", start, stop}: checks those people; value: their rows and problems (JSON).
//   {id, method: "batch_problems", arg: "[[problem, …], …]"}: value: the 输入问题 rows of the whole
//     file, sorted (arg: the problems of the chunks other workers checked).
//   {id, method: "batch_rendered"}: value: Uint8Array, this worker's chunks as table rows.
//   {id, method: "batch_cases", arg: "[i, …]"}: value: the cases of those people (JSON).
//   {id, method: "batch_export", format: "xlsx" | "csv", parts: [ArrayBuffer, …]}: value:
//     Uint8Array (xlsx) or [[table name, Uint8Array], …] (csv); parts: the other workers'
//     batch_rendered (people no part covers are checked here).
// Bytes are transferred, not copied.

let api = null;
let booting = null;
let runtime = null; // the Pyodide instance, once booted (the batch methods load openpyxl into it)
const t0 = performance.now();
// Where the boot's time went: [label, ms since the worker started], sent with "ready" (timings).
const marks = [];
function mark(label) {
  marks.push([label, Math.round(performance.now() - t0)]);
}

// What Pyodide does not report. A failed download is named for the technical detail: the
// URL and the status (or the network error). A failed WebAssembly compile (pyodide.asm.wasm
// aborted or answered with an error) is only logged by Pyodide, whose boot then waits for
// ever: every compile is watched, and its failure ends the boot at once.
const failedDownloads = [];
// The failure of the boot attempt under way (a memory snapshot's restore, then maybe a plain
// boot: a new attempt each), raced by boot() and fromSnapshot().
let attempt;
function newAttempt() {
  let fail;
  const failed = new Promise((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {}); // observed through Promise.race
  attempt = { failed, fail };
}
newAttempt();
const bootFailed = (err) => attempt.fail(err);

// A return visit compiles pyodide.asm.wasm itself while the snapshot is read (Pyodide reads it
// before it starts the compile): {url, stub, module}. Pyodide's own download of that URL is
// answered by stub, a promise of an empty response, and its instantiateStreaming of stub
// instantiates module instead.
let precompiled = null;
const nativeFetch = self.fetch.bind(self);
self.fetch = (input, init) => {
  const url = typeof input === "string" ? input : input instanceof Request ? input.url : String(input);
  if (precompiled && url === precompiled.url) return precompiled.stub;
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
const nativeWasm = {};
for (const name of ["instantiateStreaming", "compileStreaming", "instantiate", "compile"]) {
  const native = WebAssembly[name];
  if (typeof native !== "function") continue;
  nativeWasm[name] = native.bind(WebAssembly);
  WebAssembly[name] = (...args) => {
    const pre = precompiled;
    const run =
      name === "instantiateStreaming" && pre && args[0] === pre.stub
        ? pre.module.then((module) =>
            nativeWasm.instantiate(module, args[1]).then((instance) => ({ instance, module })),
          )
        : nativeWasm[name](...args);
    return run.then(
      (value) => {
        mark(`wasm ${name}`);
        return value;
      },
      (err) => {
        bootFailed(new Error(`WebAssembly ${name}: ${err?.message || err}`));
        throw err;
      },
    );
  };
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

// As served, this file has pyodide.mjs bundled in front of it (site_src/hooks/checker.py):
// no fetch of pyodide.mjs before the runtime's own downloads start.
async function pyodideLoader(indexURL) {
  return typeof bundledLoadPyodide === "function"
    ? bundledLoadPyodide // declared by pyodide.mjs in front of this file
    : (await import(new URL("pyodide.mjs", indexURL).href)).loadPyodide;
}

// loadPyodide's options shared by every boot.
function runtimeOptions({ indexURL, lockFileURL, stdLibURL }, problems) {
  return {
    indexURL,
    lockFileURL,
    // The checker's own standard library (precompiled and trimmed by
    // site_src/build_assets.sh); the stock python_stdlib.zip when there is none.
    ...(stdLibURL ? { stdLibURL } : {}),
    // Python's own prints are not for the page console.
    stdout: () => {},
    stderr: (line) => {
      problems.push(line);
      self.postMessage({ type: "log", line });
    },
  };
}

async function boot(init) {
  const { indexURL, firstCase } = init;
  stage("runtime");
  const loadPyodide = await pyodideLoader(indexURL);
  mark("loader");
  const problems = [];
  // A return visit: the memory snapshot this browser made of this very build, if any.
  let pyodide = await fromSnapshot(loadPyodide, init, problems);
  const restored = !!pyodide;
  if (!pyodide) {
    // The wheel downloads while the runtime boots and goes on sys.path as it is (a zip of
    // precompiled modules, imported by zipimport), as in a snapshot's Python: Pyodide's package
    // loader, its Python modules and the unpacking cost about a tenth of the boot's CPU.
    const wheel = wheelBytes(init);
    wheel.catch(() => {}); // (awaited below)
    pyodide = await Promise.race([loadPyodide(runtimeOptions(init, problems)), attempt.failed]);
    mark("booted");
    pyodide.FS.writeFile(WHEEL_PATH, await wheel);
    mark("wheel");
    onPath(pyodide, WHEEL_PATH);
  }
  runtime = pyodide;
  stage("rules");
  const mod = pyodide.pyimport("ruleset.api");
  mark("imported");
  // Before declaring the engine ready: the saved case's result if the page sent one (the
  // page uses it if the form still holds that case), else an empty case (imports, bundle).
  const first = firstCase ? { case: firstCase, value: String(mod.check_json(firstCase)) } : null;
  if (!first) mod.check_json('{"region": null, "activities": []}');
  mark("checked");
  api = mod;
  stage("ready", { python: pythonVersion(pyodide), first, restored, timings: marks });
}

// Through the FFI rather than runPython, which parses and compiles its text (the compiler's code
// still cold in WebAssembly on a first visit).
function onPath(pyodide, path) {
  const sys = pyodide.pyimport("sys");
  const syspath = sys.path;
  syspath.insert(0, path);
  syspath.destroy();
  sys.destroy();
}

function pythonVersion(pyodide) {
  const sys = pyodide.pyimport("sys");
  const version = String(sys.version).split(" ")[0];
  sys.destroy();
  return version;
}

// Memory snapshot (return visits). Booting Pyodide and importing the package is most of the start-up;
// a snapshot of the interpreter's memory once the package is imported boots in a fraction of it.
// It is made in this browser, for this build, by a separate worker that site.js starts once the
// site is stored for offline use (method "snapshot": nothing of the visitor's case is in it), and
// kept in Cache Storage under a key naming the runtime's files and the browser. A snapshot's Python
// imports the package from the wheel at WHEEL_PATH (a zip on sys.path), which is written again
// after a restore. Any failure: the normal boot (and the snapshot is dropped).
const SNAPSHOTS = "ce-pyodide-snapshot";
const WHEEL_PATH = "/home/pyodide/ruleset.whl";
const RESTORE_MS = 15000;
const PREPARE = `
import importlib, pkgutil, sys
sys.path.insert(0, ${JSON.stringify(WHEEL_PATH)})
import ruleset, ruleset.api as api
for m in pkgutil.walk_packages(ruleset.__path__, "ruleset."):
    try:
        importlib.import_module(m.name)
    except ImportError:
        pass  # build-time modules (they need PyYAML)
api.schema_json(); api.metadata_json(); api.check_json('{"region": null, "activities": []}')
`;

// Stored sparse: most of the 31 MB are zero pages. The body holds the other pages in order; the
// header x-ce-pages lists them (hex bitmap, one bit a page) and x-ce-length gives the full length.
// A restore reads about 14 MB instead of 31.
const PAGE = 65536;

function sparse(bytes) {
  const whole = Math.floor(bytes.byteLength / PAGE); // (the snapshot has a few bytes past the memory)
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, (whole * PAGE) >> 2);
  const pages = Math.ceil(bytes.byteLength / PAGE);
  const bitmap = new Uint8Array(Math.ceil(pages / 8));
  const kept = [];
  for (let p = 0; p < pages; p++) {
    const page = bytes.subarray(p * PAGE, (p + 1) * PAGE);
    const nonzero = p < whole ? words.subarray((p * PAGE) >> 2, ((p + 1) * PAGE) >> 2).some((w) => w) : true;
    if (nonzero) {
      bitmap[p >> 3] |= 1 << (p & 7);
      kept.push(page);
    }
  }
  const hex = Array.from(bitmap, (b) => b.toString(16).padStart(2, "0")).join("");
  return { body: new Blob(kept), headers: { "x-ce-pages": hex, "x-ce-length": String(bytes.byteLength) } };
}

async function unsparse(response) {
  const length = Number(response.headers.get("x-ce-length"));
  const hex = response.headers.get("x-ce-pages") || "";
  const body = new Uint8Array(await response.arrayBuffer());
  const full = new Uint8Array(length);
  let at = 0;
  for (let p = 0; p * PAGE < length; p++) {
    if (!(Number.parseInt(hex.substr((p >> 3) * 2, 2), 16) & (1 << (p & 7)))) continue;
    const size = Math.min(PAGE, length - p * PAGE);
    full.set(body.subarray(at, at + size), p * PAGE);
    at += size;
  }
  if (!length || at !== body.length) throw new Error("snapshot: damaged");
  return full;
}

function snapshotKey({ indexURL, lockFileURL, stdLibURL }) {
  const q = new URLSearchParams({ lock: lockFileURL, stdlib: stdLibURL || "", ua: navigator.userAgent });
  return `${indexURL}memory-snapshot?${q}`;
}

// The wheel: at wheelURL (the build info's wheel_url), else where the lock file says.
async function wheelBytes({ lockFileURL, wheelURL }) {
  const url = wheelURL || new URL((await (await fetch(lockFileURL)).json()).packages.ruleset.file_name, lockFileURL);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`wheel: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function fromSnapshot(loadPyodide, init, problems) {
  let cache = null;
  try {
    if (!self.caches || !(await caches.has(SNAPSHOTS))) return null;
    cache = await caches.open(SNAPSHOTS);
    const hit = await cache.match(snapshotKey(init));
    mark("snapshot found");
    if (!hit) return null;
    const wheel = wheelBytes(init);
    wheel.catch(() => {}); // (awaited below once the restore succeeded)
    const wasmURL = new URL("pyodide.asm.wasm", init.indexURL).href;
    const module = nativeWasm.compileStreaming(self.fetch(wasmURL)).then((compiled) => {
      mark("wasm compiled");
      return compiled;
    });
    module.catch(() => {}); // (a failure fails the restore, below)
    precompiled = { url: wasmURL, stub: Promise.resolve(new Response(null)), module };
    const snapshot = unsparse(hit).then((bytes) => {
      mark("snapshot read");
      return bytes;
    });
    snapshot.catch(() => {}); // (a damaged one rejects inside loadPyodide, handled below)
    const restore = loadPyodide({ ...runtimeOptions(init, problems), _loadSnapshot: snapshot });
    // (a snapshot whose instantiation fails may leave loadPyodide pending for ever)
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error("restore timed out")), RESTORE_MS));
    const pyodide = await Promise.race([restore, late, attempt.failed]);
    mark("restored");
    pyodide.FS.writeFile(WHEEL_PATH, await wheel);
    return pyodide;
  } catch {
    await cache?.delete(snapshotKey(init)).catch(() => {});
    newAttempt(); // the plain boot that follows starts afresh
    return null;
  } finally {
    precompiled = null;
  }
}

async function makeSnapshot(init) {
  const key = snapshotKey(init);
  const cache = await caches.open(SNAPSHOTS);
  if (await cache.match(key)) return "exists";
  const loadPyodide = await pyodideLoader(init.indexURL);
  const [pyodide, wheel] = await Promise.all([
    loadPyodide({ ...runtimeOptions(init, []), _makeSnapshot: true }),
    wheelBytes(init),
  ]);
  pyodide.FS.writeFile(WHEEL_PATH, wheel);
  pyodide.runPython(PREPARE);
  const bytes = pyodide.makeMemorySnapshot();
  const { body, headers } = sparse(bytes);
  for (const old of await cache.keys()) await cache.delete(old);
  await cache.put(key, new Response(body, { headers: { "content-type": "application/octet-stream", ...headers } }));
  return `${bytes.length} bytes, ${body.size} stored`;
}

const METHODS = new Set(["check_json", "schema_json", "metadata_json"]);

// Batch (单位批量核算): one batch held at a time (ruleset.batch.page.PageBatch).
const BATCH_MODULES = "/home/pyodide/batch_modules.zip";
let batch = null;
let batchToken = null; // the page's name for the batch held (batch_open's token)
let opening = 0; // the latest batch_open (a later one makes an earlier one's batch stale)
let batchReady = null;

// Once: the batch's standard-library modules on sys.path, openpyxl loaded, the batch code warmed.
function batchPrepare(modulesURL) {
  batchReady ??= (async () => {
    if (modulesURL) {
      const response = await fetch(modulesURL);
      if (!response.ok) throw new Error(`${modulesURL}: HTTP ${response.status}`);
      runtime.FS.writeFile(BATCH_MODULES, new Uint8Array(await response.arrayBuffer()));
      const zip = JSON.stringify(BATCH_MODULES);
      runtime.runPython(
        `import sys, encodings; sys.path.append(${zip}); encodings.__path__.append(${zip} + "/encodings")`,
      );
    }
    await runtime.loadPackage(["openpyxl"], { messageCallback: () => {} });
    if (!runtime.loadedPackages.openpyxl) throw new Error("openpyxl package not loaded");
    runtime.pyimport("ruleset.batch.page").prepare();
  })();
  batchReady.catch(() => {
    batchReady = null; // retried by the next call
  });
  return batchReady;
}

// A Python exception as its last line (the page shows it as the detail), else the error itself.
function pythonError(err) {
  if (err?.type) return new Error(`核算程序出错：${String(err.message).trim().split("\n").pop()}`);
  return err;
}

// Python bytes -> a Uint8Array of their own (transferable).
function toBytes(proxy) {
  try {
    return proxy.toJs();
  } finally {
    proxy.destroy();
  }
}

async function batchOpen(msg) {
  const mine = ++opening;
  await batchPrepare(msg.modulesURL);
  if (mine !== opening) throw new Error("已取消");
  batch?.destroy();
  batch = null;
  batchToken = null;
  const post = (stage, done, total) =>
    self.postMessage({ type: "batch", id: msg.id, stage, done, total: total ?? null });
  const opened = runtime
    .pyimport("ruleset.batch.page")
    .start(new Uint8Array(msg.data), String(msg.siteURL || ""), post);
  if (typeof opened === "string") throw new Error(opened); // unreadable: the reason, in Chinese
  if (mine !== opening) {
    opened.destroy();
    throw new Error("已取消");
  }
  batch = opened;
  batchToken = msg.token ?? null;
  return JSON.stringify({ total: batch.total, headers: JSON.parse(String(batch.headers_json())) });
}

function batchExport(format, parts) {
  const args = (parts || []).map((p) => new Uint8Array(p));
  if (format === "xlsx") return toBytes(batch.export_xlsx(args));
  const tables = batch.export_csv(args);
  try {
    return tables.toJs();
  } finally {
    tables.destroy();
  }
}

async function batchMethod(msg) {
  if (!api) {
    if (!booting) throw new Error("not initialised");
    await booting;
  }
  if (msg.method === "batch_prepare") return batchPrepare(msg.modulesURL).then(() => "");
  if (msg.method === "batch_open") return batchOpen(msg);
  if (msg.method === "batch_cancel") {
    opening++;
    return "";
  }
  if (!batch || (msg.token !== undefined && msg.token !== batchToken)) throw new Error("没有这批核算结果");
  if (msg.method === "batch_check") return String(batch.check(msg.start, msg.stop));
  if (msg.method === "batch_problems") return String(batch.view_problems(String(msg.arg || "[]")));
  if (msg.method === "batch_rendered") return toBytes(batch.rendered());
  if (msg.method === "batch_cases") return String(batch.cases_json(String(msg.arg)));
  if (msg.method === "batch_export") return batchExport(msg.format, msg.parts);
  throw new Error(`unknown method ${msg.method}`);
}

self.onmessage = async (event) => {
  const msg = event.data || {};
  const reply = (payload) => self.postMessage({ type: "reply", id: msg.id, ...payload });
  try {
    if (msg.method === "snapshot") {
      if (booting) throw new Error("snapshot: this worker already runs the engine");
      reply({ ok: true, value: await makeSnapshot(msg) });
      return;
    }
    if (msg.method === "init") {
      booting ??= boot(msg).catch((err) => {
        throw withDownloads(err);
      });
      await booting;
      reply({ ok: true, value: "" });
      return;
    }
    if (String(msg.method).startsWith("batch_")) {
      let value;
      try {
        value = await batchMethod(msg);
      } catch (err) {
        throw pythonError(err);
      }
      self.postMessage({ type: "reply", id: msg.id, ok: true, value }, value?.buffer ? [value.buffer] : []);
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
