// Inlined by site_src/hooks/checker.py into <head> of the pages that hold the checker, before
// Material's bundle. Material starts its search worker as the page loads, and the worker builds
// the search index at once (the whole site's text): CPU the checker's start-up needs. Here the
// search worker is created only when the reader reaches for the search (a pointer or focus in the
// search box or on its button, a search shortcut key, or an address with a query); until then its
// messages wait. Every other worker is created as usual.
(() => {
  const Real = window.Worker;
  if (!Real || !window.EventTarget) return;
  const isSearch = (url) => /\/workers\/search\.[^/]*\.js(\?|$)/.test(String(url));
  const deferred = [];

  class DeferredWorker extends EventTarget {
    constructor(url, options) {
      super();
      this.args = [url, options];
      this.queue = [];
      this.real = null;
      this.ended = false;
      this.onmessage = null;
      this.onerror = null;
      deferred.push(this);
    }
    start() {
      if (this.real || this.ended) return;
      const real = new Real(...this.args);
      this.real = real;
      real.addEventListener("message", (e) => this.relay(new MessageEvent("message", { data: e.data })));
      real.addEventListener("error", (e) => this.relay(new ErrorEvent("error", { message: e.message })));
      for (const [message, transfer] of this.queue.splice(0)) real.postMessage(message, transfer);
    }
    relay(event) {
      const handler = event.type === "message" ? this.onmessage : this.onerror;
      if (typeof handler === "function") handler.call(this, event);
      this.dispatchEvent(event);
    }
    postMessage(message, transfer) {
      if (this.real) this.real.postMessage(message, transfer);
      else if (!this.ended) this.queue.push([message, transfer]);
    }
    terminate() {
      this.ended = true;
      this.queue.length = 0;
      this.real?.terminate();
    }
  }

  window.Worker = function Worker(url, options) {
    if (!new.target) throw new TypeError("Worker constructor: 'new' is required");
    return isSearch(url) ? new DeferredWorker(url, options) : new Real(url, options);
  };
  window.Worker.prototype = Real.prototype;

  const startAll = () => {
    for (const worker of deferred) worker.start();
  };
  const SEARCH = '.md-search, label[for="__search"], [data-md-toggle="search"]';
  const typing = (el) => el?.closest?.("input, textarea, select, [contenteditable]");
  document.addEventListener("pointerdown", (e) => e.target.closest?.(SEARCH) && startAll(), true);
  document.addEventListener("focusin", (e) => e.target.closest?.(SEARCH) && startAll(), true);
  document.addEventListener("keydown", (e) => ["f", "s", "/"].includes(e.key) && !typing(e.target) && startAll(), true);
  if (/[?&](q|h)=/.test(window.location.search)) startAll();
})();
