/* Site-wide behaviour (classic script, loaded after Material's bundle).
 *
 * Per-page work runs through Material's `document$` observable, which emits on
 * the first load and after every instant-navigation page swap:
 *  - highlight the element named by the address's #fragment (a cited clause),
 *    since CSS :target does not follow instant navigation;
 *  - on a rules reference page, a year filter that shows only the rules in
 *    force in the chosen year (built from data-years / data-from / data-until).
 * Nothing here talks to the network.
 */
(function () {
  "use strict";

  var TARGET = "site-target";

  function markTarget() {
    var old = document.querySelectorAll("." + TARGET);
    for (var i = 0; i < old.length; i++) old[i].classList.remove(TARGET);
    var hash = window.location.hash;
    if (!hash || hash.length < 2) return;
    var id;
    try {
      id = decodeURIComponent(hash.slice(1));
    } catch (e) {
      return;
    }
    var el = document.getElementById(id);
    if (!el) return;
    // A row anchor is an empty <span id> in the row's first cell: mark the row.
    if (el.tagName === "SPAN" && !el.textContent.trim()) {
      el = el.closest("tr") || el.parentElement || el;
    }
    el.classList.add(TARGET);
  }

  function inForce(rule, year) {
    var from = parseInt(rule.getAttribute("data-from"), 10);
    var untilText = rule.getAttribute("data-until");
    var until = untilText ? parseInt(untilText, 10) : Infinity;
    return from <= year && year <= until;
  }

  function setupYearFilter() {
    var box = document.querySelector(".ref-year-filter[data-years]");
    if (!box || box.getAttribute("data-ready") === "1") return;
    var years = (box.getAttribute("data-years") || "")
      .split(",")
      .map(function (y) { return parseInt(y, 10); })
      .filter(function (y) { return !isNaN(y); });
    if (!years.length) return;
    var rules = document.querySelectorAll(".ref-rule[data-from]");

    var label = document.createElement("label");
    label.textContent = "只看某一年度施行的规则：";
    var select = document.createElement("select");
    select.setAttribute("aria-label", "年度");
    var all = document.createElement("option");
    all.value = "";
    all.textContent = "全部年度";
    select.appendChild(all);
    years.forEach(function (y) {
      var opt = document.createElement("option");
      opt.value = String(y);
      opt.textContent = y + " 年";
      select.appendChild(opt);
    });
    label.appendChild(select);
    var out = document.createElement("output");
    out.setAttribute("aria-live", "polite");

    function apply() {
      var year = select.value ? parseInt(select.value, 10) : null;
      var shown = 0;
      for (var i = 0; i < rules.length; i++) {
        var show = year === null || inForce(rules[i], year);
        rules[i].classList.toggle("ref-rule--hidden", !show);
        if (show) shown++;
      }
      out.textContent = year === null ? "共 " + rules.length + " 条规则" : year + " 年施行 " + shown + " 条规则（其余已隐藏）";
    }

    select.addEventListener("change", apply);
    box.appendChild(label);
    box.appendChild(out);
    box.hidden = false;
    box.setAttribute("data-ready", "1");
    apply();
  }

  function onPage() {
    markTarget();
    setupYearFilter();
  }

  window.addEventListener("hashchange", markTarget);
  if (typeof window.document$ !== "undefined" && window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();
