// Service worker of the site: the whole site, checker and Pyodide runtime included, works offline
// after one visit. Served at <site root>/sw.js (so its scope is the site root, also under a sub-path)
// by site_src/hooks/offline.py, which writes the build's precache list in front of this file:
//
//   self.__CE_PRECACHE = {version: "<sha256 of the list>", files: [["<path from the root>", "<sha256>"], …]}
//
// One build = one version = one cache, "ce-site-<version>". This worker serves only from its own
// cache, so a page never gets a mix of two builds:
//  - install: every file of the list is put in the version's cache, checked against its sha256
//    (a file that does not match, e.g. a newer build deployed meanwhile, fails the install: the
//    next visit tries again with the newer sw.js). Files an older version already holds with the
//    same hash are copied from its cache instead of downloaded. The page is not taken over.
//  - activate: the other versions' caches are deleted.
//  - a new version waits while a page of the old one is open. When the only page left navigates
//    (a reload, a link, a new visit), the old worker asks the waiting one to take over and answers
//    with a refresh, so the next document is served wholly by the new version (site.js then
//    shows "已更新"). With two pages open, both keep the old version until one is left.
//  - fetch: GET requests under the root are answered from the cache (query strings ignored: the
//    list is content-addressed by build), anything else from the network; an uncached page
//    offline gets the cached 404 page.
// Nothing here talks to any origin but the site's own.
/* global __CE_PRECACHE */
const { version, files } = self.__CE_PRECACHE;
const PREFIX = "ce-site-";
const CACHE = PREFIX + version;
const ROOT = new URL("./", self.location.href).href;
const HASH_HEADER = "x-ce-sha256";
const PARALLEL = 4;
const HANDOVER_MS = 5000;

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

// The cache key of a URL under the root: no query or fragment, "x/index.html" as "x/".
function keyOf(url) {
  const u = new URL(url);
  u.search = "";
  u.hash = "";
  if (u.pathname.endsWith("/index.html")) u.pathname = u.pathname.slice(0, -"index.html".length);
  return u.href;
}

async function fromOlderVersion(url, sha) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const hit = await (await caches.open(name)).match(url);
    if (hit && hit.headers.get(HASH_HEADER) === sha) return hit;
  }
  return null;
}

async function store(cache, path, sha) {
  const url = ROOT + path;
  const have = await cache.match(url);
  if (have && have.headers.get(HASH_HEADER) === sha) return; // an interrupted install resumed
  const older = await fromOlderVersion(url, sha);
  if (older) {
    await cache.put(url, older);
    return;
  }
  const response = await fetch(url, { cache: "no-cache", credentials: "same-origin" });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  const body = await response.arrayBuffer();
  const got = hex(await crypto.subtle.digest("SHA-256", body));
  if (got !== sha) throw new Error(`${path}: content differs from this build (another build is being deployed)`);
  const headers = { [HASH_HEADER]: sha };
  const type = response.headers.get("content-type");
  if (type) headers["content-type"] = type;
  await cache.put(url, new Response(body, { status: 200, headers }));
}

async function precache() {
  const cache = await caches.open(CACHE);
  const queue = files.slice();
  const lane = async () => {
    while (queue.length) {
      const [path, sha] = queue.shift();
      await store(cache, path, sha);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))),
      ),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "take-over") self.skipWaiting();
  if (data.type === "version" && event.ports[0]) event.ports[0].postMessage({ version });
});

// A navigation while a newer version waits and no other page is open: ask the new version to take
// over and answer with a refresh, so the next document is requested from it. (Waiting here for it
// to activate would wait forever: activation waits for this very fetch to finish.) Until it is
// active, a refresh may come back here and is answered alike, a few times at most.
let handovers = [];
function handOverResponse() {
  // (an icon of its own: else the browser asks the origin's root for /favicon.ico)
  return new Response('<!doctype html><meta http-equiv="refresh" content="0"><link rel="icon" href="data:,">', {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
async function handOver() {
  const waiting = self.registration.waiting;
  if (waiting?.state !== "installed") return null;
  const now = Date.now();
  handovers = handovers.filter((t) => now - t < HANDOVER_MS);
  if (handovers.length >= 5) return null; // it does not take over: keep serving this version
  const pages = await self.clients.matchAll({ type: "window" });
  if (pages.length > 1) return null; // another page still shows this version
  handovers.push(now);
  waiting.postMessage({ type: "take-over" });
  return handOverResponse();
}

let opened = null; // this version's cache, opened once per worker start
async function cached(url) {
  opened ??= caches.open(CACHE);
  const cache = await opened;
  const key = keyOf(url);
  const hit = await cache.match(key);
  if (hit) return hit;
  const last = key.slice(key.lastIndexOf("/") + 1);
  if (last && !last.includes(".")) return cache.match(`${key}/`); // "x" for "x/"
  return undefined;
}

async function respond(request) {
  if (request.mode === "navigate") {
    const handover = await handOver();
    if (handover) return handover;
  }
  const hit = await cached(request.url);
  if (hit) return hit;
  try {
    return await fetch(request);
  } catch (err) {
    if (request.mode === "navigate") {
      const missing = await cached(`${ROOT}404.html`);
      if (missing) return missing;
    }
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(ROOT)) return;
  if (request.headers.has("range")) return; // partial content: the network's
  event.respondWith(respond(request));
});
