// Site-wide behaviour (a classic script, loaded after Material's bundle).
//
// Per-page work runs through Material's `document$` observable, which emits on the first
// load and after every instant-navigation page swap:
//  - highlight the element named by the address's #fragment (a cited clause), since CSS
//    :target does not follow instant navigation;
//  - on a rules reference page, a year filter that shows only the rules in force in the
//    chosen year (built from data-years / data-from / data-until).
// Once per document: the offline copy (below, registerOffline).
// Nothing here talks to any origin but the site's own.
(() => {
  const TARGET = "site-target";

  const markTarget = () => {
    for (const el of document.querySelectorAll(`.${TARGET}`)) el.classList.remove(TARGET);
    const hash = window.location.hash;
    if (!hash || hash.length < 2) return;
    let id;
    try {
      id = decodeURIComponent(hash.slice(1));
    } catch {
      return;
    }
    let el = document.getElementById(id);
    if (!el) return;
    // A row anchor is an empty <span id> in the row's first cell: mark the row.
    if (el.tagName === "SPAN" && !el.textContent.trim()) {
      el = el.closest("tr") || el.parentElement || el;
    }
    el.classList.add(TARGET);
  };

  const inForce = (rule, year) => {
    const from = Number.parseInt(rule.getAttribute("data-from"), 10);
    const untilText = rule.getAttribute("data-until");
    const until = untilText ? Number.parseInt(untilText, 10) : Number.POSITIVE_INFINITY;
    return from <= year && year <= until;
  };

  const setupYearFilter = () => {
    const box = document.querySelector(".ref-year-filter[data-years]");
    if (!box || box.getAttribute("data-ready") === "1") return;
    const years = (box.getAttribute("data-years") || "")
      .split(",")
      .map((y) => Number.parseInt(y, 10))
      .filter((y) => !Number.isNaN(y));
    if (!years.length) return;
    const rules = document.querySelectorAll(".ref-rule[data-from]");

    const label = document.createElement("label");
    label.textContent = "只看某一年度施行的规则：";
    const select = document.createElement("select");
    select.setAttribute("aria-label", "年度");
    const all = document.createElement("option");
    all.value = "";
    all.textContent = "全部年度";
    select.appendChild(all);
    for (const y of years) {
      const opt = document.createElement("option");
      opt.value = String(y);
      opt.textContent = `${y} 年`;
      select.appendChild(opt);
    }
    label.appendChild(select);
    const out = document.createElement("output");
    out.setAttribute("aria-live", "polite");

    const apply = () => {
      const year = select.value ? Number.parseInt(select.value, 10) : null;
      let shown = 0;
      for (const rule of rules) {
        const show = year === null || inForce(rule, year);
        rule.classList.toggle("ref-rule--hidden", !show);
        if (show) shown++;
      }
      out.textContent = year === null ? `共 ${rules.length} 条规则` : `${year} 年施行 ${shown} 条规则（其余已隐藏）`;
    };

    select.addEventListener("change", apply);
    box.appendChild(label);
    box.appendChild(out);
    box.hidden = false;
    box.setAttribute("data-ready", "1");
    apply();
  };

  // Boxes that scroll sideways (Material's wrapper around a wide table, the changes page's
  // timeline): while their content is wider than they are, they take the keyboard focus (Tab, then
  // the arrow keys scroll them) and carry a name; when everything fits they leave the tab order.
  const SCROLL_BOXES = ".md-typeset__scrollwrap, .ref-table-scroll";
  const markScrollBox = (box) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      const caption = box.querySelector("caption")?.textContent.trim();
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", caption ? `可左右滚动的表格：${caption}` : "可左右滚动的表格");
      box.dataset.siteScroll = "1";
    } else if (!scrolls && box.dataset.siteScroll) {
      for (const name of ["tabindex", "role", "aria-label", "data-site-scroll"]) box.removeAttribute(name);
    }
  };
  const scrollBoxes =
    "ResizeObserver" in window
      ? new ResizeObserver((entries) => {
          for (const entry of entries) markScrollBox(entry.target);
        })
      : null;
  const setupScrollBoxes = () => {
    // After Material's own subscriber has wrapped the tables of the new page.
    requestAnimationFrame(() => {
      scrollBoxes?.disconnect();
      for (const box of document.querySelectorAll(SCROLL_BOXES)) {
        markScrollBox(box);
        scrollBoxes?.observe(box);
      }
    });
  };

  const onPage = () => {
    markTarget();
    setupYearFilter();
    setupScrollBoxes();
  };

  // Offline copy: registers the service worker <site root>/sw.js (site_src/js/sw.js, written by
  // site_src/hooks/offline.py), which stores the whole site, checker and Pyodide included. On a first
  // visit it waits until the page is loaded and, on the checker page, until the first result is on
  // the page (or 15 s), so that storing competes with nothing the visitor waits for. Each version
  // of the site is one cache; when the version that serves this page differs from the one this
  // browser last saw, a quiet "已更新" notice says so.
  const SITE_SCRIPT = document.currentScript;
  const VERSION_KEY = "ce-site.version";

  const serviceWorkerVersion = (worker) =>
    new Promise((resolve) => {
      const channel = new MessageChannel();
      const timer = setTimeout(() => resolve(null), 3000);
      channel.port1.onmessage = (event) => {
        clearTimeout(timer);
        resolve(event.data?.version || null);
      };
      worker.postMessage({ type: "version" }, [channel.port2]);
    });

  const showUpdated = () => {
    const note = document.createElement("div");
    note.className = "site-updated";
    note.setAttribute("role", "status");
    note.textContent = "已更新：本站已换成新版本，离线时也可使用。";
    const close = document.createElement("button");
    close.type = "button";
    close.className = "site-updated__close";
    close.setAttribute("aria-label", "关闭提示");
    close.textContent = "×";
    close.addEventListener("click", () => note.remove());
    note.appendChild(close);
    document.body.appendChild(note);
    setTimeout(() => note.remove(), 12000);
  };

  // Remembers the version that serves the page; says "已更新" when it changed since the last visit.
  const noteVersion = async (worker) => {
    const version = worker && (await serviceWorkerVersion(worker));
    if (!version) return;
    let last = null;
    try {
      last = localStorage.getItem(VERSION_KEY);
      localStorage.setItem(VERSION_KEY, version);
    } catch {
      return; // no storage: no notice
    }
    if (navigator.serviceWorker.controller === worker && last && last !== version) showUpdated();
  };

  // On the checker page: resolves once the first result is on the page (data-ce-seq), or the engine
  // is ready with nothing to compute (its status's data-stage), or after 15 s.
  const checkerSettled = () =>
    new Promise((resolve) => {
      const root = document.getElementById("ce-checker");
      const settled = () => root.dataset.ceSeq || root.querySelector(".ce-status[data-stage=ready]");
      if (!root || settled()) {
        resolve();
        return;
      }
      const observer = new MutationObserver(() => {
        if (settled()) finish();
      });
      const timer = setTimeout(() => finish(), 15000);
      const finish = () => {
        observer.disconnect();
        clearTimeout(timer);
        resolve();
      };
      observer.observe(root, { attributes: true, subtree: true, attributeFilter: ["data-ce-seq", "data-stage"] });
    });

  // The checker's memory snapshot for return visits (site_src/js/checker-worker.js, "Memory
  // snapshot"): made once per build and browser, in a worker of its own, once the site is stored and
  // the checker's first result is on the page. The worker answers at once when it exists already.
  const makeSnapshot = () => {
    const meta = document.querySelector('meta[name="ce-checker"]');
    const script = document.querySelector('script[type="module"][src*="assets/js/checker.js"]');
    if (!meta || !script || !document.getElementById("ce-checker") || !window.caches || !window.Worker) return;
    let build;
    try {
      build = JSON.parse(meta.content);
    } catch {
      return;
    }
    const root = new URL("../../", SITE_SCRIPT.src);
    const url = (path) => new URL(path, root).href;
    const scriptURL = new URL(script.src, window.location.href);
    const workerURL = new URL("checker-worker.js", scriptURL);
    workerURL.search = scriptURL.search;
    const worker = new Worker(workerURL, { type: "module", name: "ce-snapshot" });
    const done = () => worker.terminate();
    worker.onmessage = (event) => {
      if (event.data?.type === "reply") done();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      done();
    };
    worker.postMessage({
      id: 1,
      method: "snapshot",
      indexURL: url(build.index_url),
      lockFileURL: url(build.lock_url),
      stdLibURL: build.stdlib_url ? url(build.stdlib_url) : undefined,
    });
  };

  const registerOffline = async () => {
    if (!("serviceWorker" in navigator) || !window.isSecureContext || !SITE_SCRIPT?.src) return;
    const root = new URL("../../", SITE_SCRIPT.src); // site.js is <root>/assets/js/site.js
    const sw = navigator.serviceWorker;
    if (sw.controller) {
      noteVersion(sw.controller);
    } else {
      if (document.readyState !== "complete") await new Promise((r) => window.addEventListener("load", r));
      await checkerSettled();
    }
    try {
      const reg = await sw.register(new URL("sw.js", root).href, { scope: root.pathname, updateViaCache: "none" });
      if (!sw.controller) {
        // First visit: remember the version this browser now holds, so that the next one differing says so.
        const ready = await sw.ready;
        if (ready.active) noteVersion(ready.active);
      } else {
        reg.update().catch(() => {}); // offline, or the site unreachable: the stored version serves
      }
    } catch {
      return; /* no offline copy (private mode, storage refused): the site works online as before */
    }
    await checkerSettled();
    makeSnapshot();
  };

  registerOffline();

  window.addEventListener("hashchange", markTarget);
  if (typeof window.document$?.subscribe === "function") {
    window.document$.subscribe(onPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();
