// The engine: the module Web Worker that runs Pyodide and the ruleset package
// (checker-worker.js; its message protocol is described there). Every call crosses the
// worker boundary as a JSON string. Listeners hear of every change of stage.

const LOAD_FAILED = "运行环境脚本加载失败";

export class Engine {
  // build: the build info (assets.js); root: the site root; scriptURL: the page script's
  // URL, whose ?v= the worker's URL reuses.
  constructor(build, { root, scriptURL }) {
    this.build = build;
    this.root = root;
    this.scriptURL = scriptURL;
    this.listeners = new Set();
    this.spawn();
  }

  spawn() {
    this.pending = new Map();
    this.nextId = 1;
    this.stage = "runtime";
    this.error = null;
    this.ready = false;
    this.started = performance.now();
    this.bootMs = null;
    // The worker the page's inline boot script started (site_src/inline/checker-boot.js),
    // if there is one and it is not taken yet: its early messages are replayed.
    const boot = window.__ceBoot;
    if (boot && !boot.taken) {
      boot.taken = true;
      this.worker = boot.worker;
      this.started = boot.started;
    } else {
      const url = new URL("checker-worker.js", this.scriptURL);
      url.search = this.scriptURL.search;
      this.worker = new Worker(url, { type: "module", name: "ce-checker" });
    }
    this.worker.onmessage = (event) => this.onMessage(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(event.message || LOAD_FAILED);
    };
    if (this.worker === boot?.worker) {
      for (const msg of boot.messages.splice(0)) this.onMessage(msg);
      for (const message of boot.errors.splice(0)) this.fail(message || LOAD_FAILED);
    }
    this.notify();
    const url = (path) => new URL(path, this.root).href;
    this.call("init", {
      indexURL: url(this.build.index_url),
      lockFileURL: url(this.build.lock_url),
      stdLibURL: this.build.stdlib_url ? url(this.build.stdlib_url) : undefined,
    }).catch((err) => this.fail(err.message));
  }

  retry() {
    this.worker.terminate();
    for (const { reject } of this.pending.values()) reject(new Error("已重新加载"));
    this.spawn();
  }

  onMessage(msg) {
    if (!msg) return;
    if (msg.type === "stage") {
      this.stage = msg.stage;
      if (msg.stage === "ready") {
        this.ready = true;
        this.first = msg.first || null;
        this.bootMs = Math.round(performance.now() - this.started);
        this.python = msg.python;
      }
      this.notify();
    } else if (msg.type === "reply") {
      const entry = this.pending.get(msg.id);
      if (!entry) return;
      this.pending.delete(msg.id);
      if (msg.ok) entry.resolve(msg.value);
      else entry.reject(new Error(msg.error));
    }
    // msg.type === "log": Python's stderr; deliberately not sent to the console.
  }

  fail(message) {
    if (this.ready || this.stage === "error") return;
    this.failedAt = this.stage;
    this.stage = "error";
    this.error = message;
    this.notify();
  }

  call(method, payload = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, ...payload });
    });
  }

  // The result document of a case (an object).
  async check(caseData) {
    const text = JSON.stringify(caseData);
    // The result the worker computed while booting (see checker-boot.js), if it is for this case.
    const first = this.first;
    this.first = null;
    if (first && first.case === text) return JSON.parse(first.value);
    return JSON.parse(await this.call("check_json", { arg: text }));
  }

  // fn(engine) now and on every change of stage; returns the unsubscribe function.
  subscribe(fn) {
    this.listeners.add(fn);
    fn(this);
    return () => this.listeners.delete(fn);
  }

  notify() {
    for (const fn of this.listeners) fn(this);
  }
}
