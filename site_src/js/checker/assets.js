// What the checker loads before its form can render: the build info (runtime, lock
// file, standard library, schema and metadata URLs, the checker's pages), then
// schema.json and metadata.json; the engine starts as soon as the build info is known.
import { Engine } from "./engine.js";
import { app } from "./state.js";

// This module is bundled into assets/js/checker.js (site_src/hooks/checker.py): its URL
// is that script's, with the cache-busting ?v= the worker's URL reuses.
export const SCRIPT_URL = new URL(import.meta.url);
export const ROOT = new URL("../../", SCRIPT_URL); // the site root

// A download of the form's data that neither arrives nor fails in this time is given up
// (the page then offers 重试): the files are small.
const FETCH_TIMEOUT_MS = 30_000;

// The response promise the inline boot script started for url, once (a retry downloads anew).
function takePrefetched(url) {
  const prefetch = window.__ceBoot?.prefetch;
  const early = prefetch?.[url];
  if (early) delete prefetch[url];
  return early;
}

// A JSON file of the site; its failure names the URL and what went wrong.
async function fetchJSON(path, options) {
  const url = new URL(path, ROOT);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
  let response;
  try {
    // Started by the inline boot script (site_src/inline/checker-boot.js), if it did.
    const early = takePrefetched(url.href);
    response = await (early
      ? Promise.race([
          early,
          new Promise((_, reject) => controller.signal.addEventListener("abort", () => reject(new Error("abort")))),
        ])
      : fetch(url, { ...options, signal: controller.signal }));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await response.json();
  } catch (err) {
    const why = controller.signal.aborted
      ? `${FETCH_TIMEOUT_MS / 1000} 秒内未下载完成`
      : err instanceof SyntaxError
        ? `不是有效的 JSON（${err.message}）`
        : err.message;
    throw new Error(`${url.pathname}${url.search}: ${why}`);
  } finally {
    clearTimeout(timer);
  }
}

// The build info, written into every page by site_src/hooks/checker.py as
// <meta name="ce-checker">, so nothing has to be fetched before the engine can start;
// null when it is missing or malformed (build.json is the fallback).
export function pageBuild() {
  try {
    const meta = document.querySelector('meta[name="ce-checker"]');
    const build = meta && JSON.parse(meta.content);
    if (build?.index_url && build.lock_url) return build;
  } catch {
    /* malformed: fall back to build.json */
  }
  return null;
}

// Whether url is one of the pages that hold the checker.
export function isCheckerURL(url, build) {
  const path = new URL(url, location.href).pathname;
  return (build?.pages || []).some((p) => new URL(p, ROOT).pathname === path);
}

// The one engine of the visit, started as soon as its URLs are known.
export function startEngine(build) {
  app.engine ??= new Engine(build, { root: ROOT, scriptURL: SCRIPT_URL });
  return app.engine;
}

// {build, schema, metadata}, loaded once per visit (retried by a later call after a failure).
export function loadAssets() {
  app.assets ??= (async () => {
    const build = pageBuild() ?? (await fetchJSON("assets/checker/build.json", { cache: "no-cache" }));
    startEngine(build); // boots while the schema and metadata download and the form renders
    const [schema, metadata] = await Promise.all([fetchJSON(build.schema_url), fetchJSON(build.metadata_url)]);
    return { build, schema, metadata };
  })();
  app.assets.catch(() => {
    app.assets = null; // let a later visit retry
  });
  return app.assets;
}

// The absolute URL of a clause (`policies/<id>/#<anchor>`, relative to the site root).
export function sourceHref(source) {
  return source ? new URL(source, ROOT).href : null;
}
