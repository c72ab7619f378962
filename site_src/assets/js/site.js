// Site-wide behaviour (a classic script, loaded after Material's bundle).
//
// Per-page work runs through Material's `document$` observable, which emits on the first
// load and after every instant-navigation page swap:
//  - highlight the element named by the address's #fragment (a cited clause), since CSS
//    :target does not follow instant navigation;
//  - on a rules reference page, a year filter that shows only the rules in force in the
//    chosen year (built from data-years / data-from / data-until).
// Nothing here talks to the network.
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

  const onPage = () => {
    markTarget();
    setupYearFilter();
  };

  window.addEventListener("hashchange", markTarget);
  if (typeof window.document$?.subscribe === "function") {
    window.document$.subscribe(onPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();
