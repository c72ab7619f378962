// The last result the engine computed, kept in this browser for the next visit: a return
// visit shows it at once, marked as such, while the engine boots; the engine's own result
// for the same case then confirms it. A result is a pure function of the case text (the
// saved case with its as_of_year) and of the build's runtime, standard library and wheel,
// whose URLs are content-addressed: the entry holds those URLs and the case text, and is
// only ever shown for exactly the case and the rules it was computed for (compared as
// text, no hash). One entry (the latest), in localStorage beside the saved case: read
// synchronously, it is there when the form mounts (Cache Storage answered in 0.5–0.8 s on a
// return visit, queued behind the service worker's and the engine's reads of the runtime).
// The saved case comes first: a save refused for quota drops this entry and is tried again
// (store.js). A case without a region deletes it (清空 included).

// The localStorage key: three lines, the build key, the case text, the result text (JSON
// texts from JSON.stringify hold no raw line break).
export const RESULT_KEY = "ce-checker.result.v1";
// Where builds before this one kept it (Cache Storage): deleted when a result is kept.
const OLD_CACHE = "ce-checker-result";
const SAVE_AFTER_MS = 1500; // the result the page settles on, not every keystroke's
// A longer result (over a thousand activities) is not kept: localStorage (about 5 M characters
// an origin) is the saved case's first.
export const MAX_CHARS = 1_000_000;

export class LastResult {
  constructor(build) {
    this.prefix = `${JSON.stringify([build.index_url, build.lock_url, build.stdlib_url || ""])}\n`;
    this.timer = null;
    this.pending = null; // the write keep() has scheduled: done at once when the page goes away
    this.oldDropped = false;
    window.addEventListener("pagehide", () => this.pending?.());
  }

  // The kept result text for exactly this case text, or null.
  read(caseText) {
    let text;
    try {
      text = localStorage.getItem(RESULT_KEY);
    } catch {
      return null; // storage refused: the engine computes as on a first visit
    }
    const head = `${this.prefix}${caseText}\n`;
    return text?.startsWith(head) ? text.slice(head.length) : null;
  }

  // Keeps value (the engine's result text for caseText) once the page has settled on it (or
  // when the page goes away before: the last result it showed).
  keep(caseText, value) {
    clearTimeout(this.timer);
    this.pending = () => {
      clearTimeout(this.timer);
      this.pending = null;
      if (value.length + caseText.length > MAX_CHARS) {
        this.forget();
        return;
      }
      try {
        localStorage.setItem(RESULT_KEY, `${this.prefix}${caseText}\n${value}`);
      } catch {
        this.forget(); // no room: the saved case needs it more
      }
      if (!this.oldDropped && window.caches) {
        this.oldDropped = true;
        caches.delete(OLD_CACHE).catch(() => {});
      }
    };
    this.timer = setTimeout(this.pending, SAVE_AFTER_MS);
  }

  forget() {
    clearTimeout(this.timer);
    this.pending = null;
    try {
      localStorage.removeItem(RESULT_KEY);
    } catch {
      /* nothing kept */
    }
  }
}
