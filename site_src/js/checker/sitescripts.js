// Material's bundle and site.js on a page of the checker: loaded by the inline script that
// stands in their place (site_src/inline/site-after-form.js) when the view asks: once the
// form has painted its first fields, before it draws the activity cards. After the cards, the
// palette's changes to <body> and the color-scheme <meta> restyled every element of the page two
// or three times (one task of 0.5–0.8 s on a return visit); before them they cost ~40 ms.
// Elsewhere they are loaded as usual and nothing waits.

// The cards wait at most this long for them (they go on loading).
const WAIT_MS = 500;

// Starts them (once); resolves when they have run, or after WAIT_MS.
export function siteScriptsLoaded() {
  const load = window.__ceLoadSite;
  if (typeof load !== "function") return Promise.resolve();
  return Promise.race([Promise.resolve(load()), new Promise((resolve) => setTimeout(resolve, WAIT_MS))]);
}

// fn() once they have run (at once when the page loads them as usual).
export function afterSiteScripts(fn) {
  const done = window.__ceLoadSite?.done;
  if (done) done.then(fn);
  else fn();
}
