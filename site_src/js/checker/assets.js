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

// A JSON file of the site; its failure names the URL and what went wrong.
async function fetchJSON(path, options) {
  const url = new URL(path, ROOT);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
  let response;
  try {
    response = await fetch(url, { ...options, signal: controller.signal });
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

// The id of the form's data in a page of the checker: a <template> holding {schema_url,
// metadata_url, schema, metadata} as JSON text, written by site_src/hooks/checker.py after
// <div id="ce-checker">.
const DATA_ID = "ce-checker-data";

// The form's data the page carries for this build, or null (then it is downloaded).
function pageData(build) {
  try {
    const el = document.getElementById(DATA_ID);
    const data = el?.content && JSON.parse(el.content.textContent);
    if (data?.schema_url === build.schema_url && data.metadata_url === build.metadata_url) return data;
  } catch {
    /* malformed: downloaded instead */
  }
  return null;
}

// {build, schema, metadata}, loaded once per visit (retried by a later call after a failure).
// On a page of the checker nothing is downloaded: the promise is resolved at once, so the
// form mounts in the task that asked (a microtask later).
export function loadAssets() {
  const build = !app.assets && pageBuild();
  const data = build && pageData(build);
  if (data) {
    startEngine(build);
    app.assets = Promise.resolve({ build, schema: data.schema, metadata: data.metadata });
  }
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
