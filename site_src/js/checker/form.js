// The form: region, profile fields and one card per activity (cards.js), all built from
// the schema (vocab.js); each control edits the case in place and reports the change.
// Shows the engine's messages beside the fields they name (the rest under the profile)
// and each activity's converted outcome in its card. Year fields offer the years of the
// application window (else the last seven) as chips; kinds can be added with one tap.
import { ActivityCards, isObject, isWide } from "./cards.js";
import { fill, h, patch } from "./dom.js";
import { makeField } from "./fields.js";
import { isReadingField } from "./readings.js";
import { applies } from "./vocab.js";

// How many kinds the one-tap row offers, and how many years a year field offers as chips.
const QUICK_KINDS = 6;
const YEAR_CHIPS = 8;

export class Form {
  // vocab: the Vocabulary; getCase(): the case being edited; actions: {changed(),
  // add(kind), duplicate(index), remove(index), changeKind(index, kind), repeat(index, until),
  // start?: a promise the first cards wait for (cards.js)}.
  constructor(vocab, getCase, actions) {
    this.vocab = vocab;
    this.getCase = getCase;
    this.actions = actions;
    this.lastKind = vocab.kindNames()[0];
    this.profileEl = h("div", { class: "ce-grid" });
    this.caseErrorsEl = h("ul", { class: "ce-errors", hidden: true });
    this.window = null; // the application window of the last result ([from, to])
    this.cards = new ActivityCards(
      vocab,
      getCase,
      actions,
      (selected) => this.kindOptions(selected),
      () => this.yearChoices(),
      actions.start,
    );
    this.actsErrorEl = h("p", { class: "ce-field__error ce-acts__error", hidden: true });
    this.activitiesEl = h(
      "div",
      { class: "ce-acts-field", dataset: { field: "activities" } },
      this.actsErrorEl,
      this.cards.listEl,
    );
    this.addEl = h("div", { class: "ce-add" });
    // The controls to add an activity are drawn with the first cards (below them; building
    // the kind list took ~20 ms of the form's first frame).
    this.addLater = true;
    (actions.start ?? Promise.resolve()).then(() => {
      this.addLater = false;
      if (this.fields) this.renderAdd();
    });
  }

  // Everything anew, for the case as it is now.
  render() {
    this.fields = { case: new Map() };
    this.fields.case.set("activities", {
      el: this.activitiesEl,
      setEngineError: (message) => {
        this.actsEngineError = message;
        this.renderActivitiesShape();
      },
    });
    this.cards.clear();
    this.renderPerson();
    this.renderRegion();
    this.renderProfile();
    this.renderActivities();
    if (!this.addLater) this.renderAdd();
  }

  renderRegion() {
    const c = this.getCase();
    const field = makeField({
      spec: this.vocab.regionSpec,
      name: "region",
      idBase: "ce-region",
      required: true,
      select: true, // five and more to come: the picker
      get: () => c.region,
      set: (value) => {
        if (value === undefined) delete c.region;
        else c.region = value;
        this.actions.changed();
        this.updateRegionDependent();
      },
    });
    this.fields.case.set("region", field);
    this.regionField = field;
  }

  // The case's `person` (姓名或工号; only names the case, as the batch page does).
  renderPerson() {
    const spec = this.vocab.personSpec;
    if (!spec) return;
    const c = this.getCase();
    const field = makeField({
      spec,
      name: "person",
      idBase: "ce-case",
      get: () => c.person,
      set: (value) => {
        if (value === undefined || value === "") delete c.person;
        else c.person = value;
        this.actions.changed();
      },
    });
    this.fields.case.set("person", field);
    this.personField = field;
  }

  renderProfile() {
    const c = this.getCase();
    fill(this.profileEl, this.personField?.el, this.regionField?.el);
    this.profileDeps = [];
    const thisYear = new Date().getFullYear();
    for (const [name, spec] of this.vocab.profileFields()) {
      const field = makeField({
        spec,
        name,
        idBase: "ce-profile",
        narrow: !isWide(spec),
        years: name === "apply_year" ? [thisYear, thisYear + 1] : null,
        get: () => c.profile?.[name],
        set: (value) => {
          if (!isObject(c.profile)) c.profile = {};
          if (value === undefined || (Array.isArray(value) && value.length === 0)) delete c.profile[name];
          else c.profile[name] = value;
          if (this.profileDeps.some(([, , spec]) => spec["x-depends-on"].field === name)) this.updateProfileDeps();
          this.actions.changed();
        },
      });
      if (isWide(spec)) field.el.classList.add("ce-field--wide");
      this.fields.case.set(`profile.${name}`, field);
      if (spec["x-depends-on"]) this.profileDeps.push([name, field, spec]);
      this.profileEl.append(field.el);
    }
    this.updateProfileDeps(true);
  }

  // Profile fields that depend on another (x-depends-on) are shown only when it holds;
  // a value of a field that stops applying is dropped (but not one loaded with the case).
  updateProfileDeps(initial = false) {
    const c = this.getCase();
    for (const [name, field, spec] of this.profileDeps) {
      const show = applies(spec, c.profile || {});
      field.el.hidden = !show;
      if (!show && !initial && c.profile && name in c.profile) {
        delete c.profile[name];
        field.refresh();
      }
    }
  }

  // The kind <option>s, built once per region and cloned for each select (a long case has
  // dozens of cards, each with the whole list).
  kindOptions(selected) {
    const region = this.getCase().region || "";
    if (this.kindOptionsRegion !== region || !this.kindOptionsTemplate) {
      this.kindOptionsRegion = region;
      this.kindOptionsTemplate = this.vocab.kindNames().map((kind) => {
        const known = this.vocab.kindEverRecognised(region, kind);
        const label = this.vocab.kindLabel(kind) + (known ? "" : "（该地区政策未规定）");
        return h("option", { value: kind, class: known ? null : "ce-option--unknown" }, label);
      });
    }
    return this.kindOptionsTemplate.map((option) => {
      const copy = option.cloneNode(true);
      if (copy.value === selected) copy.setAttribute("selected", "");
      return copy;
    });
  }

  // The years a year field offers: those of the application window (its latest YEAR_CHIPS),
  // else the YEAR_CHIPS years up to this one.
  yearChoices() {
    const [from, to] = this.window || [];
    const end = Number.isInteger(to) ? to : new Date().getFullYear();
    const start = Math.max(Number.isInteger(from) ? from : end - YEAR_CHIPS + 2, end - YEAR_CHIPS + 1);
    const out = [];
    for (let y = start; y <= end; y++) out.push(y);
    return out;
  }

  // One-tap kinds: those of the case, the latest first, then the vocabulary's first kinds
  // (case.yaml lists the common ones first); every other kind the region recognises behind
  // 更多类型 (it stays open once opened).
  renderQuick() {
    const region = this.getCase().region || "";
    const acts = this.cards.activityList();
    const known = this.vocab.kindNames().filter((kind) => this.vocab.kindEverRecognised(region, kind));
    const kinds = [];
    const offer = (kind) => {
      if (kinds.length < QUICK_KINDS && known.includes(kind) && !kinds.includes(kind)) kinds.push(kind);
    };
    for (let i = acts.length - 1; i >= 0 && kinds.length < QUICK_KINDS; i--) offer(acts[i]?.kind);
    for (const kind of known) offer(kind);
    const chip = (kind) =>
      h(
        "button",
        {
          type: "button",
          class: "ce-chip-btn ce-chip-btn--add",
          dataset: { addKind: kind },
          onclick: () => this.addKind(kind),
        },
        `＋${this.vocab.kindLabel(kind)}`,
      );
    patch(this.quickEl, JSON.stringify(kinds), () => [
      h("span", { class: "ce-add__quick-label" }, "一键添加："),
      kinds.map(chip),
    ]);
    const rest = known.filter((kind) => !kinds.includes(kind));
    patch(this.moreListEl, JSON.stringify(rest), () => rest.map(chip));
    this.moreEl.hidden = !rest.length;
  }

  addKind(kind) {
    this.lastKind = kind;
    const c = this.getCase();
    if (!Array.isArray(c.activities)) c.activities = []; // a saved non-list: kept aside (store.js)
    this.actions.add(kind);
    this.renderQuick();
  }

  renderAdd() {
    const select = h("select", { id: "ce-add-kind", class: "ce-input" }, this.kindOptions(this.lastKind));
    const add = () => this.addKind(select.value);
    this.quickEl = h("div", { class: "ce-add__quick", role: "group", "aria-label": "一键添加活动" });
    this.moreListEl = h("div", { class: "ce-add__quick" });
    this.moreEl = h("details", { class: "ce-add__more" }, h("summary", {}, "更多类型"), this.moreListEl);
    const button = h(
      "button",
      { type: "button", class: "md-button md-button--primary ce-btn", dataset: { action: "add" }, onclick: add },
      "添加活动",
    );
    this.addSelect = select;
    fill(
      this.addEl,
      h("label", { for: "ce-add-kind", class: "ce-field__label" }, "新增一项活动："),
      h("div", { class: "ce-add__row" }, select, button),
      this.quickEl,
      this.moreEl,
    );
    this.renderQuick();
  }

  // The activity cards for the case's activities as they are now (cards.js); focus:
  // {index, name?} the card (its heading, or the named field) to focus.
  renderActivities(focus) {
    this.cards.render(focus);
    this.renderActivitiesShape();
    if (this.quickEl) this.renderQuick();
  }

  stop() {
    this.cards.stop();
  }

  // Resolves when the cards show the latest result (a long case is drawn in chunks).
  settled() {
    return this.cards.settled();
  }

  // A message at the list when activities is not a list (the engine's, once it has one).
  renderActivitiesShape() {
    const acts = this.getCase().activities;
    const local =
      acts === undefined || Array.isArray(acts)
        ? ""
        : `activities 应为列表，当前是 ${JSON.stringify(acts)?.slice(0, 60)}。添加活动时将以新的列表替换它。`;
    const message = local || this.actsEngineError || "";
    if (this.actsErrorEl.textContent !== message) this.actsErrorEl.textContent = message;
    this.actsErrorEl.hidden = !message;
    this.activitiesEl.classList.toggle("ce-field--invalid", Boolean(message));
  }

  focusAdd() {
    this.addSelect?.focus();
  }

  // After a change of region: the kind lists (what the region's rules recognise) and the
  // cards' notes.
  updateRegionDependent() {
    const value = this.addSelect?.value;
    if (this.addSelect) fill(this.addSelect, ...this.kindOptions(value));
    if (this.quickEl) this.renderQuick(); // (the add area may not be drawn yet: addLater)
    this.cards.regionChanged();
  }

  // The engine's messages beside the fields they name (the rest in the list under the
  // profile; those about the case's readings are the 解读 section's) and each activity's
  // outcome in its card (renderRow(row, unit) renders it, rowKey(row, unit) is its key).
  showResult(result, renderRow, rowKey = (row, unit) => unit + JSON.stringify(row)) {
    this.window = result?.application?.window || this.window;
    const caseMsgs = new Map();
    const cardMsgs = new Map(); // index -> [[field, message]]
    const general = [];
    const profile = this.getCase().profile;
    const localProfile =
      profile === undefined || isObject(profile)
        ? null
        : `profile 应为对象，当前是 ${JSON.stringify(profile)?.slice(0, 60)}`;
    const count = this.cards.cards.length;
    for (const err of result?.errors || []) {
      const message = err.message || "输入有误";
      if (err.index == null) {
        if (isReadingField(err.field)) continue;
        const field = this.fields.case.get(err.field);
        if (field && !field.el.hidden) caseMsgs.set(err.field, message);
        else if (!(localProfile && err.field === "profile")) general.push(message);
        continue;
      }
      if (!(err.index >= 0 && err.index < count)) {
        general.push(`第 ${err.index + 1} 项活动：${message}`);
        continue;
      }
      if (!cardMsgs.has(err.index)) cardMsgs.set(err.index, []);
      cardMsgs.get(err.index).push([err.field, message]);
    }
    if (localProfile) general.unshift(localProfile);
    for (const [name, field] of this.fields.case) field.setEngineError(caseMsgs.get(name) || "");
    patch(this.caseErrorsEl, JSON.stringify(general), () => general.map((m) => h("li", {}, m)));
    if (this.caseErrorsEl.hidden !== !general.length) this.caseErrorsEl.hidden = !general.length;
    this.cards.showResult(result, cardMsgs, renderRow, rowKey);
  }
}
