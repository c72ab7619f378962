// Self-service checker (自助核算): the page script, bundled by esbuild into
// assets/js/checker.js (site_src/hooks/checker.py).
//
// Loaded on every page as an ES module; it acts only where the page has
// <div id="ce-checker">. One module Web Worker runs Pyodide and the ruleset package for
// the whole visit: it is created the first time the checker is needed and kept on
// window.__ceChecker across Material's instant navigation (state.js); the form is
// re-attached on every `document$` emission that shows the checker. The form is
// generated from schema.json + metadata.json (written at build time), so it renders and
// accepts typing while Pyodide is still loading.
import { isCheckerURL, loadAssets, pageBuild } from "./assets.js";
import { afterSiteScripts } from "./sitescripts.js";
import { app } from "./state.js";
import { View } from "./view.js";

function attach() {
  const root = document.getElementById("ce-checker");
  if (app.view && (!root || app.view.root !== root || !root.isConnected)) {
    app.view.destroy();
    app.view = null;
  }
  if (root && !app.view) app.view = new View(root);
}

// On a page of the checker, site_src/hooks/checker.py also loads this script with `async`
// right after <div id="ce-checker"> (same URL: one module instance per document; preloaded
// from <head>), so it runs while the rest of the page is still parsing and mounts the form
// at once, before Material's bundle and DOMContentLoaded. The inline boot script has
// already started the engine and the form's data (site_src/inline/checker-boot.js).
// Elsewhere it runs at the end of the page; a pointer or focus on a link to the checker
// starts the engine then (instant navigation keeps it for the checker page).
function warmOnIntent(build) {
  const warm = (event) => {
    const a = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!a || app.engine || !isCheckerURL(a.href, build)) return;
    loadAssets();
  };
  for (const type of ["pointerover", "focusin", "touchstart"]) {
    document.addEventListener(type, warm, { passive: true, capture: true });
  }
}

let subscribed = false;
function subscribe() {
  const doc$ = window.document$;
  if (doc$ && typeof doc$.subscribe === "function") {
    if (!subscribed) doc$.subscribe(() => attach());
    subscribed = true;
  } else attach();
}

if (!app.started) {
  app.started = true;
  const build = pageBuild();
  if (build && isCheckerURL(location.href, build)) loadAssets();
  else if (build) warmOnIntent(build);
  if (document.getElementById("ce-checker")) attach(); // already parsed: no wait for the rest of the page
  // Material's document$ exists once its bundle has run: before DOMContentLoaded, except on a
  // page of the checker, where the view has it loaded after the form's first fields (sitescripts.js).
  afterSiteScripts(() => {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", subscribe, { once: true });
    else subscribe();
  });
}
