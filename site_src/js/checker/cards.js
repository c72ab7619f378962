// The activity cards of the form: one per entry of the case's activities, each editing
// its activity in place, with the engine's messages and the activity's outcome.
//
// Built to stay responsive with thousands of activities (`make bench` measures 2,000):
// - A card stays with its activity (the same object) across edits: adding, copying or
//   deleting one builds or removes one card and renumbers the others.
// - The work for many cards (building them, drawing a result into them) is done in chunks
//   of CHUNK_MS, one task each, the first after the page has painted the form without them;
//   `settled()` tells when it is done.
// - Cards sit in pages of about PAGE cards (at most 2 × PAGE): inserting or removing a card
//   restyles its page only (the site's stylesheets have sibling and nth-child rules: in one
//   flat list, removing the first of 2,000 cards restyled all of them), and a page out of
//   view is skipped by the browser (content-visibility in checker.css). A page that loses
//   its last card stays, empty and without height, until the list is drawn anew: taking an
//   element with content-visibility out of the document costs Chromium a restyle of the
//   whole page (100–300 ms at 2,000 cards).
// - Only the cards of pages near the viewport (an IntersectionObserver) have their form
//   controls and their outcome drawn; the others show their heading. Chromium's autofill
//   scans every form control of the page after each change of the form (250 ms at 12,000
//   controls), and Material's history.replaceState while scrolling serialised them all.
// On a narrow screen (one column) only the card being edited is open: the others are one
// line (number, kind, year, name, what it earns); a tap on that line opens the card. A card
// with a message from the engine stays open.
// A field that depends on another of its activity (x-depends-on, case.yaml `shown_if`) is
// shown while that holds, and always while it has a value or a message from the engine: hiding
// is display only (a rule that needs the field asks for it, and the field shows).
import { afterPaint, fill, h, patch, uniqueId } from "./dom.js";
import { makeField } from "./fields.js";
import { applies, widgetOf } from "./vocab.js";

const CHUNK_MS = 25;
// 5: a page near the viewport has its cards' controls built; on a return visit with 40 activities
// pages of 20 built and laid out 20 cards' controls before the first result (~160 ms more).
const PAGE = 5;
// How far beyond the viewport a page counts as near (its cards get their controls).
const NEAR_MARGIN = "100% 0px";
// The one-column layout (checker.css), where finished cards fold to one line.
const NARROW = "(max-width: 76.1875em)";

// Text and flags fields take a whole row of the grid; the others are narrow.
export const isWide = (spec) => ["str", "flags"].includes(widgetOf(spec));
export const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// data-ce-num paths of an activity's row start with its index: after a renumbering the
// row's elements are kept and their paths rewritten.
function renumberRow(el, from, to) {
  const old = `activities.${from}.`;
  for (const node of el.querySelectorAll("[data-ce-num]")) {
    const path = node.dataset.ceNum;
    if (path.startsWith(old)) node.dataset.ceNum = `activities.${to}.${path.slice(old.length)}`;
  }
}

export class ActivityCards {
  // vocab: the Vocabulary; getCase(): the case; actions: {changed(), duplicate(index),
  // remove(index), changeKind(index, kind)}; kindOptions(selected): the kind <option>s.
  // yearChoices(): the years a year field offers as chips. start: the first cards wait for it
  // (default: the next paint).
  constructor(vocab, getCase, actions, kindOptions, yearChoices = () => [], start = afterPaint()) {
    this.vocab = vocab;
    this.getCase = getCase;
    this.actions = actions;
    this.kindOptions = kindOptions;
    this.yearChoices = yearChoices;
    this.openCard = null; // the card being edited (open on a narrow screen)
    this.narrow = typeof matchMedia === "function" ? matchMedia(NARROW) : null;
    this.onNarrow = () => {
      for (const card of this.cards) if (card) this.applyOpen(card);
    };
    this.narrow?.addEventListener?.("change", this.onNarrow);
    this.listEl = h("div", { class: "ce-acts" });
    this.cards = []; // one per entry of the activities, in order; undefined until built
    this.waiters = []; // settled() promises
    this.result = null; // the result being shown, by activity index (showResult)
    this.resultVersion = 0; // a card shows the result of this version (card.resultVersion)
    this.resultStale = false; // the list changed since that result: new cards show none yet
    this.regionVersion = 0; // a card's heading and kind list follow the region of this version
    // The first cards wait until the page has painted what was drawn before them (the form's
    // first fields take input a frame earlier; a return visit measured 30–50 ms of building
    // and the layout of 20 cards' controls in that frame).
    this.firstPaint = start.then(() => {
      this.firstPaint = null;
      this.work();
    });
    this.io =
      typeof IntersectionObserver === "function"
        ? new IntersectionObserver((entries) => this.onNear(entries), { rootMargin: NEAR_MARGIN })
        : null;
  }

  // The case's activities when they are a list ([] otherwise: shown as a field error).
  activityList() {
    const acts = this.getCase().activities;
    return Array.isArray(acts) ? acts : [];
  }

  // No more work (the view is gone: instant navigation left the page).
  stop() {
    clearTimeout(this.workTimer);
    this.workTimer = null;
    this.io?.disconnect();
    this.narrow?.removeEventListener?.("change", this.onNarrow);
    this.stopped = true;
  }

  // No card at all (before the list is drawn anew).
  clear() {
    this.io?.disconnect();
    fill(this.listEl);
    this.cards = [];
    this.openCard = null;
    this.result = null;
    this.resultStale = false;
  }

  // --- open and folded cards --------------------------------------------------------------

  // Opens a card (null: none) and folds the one open before.
  open(card) {
    const before = this.openCard;
    this.openCard = card || null;
    if (before && before !== card) this.applyOpen(before);
    if (card) this.applyOpen(card);
    if (card && !card.body && !card.bad) this.work(); // the open card has its controls wherever it is
  }

  // A card folds on a narrow screen unless it is open or has a message from the engine.
  applyOpen(card) {
    if (card.bad || !card.toggle) return;
    const folded =
      Boolean(this.narrow?.matches) && card !== this.openCard && !card.el.classList.contains("ce-act--invalid");
    card.el.classList.toggle("ce-act--folded", folded);
    if (this.narrow?.matches) card.toggle.setAttribute("aria-expanded", String(!folded));
    else card.toggle.removeAttribute("aria-expanded");
  }

  // --- the list ------------------------------------------------------------------------

  // The cards for the case's activities as they are now; focus: {index, name?} the card
  // (its heading, or the named field) to focus and scroll into view once it is built.
  render(focus) {
    const acts = this.activityList();
    const old = this.cards;
    const byObject = new Map();
    for (const card of old) if (card && !card.bad) byObject.set(card.act, card);
    let moved = acts.length !== old.length;
    const cards = acts.map((act, i) => {
      let card;
      if (isObject(act)) {
        card = byObject.get(act);
        byObject.delete(act); // the same object twice in the list: a second card
      } else if (old[i]?.bad && Object.is(old[i].act, act)) {
        card = old[i];
      }
      if (!card || card.index !== i) moved = true;
      return card;
    });
    const kept = new Set(cards.filter(Boolean));
    for (const card of old) if (card && !kept.has(card)) card.el.remove();
    // The result on the page was computed for the old list: new cards show none until the
    // next result; kept cards keep theirs.
    if (moved) this.resultStale = true;
    this.emptyEl?.remove();
    this.placeCards(cards);
    this.drawingAnew = !old.some(Boolean); // until buildCards() has built them all
    this.cards = cards;
    if (!acts.length) {
      this.emptyEl = h(
        "p",
        { class: "ce-empty" },
        "还没有活动。请在下方选择活动类型并点击“添加活动”，或导入已保存的 JSON 文件。",
      );
      this.listEl.append(this.emptyEl);
    }
    this.focusTarget = focus || null;
    this.work();
  }

  newPage() {
    const page = h("div", { class: "ce-acts__page" });
    // Near until the observer says otherwise (it reports every new target), except the pages
    // after the first when the list is drawn anew: their cards' controls wait for the observer
    // (else all of them were built and laid out for the first result, then dropped again).
    page.__ceNear = !this.listEl.firstElementChild || !this.drawingAnew;
    this.io?.observe(page);
    return page;
  }

  // The built cards into the pages in list order, moving only those out of place, and
  // renumbered.
  placeCards(cards) {
    let page = this.listEl.firstElementChild;
    let node = page?.firstElementChild ?? null;
    cards.forEach((card, i) => {
      if (!card) return;
      card.setIndex(i);
      while (page && !node && page.nextElementSibling) {
        page = page.nextElementSibling;
        node = page.firstElementChild;
      }
      if (card.el === node) {
        node = node.nextElementSibling;
        return;
      }
      if (!page) page = this.listEl.appendChild(this.newPage());
      page.insertBefore(card.el, node);
    });
    this.splitPages();
  }

  // A card's element into the list before another's (null: at the end).
  insertCard(el, before) {
    if (before) {
      before.parentNode.insertBefore(el, before);
      return;
    }
    let last = this.listEl.lastElementChild;
    if (!last || last.childElementCount >= PAGE) last = this.listEl.appendChild(this.newPage());
    last.append(el);
  }

  // A page grown beyond 2 × PAGE cards is split.
  splitPages() {
    for (const page of [...this.listEl.children]) {
      if (page.childElementCount <= 2 * PAGE || !page.classList.contains("ce-acts__page")) continue;
      let at = page;
      const rest = [...page.children].slice(PAGE);
      for (let k = 0; k < rest.length; k += PAGE) {
        const next = this.newPage();
        next.append(...rest.slice(k, k + PAGE));
        at.after(next);
        at = next;
      }
    }
  }

  onNear(entries) {
    for (const entry of entries) entry.target.__ceNear = entry.isIntersecting;
    this.work();
  }

  isNear(card) {
    return card === this.openCard || card.el.parentNode?.__ceNear !== false;
  }

  // --- chunked work --------------------------------------------------------------------

  // One chunk now; the rest in later tasks (one at a time).
  work() {
    if (this.stopped || this.firstPaint) return;
    const deadline = performance.now() + CHUNK_MS;
    const done = this.buildCards(deadline) && this.syncCards(deadline);
    this.applyFocus();
    if (done) {
      for (const resolve of this.waiters.splice(0)) resolve();
    } else if (!this.workTimer) {
      this.workTimer = setTimeout(() => {
        this.workTimer = null;
        this.work();
      }, 0);
    }
  }

  // Resolves when every card is built and the cards near the viewport show the latest result.
  settled() {
    if (!this.workTimer && !this.firstPaint && this.cards.every((card) => card && this.isSynced(card)))
      return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  // For each card index, the element of the first built card after it (null: the end).
  anchors() {
    const out = new Array(this.cards.length);
    let next = null;
    for (let i = this.cards.length - 1; i >= 0; i--) {
      out[i] = next;
      if (this.cards[i]) next = this.cards[i].el;
    }
    return out;
  }

  buildCard(i) {
    const act = this.activityList()[i];
    const card = isObject(act) ? this.makeCard(act) : this.makeBadEntry(act);
    card.act = act;
    card.index = null;
    card.regionVersion = this.regionVersion;
    card.resultVersion = -1;
    card.rowIndex = null;
    card.setIndex(i);
    this.cards[i] = card;
    return card;
  }

  // Builds missing cards in order (the one to focus first) until the deadline; true when none is left.
  buildCards(deadline) {
    const f = this.focusTarget?.index;
    if (f != null && f < this.cards.length && !this.cards[f]) {
      const anchor = this.anchors()[f];
      this.insertCard(this.buildCard(f).el, anchor);
    }
    let anchors = null;
    let done = true;
    for (let i = 0; i < this.cards.length; i++) {
      if (this.cards[i]) continue;
      if (performance.now() > deadline) {
        done = false;
        break;
      }
      anchors ??= this.anchors();
      this.insertCard(this.buildCard(i).el, anchors[i]);
    }
    if (anchors) this.splitPages();
    if (done) this.drawingAnew = false;
    return done;
  }

  // A card near the viewport has its controls and its outcome; one far away has neither
  // (unless it holds the focus).
  isSynced(card) {
    if (card.regionVersion !== this.regionVersion) return false;
    if (!this.isNear(card)) return !card.body || card.el.contains(document.activeElement);
    return Boolean(card.body || card.bad) && (this.resultStale || card.resultVersion === this.resultVersion);
  }

  // Brings the cards up to date until the deadline; true when all are.
  syncCards(deadline) {
    for (const card of this.cards) {
      if (card && !card.openApplied) {
        card.openApplied = true;
        this.applyOpen(card);
      }
      if (!card || this.isSynced(card)) continue;
      if (performance.now() > deadline) return false;
      if (card.regionVersion !== this.regionVersion) this.syncRegion(card);
      if (!this.isNear(card)) {
        if (card.body && !card.el.contains(document.activeElement)) card.dropBody();
        continue;
      }
      if (!card.body && !card.bad) {
        card.buildBody();
        card.resultVersion = -1; // its fields take their messages
      }
      if (!this.resultStale && card.resultVersion !== this.resultVersion) this.drawResult(card);
    }
    return true;
  }

  applyFocus() {
    const target = this.focusTarget;
    const card = target && this.cards[target.index];
    if (!card) return;
    this.focusTarget = null;
    if (target.name && !card.body && !card.bad) {
      card.buildBody();
      if (!this.resultStale) this.drawResult(card);
    }
    this.open(card);
    const el = target.name ? card.fields.get(target.name)?.control : card.heading;
    if (!el) return;
    const focusable = el.tagName === "FIELDSET" ? el.querySelector("input") : el;
    focusable.focus();
    focusable.scrollIntoView({ block: "nearest" });
  }

  // --- one card ------------------------------------------------------------------------

  deleteButton(card) {
    return h(
      "button",
      {
        type: "button",
        class: "ce-icon-btn ce-icon-btn--danger",
        dataset: { action: "delete" },
        title: card.bad ? null : "删除",
        onclick: () => this.actions.remove(card.index),
      },
      "删除",
    );
  }

  // An entry that is not an object: shown so it can be deleted, never dropped silently.
  makeBadEntry(act) {
    const titleId = uniqueId("ce-act-title");
    const card = { bad: true, fields: new Map(), body: null };
    const num = h("span", { class: "ce-act__num" });
    const heading = h("h3", { id: titleId, class: "ce-act__title", tabindex: "-1" }, num, "无法识别的条目");
    const del = this.deleteButton(card);
    card.heading = heading;
    card.errorsEl = h("ul", { class: "ce-errors", hidden: true });
    card.resultEl = h("div", { class: "ce-act__result" });
    card.el = h(
      "article",
      { class: "ce-act ce-act--invalid", "aria-labelledby": titleId, dataset: { bad: "true" } },
      h("header", { class: "ce-act__head" }, heading, h("div", { class: "ce-act__tools" }, del)),
      h("pre", { class: "ce-act__raw" }, JSON.stringify(act) ?? String(act)),
      card.errorsEl,
      card.resultEl,
    );
    card.updateHead = () => {};
    card.setIndex = (i) => {
      if (card.index === i) return;
      card.index = i;
      card.el.dataset.index = String(i);
      num.textContent = String(i + 1);
      del.setAttribute("aria-label", `删除第 ${i + 1} 项`);
    };
    return card;
  }

  // A card: its heading and tools at once, its controls (buildBody) when near the viewport.
  makeCard(act) {
    const vocab = this.vocab;
    const kind = act.kind;
    const card = { fields: new Map(), body: null };
    const titleId = uniqueId("ce-act-title");
    const heading = h("h3", { id: titleId, class: "ce-act__title", tabindex: "-1" });
    const badge = h("p", { class: "ce-act__badge", hidden: true });
    card.heading = heading;
    card.errorsEl = h("ul", { class: "ce-errors", hidden: true });
    card.resultEl = h("div", { class: "ce-act__result" });
    card.bodyEl = h("div", { class: "ce-act__body" });
    card.sumEl = h("span", { class: "ce-act__sum" });
    card.toggle = h("button", {
      type: "button",
      class: "ce-act__toggle",
      onclick: () => this.open(card.el.classList.contains("ce-act--folded") ? card : null),
    });
    heading.append(card.toggle);
    card.updateHead = () => {
      const year = typeof act.year === "number" ? `${act.year} 年` : "";
      fill(
        card.toggle,
        h("span", { class: "ce-act__num" }, card.index == null ? "" : String(card.index + 1)),
        h("span", { class: "ce-act__kind" }, vocab.kindLabel(act.kind)),
        year ? h("span", { class: "ce-act__year" }, year) : null,
        act.title ? h("span", { class: "ce-act__name" }, String(act.title)) : null,
        card.sumEl,
      );
      const note = vocab.kindNote(this.getCase().region, act.kind, act.year);
      badge.textContent = note;
      badge.hidden = !note;
    };
    const duplicate = h(
      "button",
      {
        type: "button",
        class: "ce-icon-btn",
        dataset: { action: "duplicate" },
        title: "复制",
        onclick: () => this.actions.duplicate(card.index),
      },
      "复制",
    );
    const del = this.deleteButton(card);
    card.el = h(
      "article",
      { class: "ce-act", "aria-labelledby": titleId, dataset: { kind: kind ?? "" } },
      h("header", { class: "ce-act__head" }, heading, h("div", { class: "ce-act__tools" }, duplicate, del)),
      card.bodyEl,
      card.errorsEl,
      card.resultEl,
    );
    card.setIndex = (i) => {
      if (card.index === i) return;
      card.index = i;
      card.el.dataset.index = String(i);
      duplicate.setAttribute("aria-label", `复制第 ${i + 1} 项活动`);
      del.setAttribute("aria-label", `删除第 ${i + 1} 项活动`);
      const num = heading.querySelector(".ce-act__num");
      if (num) num.textContent = String(i + 1);
      else card.updateHead();
    };
    card.buildBody = () => {
      card.body = this.makeBody(card, act, badge);
      fill(card.bodyEl, card.body);
    };
    // Editing a folded card's control (reached by the keyboard) opens it.
    card.el.addEventListener("focusin", (event) => {
      if (card.el.classList.contains("ce-act--folded") && card.bodyEl.contains(event.target)) this.open(card);
    });
    card.dropBody = () => {
      card.body = null;
      card.fields.clear();
      fill(card.bodyEl);
    };
    return card;
  }

  // A card's controls: its kind and the fields of that kind, from the schema.
  makeBody(card, act, badge) {
    const vocab = this.vocab;
    const kind = act.kind;
    const fields = card.fields;
    const kindId = uniqueId("ce-act-kind");
    const kindSelect = h("select", { id: kindId, class: "ce-input" }, this.kindOptions(kind));
    if (!vocab.isKind(kind))
      kindSelect.prepend(h("option", { value: "", selected: true }, `（未知类型 ${kind ?? ""}）`));
    kindSelect.addEventListener("change", () => this.actions.changeKind(card.index, kindSelect.value));
    const kindField = h(
      "div",
      { class: "ce-field ce-field--enum", dataset: { field: "kind" } },
      h("label", { for: kindId, class: "ce-field__label" }, vocab.kindSpec.title),
      kindSelect,
    );
    fields.set("kind", {
      control: kindSelect,
      el: kindField,
      setEngineError: (m) => fieldErrorFallback(kindField, m),
    });
    const grid = h("div", { class: "ce-grid" }, kindField);
    const years = this.yearChoices();
    // 每年一次: the same activity in each later year up to the one tapped (one copy a year).
    const repeatEl = h("div", { class: "ce-repeat" });
    const updateRepeat = () => {
      const later = Number.isInteger(act.year) ? years.filter((y) => y > act.year) : [];
      repeatEl.hidden = !later.length;
      fill(
        repeatEl,
        later.length
          ? [
              h("p", { class: "ce-repeat__label" }, "每年一次？复制到以后各年，直到："),
              h(
                "div",
                { class: "ce-chips-row", role: "group", "aria-label": "每年一次：复制到以后各年" },
                later.map((y) =>
                  h(
                    "button",
                    {
                      type: "button",
                      class: "ce-chip-btn",
                      dataset: { repeatUntil: String(y) },
                      "aria-label": `复制到 ${act.year + 1}—${y} 年，每年一项`,
                      onclick: () => this.actions.repeat(card.index, y),
                    },
                    `${y} 年`,
                  ),
                ),
              ),
            ]
          : [],
      );
    };
    updateRepeat();
    // Dependent fields: shown while their condition holds, they hold a value or the engine names them.
    const dependent = [];
    card.engineFields = new Set();
    card.updateShown = () => {
      for (const [name, field, spec] of dependent) {
        const hidden = !(applies(spec, act) || act[name] !== undefined || card.engineFields.has(name));
        if (field.el.hidden !== hidden) field.el.hidden = hidden;
      }
    };
    for (const name of vocab.fieldsOf(kind)) {
      const spec = vocab.activitySpec(kind, name);
      const field = makeField({
        spec,
        name,
        idBase: "ce-act",
        required: vocab.isRequired(name),
        narrow: !isWide(spec),
        years,
        get: () => act[name],
        set: (value) => {
          if (value === undefined) delete act[name];
          else act[name] = value;
          if (name === "year" || name === "title") card.updateHead(); // what the heading shows
          if (name === "year") updateRepeat();
          card.updateShown();
          this.actions.changed();
        },
      });
      if (spec["x-depends-on"]) dependent.push([name, field, spec]);
      if (isWide(spec)) field.el.classList.add("ce-field--wide");
      fields.set(name, field);
      grid.append(field.el);
    }
    // The browser is not to save or restore these controls (the page saves and restores
    // the case): Chromium serialises every control it would restore on each
    // history.replaceState, which Material calls while the page scrolls.
    for (const control of grid.querySelectorAll("input, select")) control.setAttribute("autocomplete", "off");
    card.updateShown();
    return [
      vocab.kindHelp(kind) ? h("p", { class: "ce-act__help" }, vocab.kindHelp(kind)) : null,
      badge,
      grid,
      repeatEl,
    ];
  }

  syncRegion(card) {
    card.regionVersion = this.regionVersion;
    card.updateHead();
    const sel = card.fields.get("kind")?.control;
    if (sel && this.vocab.isKind(sel.value)) fill(sel, ...this.kindOptions(sel.value));
  }

  // After a change of region: the cards' notes and kind lists, card by card in chunks.
  regionChanged() {
    this.regionVersion += 1;
    this.work();
  }

  // --- the result ----------------------------------------------------------------------

  // The result to show in the cards: rows and messages by activity index; drawn card by
  // card in chunks (renderRow(row, unit) renders a row, rowKey(row, unit) is what it depends on).
  showResult(result, cardMsgs, renderRow, rowKey = (row, unit) => unit + JSON.stringify(row)) {
    this.result = result
      ? {
          rows: new Map((result.activities || []).map((row) => [row.index, row])),
          msgs: cardMsgs,
          years: result.years || {},
          renderRow,
          rowKey,
        }
      : null;
    this.resultStale = false;
    this.resultVersion += 1;
    this.work();
  }

  // One card's messages and outcome from the result being shown.
  drawResult(card) {
    card.resultVersion = this.resultVersion;
    const r = this.result;
    const i = card.index;
    const fieldMsgs = new Map();
    const list = [];
    for (const [name, message] of r?.msgs.get(i) || []) {
      if (card.fields.get(name)) fieldMsgs.set(name, message);
      else list.push(message);
    }
    for (const [name, field] of card.fields) field.setEngineError(fieldMsgs.get(name) || "");
    card.engineFields = new Set(fieldMsgs.keys());
    card.updateShown?.();
    patch(card.errorsEl, JSON.stringify(list), () => list.map((m) => h("li", {}, m)));
    if (card.errorsEl.hidden !== !list.length) card.errorsEl.hidden = !list.length;
    const invalid = Boolean(card.bad || r?.msgs.has(i));
    if (card.el.classList.contains("ce-act--invalid") !== invalid) {
      card.el.classList.toggle("ce-act--invalid", invalid);
      this.applyOpen(card);
    }
    const row = r?.rows.get(i);
    const unit = row ? this.vocab.unitLabel(r.years[String(row.year)]?.unit) : "";
    if (card.sumEl) {
      const parts = row ? this.vocab.subjects.filter(([key]) => row[key]).map(([key, zh]) => `${zh} ${row[key]}`) : [];
      const text = row && row.valid !== false ? `计入：${parts.length ? parts.join("，") : "0"} ${unit}` : "";
      if (card.sumEl.textContent !== text) card.sumEl.textContent = text;
    }
    // Keyed without the index: a card that only moved keeps its row, renumbered.
    const key = row ? r.rowKey({ ...row, index: undefined }, unit) : "";
    if (card.resultEl.__ceKey === key) {
      if (row && card.rowIndex !== row.index) renumberRow(card.resultEl, card.rowIndex, row.index);
    } else {
      patch(card.resultEl, key, () => (row ? r.renderRow(row, unit) : []));
    }
    card.rowIndex = row ? row.index : null;
  }
}

// The engine's message for a control that is not a makeField field (the kind select).
export function fieldErrorFallback(el, message) {
  let p = el.querySelector(".ce-field__error");
  if ((p ? p.textContent : "") === (message || "")) return;
  if (!p) {
    p = h("p", { class: "ce-field__error" });
    el.append(p);
  }
  p.textContent = message || "";
  p.hidden = !message;
  el.classList.toggle("ce-field--invalid", Boolean(message));
}
