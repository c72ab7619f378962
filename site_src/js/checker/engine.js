// The engine: the module Web Worker that runs Pyodide and the ruleset package
// (checker-worker.js; its message protocol is described there). Every call crosses the
// worker boundary as a JSON string. Listeners hear of every change of stage. Every way
// the boot can fail ends in the stage "error" (with the technical detail in `error`): a
// failed worker script, a failed init (the worker names the downloads that failed), and
// a watchdog for what reports nothing (a download that never ends).
import { LastResult } from "./lastresult.js";

const LOAD_FAILED = "运行环境脚本加载失败";
// How long the boot may take before the page calls it failed (the worker goes on: if it
// becomes ready later, the error gives way to the result). A cold boot takes a few
// seconds; 13 MB over a slow mobile link about half a minute. The build info may set it
// (`watchdog_ms`).
export const WATCHDOG_MS = 60_000;

export class Engine {
  // build: the build info (assets.js); root: the site root; scriptURL: the page script's
  // URL, whose ?v= the worker's URL reuses.
  constructor(build, { root, scriptURL }) {
    this.build = build;
    this.watchdogMs = Number(build.watchdog_ms) > 0 ? Number(build.watchdog_ms) : WATCHDOG_MS;
    this.root = root;
    this.scriptURL = scriptURL;
    this.listeners = new Set();
    this.last = new LastResult(build);
    this.spawn();
  }

  spawn() {
    this.pending = new Map();
    this.nextId = 1;
    this.stage = "runtime";
    this.error = null;
    this.timedOut = false;
    this.ready = false;
    this.started = performance.now();
    clearTimeout(this.watchdog);
    this.bootMs = null;
    // The worker the page's inline boot script started (site_src/inline/checker-boot.js),
    // if there is one and it is not taken yet: its early messages are replayed.
    const boot = window.__ceBoot;
    const workerURL = new URL("checker-worker.js", this.scriptURL);
    workerURL.search = this.scriptURL.search;
    const scriptFailed = `${LOAD_FAILED}：${workerURL.pathname}`;
    if (boot && !boot.taken) {
      boot.taken = true;
      this.worker = boot.worker;
      this.started = boot.started;
    } else {
      this.worker = new Worker(workerURL, { type: "module", name: "ce-checker" });
    }
    const worker = this.worker;
    const failed = (message) => {
      if (this.worker === worker) this.fail(message); // not a worker given up by retry()
    };
    this.worker.onmessage = (event) => this.onMessage(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      failed(event.message || scriptFailed);
    };
    if (this.worker === boot?.worker) {
      for (const msg of boot.messages.splice(0)) this.onMessage(msg);
      for (const message of boot.errors.splice(0)) this.fail(message || scriptFailed);
    }
    const left = this.watchdogMs - (performance.now() - this.started);
    this.watchdog = setTimeout(() => this.timeout(), Math.max(0, left));
    this.notify();
    const url = (path) => new URL(path, this.root).href;
    const init = () =>
      this.call("init", {
        indexURL: url(this.build.index_url),
        lockFileURL: url(this.build.lock_url),
        stdLibURL: this.build.stdlib_url ? url(this.build.stdlib_url) : undefined,
        wheelURL: this.build.wheel_url ? url(this.build.wheel_url) : undefined,
      }).catch((err) => failed(err.message));
    // The boot script's worker may wait for the page (its gate, opened by openGate()).
    if (this.worker === boot?.worker && boot.gate) boot.gate.then(init);
    else init();
  }

  // The form's first fields, and the result kept from the last visit if any, are on the page: a
  // worker waiting for that starts its boot.
  openGate() {
    window.__ceBoot?.open?.();
  }

  retry() {
    clearTimeout(this.watchdog);
    this.worker.terminate();
    for (const { reject } of this.pending.values()) reject(new Error("已重新加载"));
    this.spawn();
  }

  onMessage(msg) {
    if (!msg) return;
    if (msg.type === "stage") {
      // After a timeout only "ready" counts (the boot got there after all); after a
      // failure nothing does.
      if (this.stage === "error" && !(this.timedOut && msg.stage === "ready")) return;
      this.stage = msg.stage;
      if (msg.stage === "ready") {
        clearTimeout(this.watchdog);
        this.timedOut = false;
        this.error = null;
        this.ready = true;
        this.first = msg.first || null;
        this.bootMs = Math.round(performance.now() - this.started);
        this.python = msg.python;
        this.timings = msg.timings || []; // where the worker's boot went: [label, ms since it started]
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
    if (this.ready || (this.stage === "error" && !this.timedOut)) return;
    clearTimeout(this.watchdog);
    if (this.stage !== "error") this.failedAt = this.stage;
    this.stage = "error";
    this.timedOut = false;
    this.error = message || LOAD_FAILED;
    this.notify();
  }

  // The watchdog: no "ready" within watchdogMs.
  timeout() {
    if (this.ready || this.stage === "error") return;
    const seconds = Math.round(this.watchdogMs / 1000);
    this.fail(`${seconds} 秒内未就绪（停在 ${this.stage} 阶段；下载或启动没有完成，也没有报告错误）`);
    this.timedOut = true;
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
    const value = first && first.case === text ? first.value : await this.call("check_json", { arg: text });
    this.last.keep(text, value);
    return JSON.parse(value);
  }

  // Before the engine is ready: the result text this browser kept for exactly this case text
  // (a JSON string, computed by an earlier visit's engine of this build: lastresult.js), or null.
  storedResult(caseText) {
    return this.ready ? null : this.last.read(caseText);
  }

  // The kept result is of no further use (the case has no region, or was cleared).
  forgetResult() {
    this.last.forget();
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
