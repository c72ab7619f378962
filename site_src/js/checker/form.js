// The form: region, profile fields and one card per activity, all built from the schema
// (vocab.js); each control edits the case in place and reports the change. Shows the
// engine's messages beside the fields they name and each activity's converted outcome
// in its card.
import { fill, h, patch, uniqueId } from "./dom.js";
import { makeField } from "./fields.js";
import { isReadingField } from "./readings.js";
import { applies, widgetOf } from "./vocab.js";

// Text and flags fields take a whole row of the grid; the others are narrow.
const isWide = (spec) => ["str", "flags"].includes(widgetOf(spec));

export class Form {
  // vocab: the Vocabulary; getCase(): the case being edited; actions: {changed(),
  // add(kind), duplicate(index), remove(index), changeKind(index, kind)}.
  constructor(vocab, getCase, actions) {
    this.vocab = vocab;
    this.getCase = getCase;
    this.actions = actions;
    this.lastKind = vocab.kindNames()[0];
    this.profileEl = h("div", { class: "ce-grid" });
    this.caseErrorsEl = h("ul", { class: "ce-errors", hidden: true });
    this.activitiesEl = h("div", { class: "ce-acts" });
    this.addEl = h("div", { class: "ce-add" });
  }

  // Everything anew, for the case as it is now.
  render() {
    this.fields = { case: new Map(), acts: [] };
    this.renderRegion();
    this.renderProfile();
    this.renderActivities();
    this.renderAdd();
  }

  renderRegion() {
    const c = this.getCase();
    const field = makeField({
      spec: this.vocab.regionSpec,
      name: "region",
      idBase: "ce-region",
      required: true,
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

  renderProfile() {
    const c = this.getCase();
    fill(this.profileEl, this.regionField?.el);
    this.profileDeps = [];
    for (const [name, spec] of this.vocab.profileFields()) {
      const field = makeField({
        spec,
        name,
        idBase: "ce-profile",
        narrow: !isWide(spec),
        get: () => c.profile?.[name],
        set: (value) => {
          if (!c.profile || typeof c.profile !== "object" || Array.isArray(c.profile)) c.profile = {};
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

  renderAdd() {
    const select = h("select", { id: "ce-add-kind", class: "ce-input" }, this.kindOptions(this.lastKind));
    const add = () => {
      this.lastKind = select.value;
      this.actions.add(select.value);
    };
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
    );
  }

  // The activity cards anew; focus: {index, name?} the card (its heading, or the named
  // field) to focus and scroll into view.
  renderActivities(focus) {
    const acts = this.getCase().activities || [];
    this.fields.acts = [];
    fill(this.activitiesEl);
    if (!acts.length) {
      this.activitiesEl.append(
        h("p", { class: "ce-empty" }, "还没有活动。请在下方选择活动类型并点击“添加活动”，或导入已保存的 JSON 文件。"),
      );
    }
    acts.forEach((act, index) => {
      this.activitiesEl.append(this.renderActivity(act, index));
    });
    if (focus) {
      const { index, name } = focus;
      const card = this.fields.acts[index];
      const target = card && (name ? card.fields.get(name)?.control : card.heading);
      if (target) {
        const el = target.tagName === "FIELDSET" ? target.querySelector("input") : target;
        el.focus();
        el.scrollIntoView({ block: "nearest" });
      }
    }
  }

  focusAdd() {
    this.addSelect?.focus();
  }

  deleteButton(index, label, title = null) {
    return h(
      "button",
      {
        type: "button",
        class: "ce-icon-btn ce-icon-btn--danger",
        dataset: { action: "delete" },
        "aria-label": label,
        title,
        onclick: () => this.actions.remove(index),
      },
      "删除",
    );
  }

  // An imported entry that is not an object: shown so it can be deleted, never dropped silently.
  renderBadEntry(act, index) {
    const titleId = `ce-act-${index}-title`;
    const heading = h(
      "h3",
      { id: titleId, class: "ce-act__title", tabindex: "-1" },
      h("span", { class: "ce-act__num" }, String(index + 1)),
      "无法识别的条目",
    );
    const errorsEl = h("ul", { class: "ce-errors", hidden: true });
    const resultEl = h("div", { class: "ce-act__result" });
    const el = h(
      "article",
      { class: "ce-act ce-act--invalid", "aria-labelledby": titleId, dataset: { index: String(index), bad: "true" } },
      h(
        "header",
        { class: "ce-act__head" },
        heading,
        h("div", { class: "ce-act__tools" }, this.deleteButton(index, `删除第 ${index + 1} 项`)),
      ),
      h("pre", { class: "ce-act__raw" }, JSON.stringify(act)),
      errorsEl,
      resultEl,
    );
    this.fields.acts[index] = { index, fields: new Map(), heading, errorsEl, resultEl, el, updateHead() {} };
    return el;
  }

  renderActivity(act, index) {
    if (!act || typeof act !== "object" || Array.isArray(act)) return this.renderBadEntry(act, index);
    const vocab = this.vocab;
    const kind = act.kind;
    const fields = new Map();
    const card = { index, fields };
    const titleId = `ce-act-${index}-title`;
    const heading = h("h3", { id: titleId, class: "ce-act__title", tabindex: "-1" });
    const badge = h("p", { class: "ce-act__badge", hidden: true });
    card.heading = heading;
    card.badge = badge;
    card.errorsEl = h("ul", { class: "ce-errors", hidden: true });
    card.resultEl = h("div", { class: "ce-act__result" });
    card.updateHead = () => {
      const year = typeof act.year === "number" ? `${act.year} 年` : "";
      fill(
        heading,
        h("span", { class: "ce-act__num" }, String(index + 1)),
        h("span", { class: "ce-act__kind" }, vocab.kindLabel(act.kind)),
        year ? h("span", { class: "ce-act__year" }, year) : null,
        act.title ? h("span", { class: "ce-act__name" }, String(act.title)) : null,
      );
      const note = vocab.kindNote(this.getCase().region, act.kind, act.year);
      badge.textContent = note;
      badge.hidden = !note;
    };

    const kindId = uniqueId(`ce-act-${index}-kind`);
    const kindSelect = h("select", { id: kindId, class: "ce-input" }, this.kindOptions(kind));
    if (!vocab.isKind(kind))
      kindSelect.prepend(h("option", { value: "", selected: true }, `（未知类型 ${kind ?? ""}）`));
    kindSelect.addEventListener("change", () => this.actions.changeKind(index, kindSelect.value));
    const kindField = h(
      "div",
      { class: "ce-field ce-field--enum", dataset: { field: "kind" } },
      h("label", { for: kindId, class: "ce-field__label" }, vocab.kindSpec.title),
      kindSelect,
    );
    fields.set("kind", {
      control: kindSelect,
      el: kindField,
      setEngineError: (m) => this.fieldErrorFallback(kindField, m),
    });

    const grid = h("div", { class: "ce-grid" }, kindField);
    for (const name of vocab.fieldsOf(kind)) {
      const spec = vocab.activitySpec(kind, name);
      const field = makeField({
        spec,
        name,
        idBase: `ce-act-${index}`,
        required: vocab.isRequired(name),
        narrow: !isWide(spec),
        get: () => act[name],
        set: (value) => {
          if (value === undefined) delete act[name];
          else act[name] = value;
          if (name === "year" || name === "title") card.updateHead(); // what the heading shows
          this.actions.changed();
        },
      });
      if (isWide(spec)) field.el.classList.add("ce-field--wide");
      fields.set(name, field);
      grid.append(field.el);
    }

    const tools = h(
      "div",
      { class: "ce-act__tools" },
      h(
        "button",
        {
          type: "button",
          class: "ce-icon-btn",
          dataset: { action: "duplicate" },
          "aria-label": `复制第 ${index + 1} 项活动`,
          title: "复制",
          onclick: () => this.actions.duplicate(index),
        },
        "复制",
      ),
      this.deleteButton(index, `删除第 ${index + 1} 项活动`, "删除"),
    );
    card.updateHead();
    card.el = h(
      "article",
      { class: "ce-act", "aria-labelledby": titleId, dataset: { index: String(index), kind: kind ?? "" } },
      h("header", { class: "ce-act__head" }, heading, tools),
      vocab.kindHelp(kind) ? h("p", { class: "ce-act__help" }, vocab.kindHelp(kind)) : null,
      badge,
      grid,
      card.errorsEl,
      card.resultEl,
    );
    this.fields.acts[index] = card;
    return card.el;
  }

  fieldErrorFallback(el, message) {
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

  // After a change of region: the cards' notes and the kind lists (what the region's
  // rules recognise).
  updateRegionDependent() {
    for (const card of this.fields.acts) card?.updateHead();
    const value = this.addSelect?.value;
    if (this.addSelect) fill(this.addSelect, ...this.kindOptions(value));
    for (const card of this.fields.acts) {
      const sel = card?.fields.get("kind")?.control;
      if (sel && this.vocab.isKind(sel.value)) fill(sel, ...this.kindOptions(sel.value));
    }
  }

  // The engine's messages beside the fields they name (the rest in the list under the
  // profile; those about the case's readings are the 解读 section's) and each activity's
  // outcome in its card (renderRow(row, unit) renders it, rowKey(row, unit) is its key).
  showResult(result, renderRow, rowKey = (row, unit) => unit + JSON.stringify(row)) {
    const acts = this.fields.acts;
    const caseMsgs = new Map();
    const cardMsgs = acts.map(() => ({ fields: new Map(), list: [], invalid: false }));
    const general = [];
    for (const err of result?.errors || []) {
      const message = err.message || "输入有误";
      if (err.index == null) {
        if (isReadingField(err.field)) continue;
        const field = this.fields.case.get(err.field);
        if (field && !field.el.hidden) caseMsgs.set(err.field, message);
        else general.push(message);
        continue;
      }
      const card = acts[err.index];
      if (!card) {
        general.push(`第 ${err.index + 1} 项活动：${message}`);
        continue;
      }
      const st = cardMsgs[err.index];
      st.invalid = true;
      if (card.fields.get(err.field)) st.fields.set(err.field, message);
      else st.list.push(message);
    }
    for (const [name, field] of this.fields.case) field.setEngineError(caseMsgs.get(name) || "");
    const rows = new Map((result?.activities || []).map((row) => [row.index, row]));
    acts.forEach((card, i) => {
      if (!card) return;
      const st = cardMsgs[i];
      for (const [name, field] of card.fields) field.setEngineError(st.fields.get(name) || "");
      patch(card.errorsEl, JSON.stringify(st.list), () => st.list.map((m) => h("li", {}, m)));
      if (card.errorsEl.hidden !== !st.list.length) card.errorsEl.hidden = !st.list.length;
      card.el.classList.toggle("ce-act--invalid", st.invalid || card.el.dataset.bad === "true");
      const row = rows.get(i);
      const unit = row ? this.vocab.unitLabel(result.years?.[String(row.year)]?.unit) : "";
      patch(card.resultEl, row ? rowKey(row, unit) : "", () => (row ? renderRow(row, unit) : []));
    });
    patch(this.caseErrorsEl, JSON.stringify(general), () => general.map((m) => h("li", {}, m)));
    if (this.caseErrorsEl.hidden !== !general.length) this.caseErrorsEl.hidden = !general.length;
  }
}
