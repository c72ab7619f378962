// Named readings (解读) on the page: where a clause can be read two ways, the engine computes
// the case under the readings it chose (the default unless the case's `readings` names
// another) and writes the numbers under the other reading as `alternatives`. This module
// shows those numbers under the ones they differ from ("另一种理解：…"), marks what was
// computed under a non-default reading, and renders the 解读 section whose controls switch
// a reading for the whole case.
import { sourceHref } from "./assets.js";
import { fmt, h, num, patch } from "./dom.js";

export const NON_DEFAULT = "按非默认解读计算";

// Whether an engine message is about the case's `readings` (shown in the 解读 section).
export function isReadingField(field) {
  return field === "readings" || String(field).startsWith("readings.");
}

// The anchor of one reading in the 解读 section (reading ids hold dots: not in a selector).
export function readingAnchor(id) {
  return `ce-reading-${String(id).replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

// A link to a reading's switch: scrolls the results (their own scroll box on wide screens)
// to it and focuses its chosen option, without a navigation (Material's instant navigation,
// listening on the body, would otherwise take the click and scroll to the top).
export function switchLink(id, text) {
  const anchor = readingAnchor(id);
  return h(
    "a",
    {
      href: `#${anchor}`,
      class: "ce-alt__switch",
      onclick: (event) => {
        const target = document.getElementById(anchor);
        if (!target) return;
        event.preventDefault();
        event.stopPropagation();
        target.scrollIntoView({ block: "center" });
        (target.querySelector("input:checked") || target.querySelector("input"))?.focus({ preventScroll: true });
      },
    },
    text,
  );
}

// What a result says about readings: each reading by id, the ones used that are not the
// default, and which rows and years were computed under one of those.
export class ReadingState {
  constructor(result) {
    this.list = result?.readings || [];
    this.byId = new Map(this.list.map((r) => [r.id, r]));
    this.nonDefault = this.list.filter((r) => !r.is_default);
    const ids = new Set(this.nonDefault.map((r) => r.id));
    this.nonDefaultIds = ids;
    this.nonDefaultRules = new Set(this.nonDefault.flatMap((r) => r.rules || []));
    // Years that hold a share of an affected row.
    this.affectedYears = new Set();
    for (const row of result?.activities || []) {
      if (!this.rowAffected(row)) continue;
      if (row.year != null) this.affectedYears.add(String(row.year));
      for (const y of Object.keys(row.by_year || {})) this.affectedYears.add(y);
    }
  }

  get any() {
    return this.nonDefault.length > 0;
  }

  // A row whose rule (or a cap on it) a non-default reading overrides, or whose numbers it changes.
  rowAffected(row) {
    if (!this.any) return false;
    const rules = this.nonDefaultRules;
    return (
      (row.alternatives || []).some((a) => this.nonDefaultIds.has(a.reading)) ||
      (row.readings || []).some((id) => this.nonDefaultIds.has(id)) ||
      rules.has(row.rule) ||
      (row.caps || []).some((c) => rules.has(c.rule))
    );
  }

  yearAffected(year, y) {
    if (!this.any) return false;
    return (y.alternatives || []).some((a) => this.nonDefaultIds.has(a.reading)) || this.affectedYears.has(year);
  }

  // The labels of the non-default options used ("问题：所用理解"), for titles and the print header.
  summary() {
    return this.nonDefault.map((r) => `${r.question} 本次采用：${optionLabel(r, r.used)}`).join("；");
  }
}

function optionLabel(reading, option) {
  return reading.options?.find((o) => o.id === option)?.label ?? option;
}

// The badge on a number computed under a non-default reading.
export function nonDefaultBadge(state) {
  return h("span", { class: "ce-tag ce-tag--reading", title: state.summary() }, NON_DEFAULT);
}

// The "另一种理解：…" lines under numbers a reading changes: one <details> per alternative,
// its summary the label and the other numbers (`numbers(alt, k)` renders them), its body the
// reading's question with links to the switch and to the clause.
export function alternativeLines(state, alternatives, numbers, extraClass = "") {
  return (alternatives || []).map((alt, k) => {
    const reading = state.byId.get(alt.reading);
    const href = reading ? sourceHref(reading.source) : null;
    return h(
      "details",
      { class: `ce-alt${extraClass}`, dataset: { reading: alt.reading, option: alt.option } },
      h("summary", {}, h("span", { class: "ce-alt__key" }, "另一种理解："), `${alt.label}——`, numbers(alt, k)),
      h(
        "p",
        { class: "ce-alt__why" },
        reading ? reading.question : "",
        " ",
        switchLink(alt.reading, "在“解读”中切换"),
        href ? [" · ", h("a", { href, class: "ce-source" }, "查看条款")] : null,
      ),
    );
  });
}

// Subject numbers of one alternative ("公需 0，专业 60"), tagged with their path in the result
// unless path is null.
export function subjectNumbers(vocab, path, alt, unit, withTotal = false) {
  const shown = (key) => (path == null ? fmt(alt[key]) : num(`${path}.${key}`, alt[key]));
  return [
    vocab.subjects.map(([key, zh], k) => [k ? "，" : "", `${zh} `, shown(key)]),
    withTotal ? ["，合计 ", shown("total")] : null,
    unit ? ` ${unit}` : "",
  ];
}

// The 解读 section: each reading that concerns the case, its question, a link to the clause
// and radio buttons that switch it for the whole case; and the engine's messages about the
// case's `readings` (an unknown reading or option), each with a button that removes that choice.
export class ReadingsSection {
  // choose(id, option, reading): switch a reading; drop(field): remove a faulty choice.
  constructor(vocab, { choose, drop }) {
    this.vocab = vocab;
    this.choose = choose;
    this.drop = drop;
    this.el = h("section", { class: "ce-readings", "aria-labelledby": "ce-h-readings" });
  }

  // result: the result document; returns the section, or null when there is nothing to show.
  render(result) {
    const readings = result?.readings || [];
    const errors = (result?.errors || []).filter((e) => e.index == null && isReadingField(e.field));
    if (!readings.length && !errors.length) return null;
    const focused = document.activeElement;
    const refocus = this.el.contains(focused) ? focused.dataset.focusKey : null;
    patch(this.el, JSON.stringify([readings, errors]), () => [
      h("h3", { id: "ce-h-readings", class: "ce-readings__head" }, "解读"),
      h(
        "p",
        { class: "ce-readings__intro" },
        "以下条款可以有两种理解。本站默认采用不会多算学时的理解；如审验部门按另一种理解认定，可在此切换，整个案例随即按所选理解重新核算。",
      ),
      errors.length
        ? h(
            "ul",
            { class: "ce-errors ce-readings__errors" },
            errors.map((e) =>
              h(
                "li",
                {},
                e.message,
                " ",
                h(
                  "button",
                  {
                    type: "button",
                    class: "ce-link-btn",
                    dataset: { action: "drop-reading" },
                    onclick: () => this.drop(e.field),
                  },
                  "删除此项选择",
                ),
              ),
            ),
          )
        : null,
      readings.map((r) => this.renderReading(r)),
    ]);
    if (refocus) this.el.querySelector(`[data-focus-key="${CSS.escape(refocus)}"]`)?.focus();
    return this.el;
  }

  renderReading(r) {
    const href = sourceHref(r.source);
    const name = `ce-reading-choice-${r.id}`;
    const status = r.changes_numbers ? "另一种理解会改变本案例的学时" : "另一种理解不改变本案例的学时";
    return h(
      "fieldset",
      {
        class: `ce-reading${r.is_default ? "" : " ce-reading--nondefault"}`,
        id: readingAnchor(r.id),
        dataset: { reading: r.id, used: r.used },
      },
      h("legend", { class: "ce-reading__question" }, r.question),
      h(
        "p",
        { class: "ce-reading__meta" },
        href ? h("a", { href, class: "ce-source" }, this.vocab.policyName(r.cite) ?? "查看条款") : null,
        href ? " · " : null,
        h("span", { class: r.changes_numbers ? "ce-reading__changes" : "ce-reading__same" }, status),
        r.is_default ? null : [" ", h("span", { class: "ce-tag ce-tag--reading" }, NON_DEFAULT)],
      ),
      h(
        "div",
        { class: "ce-reading__options" },
        r.options.map((o) => {
          const input = h("input", {
            type: "radio",
            class: "ce-check",
            name,
            value: o.id,
            checked: o.id === r.used,
            dataset: { focusKey: `${r.id} ${o.id}` },
          });
          input.addEventListener("change", () => {
            if (input.checked) this.choose(r.id, o.id, r);
          });
          return h(
            "label",
            { class: "ce-field__check ce-reading__option" },
            input,
            h("span", {}, o.label, o.id === r.default ? h("span", { class: "ce-reading__default" }, "（默认）") : null),
          );
        }),
      ),
      h("p", { class: "ce-reading__used" }, `本次计算采用：${optionLabel(r, r.used)}${r.is_default ? "（默认）" : ""}`),
      (r.notes || []).map((n) => h("p", { class: "ce-reading__note" }, n)),
    );
  }
}

// The case's readings after choosing `option` for reading `id` (`default` removes the key;
// an empty choice removes `readings` from the case). Edits the case in place.
export function chooseReading(caseData, id, option, defaultOption) {
  const raw = caseData.readings;
  const choice = raw && typeof raw === "object" && !Array.isArray(raw) ? { ...raw } : {};
  if (option === defaultOption) delete choice[id];
  else choice[id] = option;
  if (Object.keys(choice).length) caseData.readings = choice;
  else delete caseData.readings;
}

// Removes the choice an engine message names (`readings.<id>`, or `readings` itself).
export function dropReading(caseData, field) {
  if (field === "readings") {
    delete caseData.readings;
    return;
  }
  const id = field.slice("readings.".length);
  const raw = caseData.readings;
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    const choice = { ...raw };
    delete choice[id];
    if (Object.keys(choice).length) caseData.readings = choice;
    else delete caseData.readings;
  }
}
