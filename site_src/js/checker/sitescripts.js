// Material's bundle and site.js on a page of the checker: loaded by the inline script that
// stands in their place (site_src/inline/site-after-form.js) when the view asks (view.js
// mount()): after the form's first fields, and before the activity cards or, for a short case
// with a result kept from the last visit, after that result. Elsewhere they are loaded as usual.

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
