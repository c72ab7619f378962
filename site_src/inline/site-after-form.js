// Inlined by site_src/hooks/checker.py on the pages that hold the checker, in place of the
// script tags of Material's bundle and site.js (data-scripts: their URLs, in order). They run
// once the checker's form has painted its first fields (the checker calls window.__ceLoadSite
// when it suits it, see site_src/js/checker/sitescripts.js; at the latest after FALLBACK_MS):
// evaluated before the form, the bundle held the main thread for 60–200 ms that the form's first
// frame waited for.
// Material starts from DOMContentLoaded (its document$); when its bundle runs after that event,
// document$ is given the document as the event would have (else Material hears the event itself),
// before site.js subscribes.
// __ceLoadSite() returns a promise that settles once every script has run (or failed).
(() => {
  const FALLBACK_MS = 3000; // the checker's script did not call (it failed to load or run)
  const me = document.currentScript;
  let srcs;
  try {
    srcs = JSON.parse(me.dataset.scripts);
  } catch {
    return;
  }
  // Whether DOMContentLoaded has fired (readyState turns "interactive" before the deferred
  // scripts run, the event only after them).
  let started = false;
  document.addEventListener("DOMContentLoaded", () => {
    started = true;
  });
  let loaded = null;
  let ran;
  const done = new Promise((resolve) => {
    ran = resolve;
  });
  const run = (src) =>
    new Promise((resolve) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = script.onerror = resolve;
      document.body.append(script);
    });
  const load = () => {
    loaded ??= (async () => {
      for (const [i, src] of srcs.entries()) {
        await run(src);
        if (i === 0 && started) window.document$?.next?.(document);
      }
      ran();
    })();
    return loaded;
  };
  load.done = done; // settles when they have run, without starting them
  window.__ceLoadSite = load;
  setTimeout(load, FALLBACK_MS);
})();
