// Inlined by site_src/hooks/checker.py into <head> of the pages that hold the checker
// (a classic script: it runs while the page is still parsing, before any other script
// is fetched). It creates the checker's worker and asks it to boot Pyodide at once;
// assets/js/checker.js adopts this worker (window.__ceBoot) when it runs, and replays
// the messages that arrived in between. It also hands the worker the saved case, so that
// its result is computed as soon as the engine is ready (used if the form still holds
// exactly that case), with the current year added as view.js adds it (withAsOfYear). The
// form's data is in the page (site_src/hooks/checker.py): nothing to download for it.
// Attributes: data-worker (the worker script's URL), data-root (the site root), both
// relative to the page; data-store (checker.js's localStorage key); data-form-drawn (the id of
// the heading over the form's first fields, which view.js draws).
(() => {
  // What Material's bundle does first to <html> when it runs (its class, and the focus-visible
  // polyfill's class and attribute, which no stylesheet of the site uses): on this page it runs
  // once the form is on screen (site-after-form.js), where these changes restyled every element.
  const html = document.documentElement;
  html.classList.replace("no-js", "js");
  html.classList.add("js-focus-visible");
  html.setAttribute("data-js-focus-visible", "");
  try {
    const me = document.currentScript;
    const meta = document.querySelector('meta[name="ce-checker"]');
    if (!me || !meta || !window.Worker || window.__ceBoot) return;
    const build = JSON.parse(meta.content);
    const root = new URL(me.dataset.root, location.href);
    const worker = new Worker(new URL(me.dataset.worker, location.href), { type: "module", name: "ce-checker" });
    const boot = { worker, build, started: performance.now(), messages: [], errors: [] };
    worker.onmessage = (event) => boot.messages.push(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      boot.errors.push(event.message || "");
    };
    let firstCase;
    try {
      const saved = JSON.parse(localStorage.getItem(me.dataset.store) || "null");
      if (saved && typeof saved === "object" && !Array.isArray(saved) && saved.region) {
        firstCase = JSON.stringify({ ...saved, as_of_year: new Date().getFullYear() }); // as view.js sends it
      }
    } catch {
      /* nothing saved, or unreadable: nothing to compute ahead */
    }
    // A visit the service worker answers (the site is stored: the engine restores its memory
    // snapshot, and the result kept from the last visit is shown meanwhile): the engine starts
    // once the form's first fields and that result are on the page (checker.js calls
    // boot.open()), at the latest after GATE_MS. Started at once, its compile held them back by
    // 40-100 ms on a two-core machine.
    const GATE_MS = 1000;
    if (navigator.serviceWorker?.controller) {
      // The page's first frame waits for the form's first fields (at the latest the end of parsing;
      // Chromium 124+): checker.js, from the service worker, mostly runs before the page is parsed,
      // and the fields then share the page's first style and layout instead of needing a second.
      // (On a first visit checker.js comes from the network after the page is parsed: no wait.)
      const expect = document.createElement("link");
      expect.rel = "expect";
      expect.href = `#${me.dataset.formDrawn}`;
      expect.setAttribute("blocking", "render");
      document.head.append(expect);
      boot.gate = new Promise((resolve) => {
        boot.open = resolve;
        setTimeout(resolve, GATE_MS);
      });
    }
    const init = {
      id: 0,
      firstCase,
      method: "init",
      indexURL: new URL(build.index_url, root).href,
      lockFileURL: new URL(build.lock_url, root).href,
      stdLibURL: build.stdlib_url ? new URL(build.stdlib_url, root).href : undefined,
      wheelURL: build.wheel_url ? new URL(build.wheel_url, root).href : undefined,
    };
    if (boot.gate) boot.gate.then(() => worker.postMessage(init));
    else worker.postMessage(init);
    window.__ceBoot = boot;
  } catch {
    /* checker.js starts the engine itself */
  }
})();
