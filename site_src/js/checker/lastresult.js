// The last result the engine computed, kept in this browser for the next visit: a return
// visit shows it at once, marked as such, while the engine boots; the engine's own result
// for the same case then confirms it. A result is a pure function of the case text (the
// saved case with its as_of_year) and of the build's runtime, standard library and wheel,
// whose URLs are content-addressed: the entry is keyed by the SHA-256 of those URLs and the
// case text, so it is only ever shown for exactly the case and the rules it was computed
// for. One entry (the latest), in Cache Storage (not localStorage, whose quota the saved
// case needs); a case without a region deletes it (清空 included).

const CACHE = "ce-checker-result";
const KEY_HEADER = "x-ce-key";
const SAVE_AFTER_MS = 1500; // the result the page settles on, not every keystroke's
const MAX_CHARS = 2_000_000; // a longer result (thousands of activities) is not kept

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

async function keyOf(build, caseText) {
  const text = JSON.stringify([build.index_url, build.lock_url, build.stdlib_url || "", caseText]);
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

export class LastResult {
  // root: the site root (the entry's URL is under it).
  constructor(build, root) {
    this.build = build;
    this.url = new URL("assets/checker/last-result", root).href;
    this.timer = null;
    this.usable = !!(window.caches && window.crypto?.subtle);
  }

  // The stored result text for exactly this case text, or null.
  async read(caseText) {
    if (!this.usable) return null;
    try {
      const cache = await caches.open(CACHE);
      const [hit, key] = await Promise.all([cache.match(this.url), keyOf(this.build, caseText)]);
      if (!hit || hit.headers.get(KEY_HEADER) !== key) return null;
      return await hit.text();
    } catch {
      return null; // storage refused or damaged: the engine computes as on a first visit
    }
  }

  // Keeps value (the engine's result text for caseText) once the page has settled on it.
  keep(caseText, value) {
    if (!this.usable) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (value.length > MAX_CHARS) {
        this.forget();
        return;
      }
      (async () => {
        const key = await keyOf(this.build, caseText);
        const cache = await caches.open(CACHE);
        const headers = { "content-type": "application/json", [KEY_HEADER]: key };
        await cache.put(this.url, new Response(value, { headers }));
      })().catch(() => {});
    }, SAVE_AFTER_MS);
  }

  forget() {
    if (!this.usable) return;
    clearTimeout(this.timer);
    caches.delete(CACHE).catch(() => {});
  }
}
