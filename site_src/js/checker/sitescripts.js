// Material's bundle and site.js on a page of the checker: loaded by the inline script that
// stands in their place (site_src/inline/site-after-form.js) when the view asks, once the
// form, its cards and the result kept from the last visit are on screen (before them, the
// bundle's 60–200 ms of the main thread came before the form or the kept result). Elsewhere
// they are loaded as usual.

// Starts them (once); resolves when they have run.
export function siteScriptsLoaded() {
  const load = window.__ceLoadSite;
  return typeof load === "function" ? Promise.resolve(load()) : Promise.resolve();
}

// fn() once they have run (at once when the page loads them as usual).
export function afterSiteScripts(fn) {
  const done = window.__ceLoadSite?.done;
  if (done) done.then(fn);
  else fn();
}
