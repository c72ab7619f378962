// One labelled form control bound to a value of the case, built from the field's schema
// spec: radio buttons for an enum of a few values (a select for a longer one, or when the
// caller asks), a checkbox for a boolean, checkboxes for flags, a text input otherwise
// (numbers typed with a Chinese input method are understood), with one-tap year chips for
// a year when the caller offers years. It shows the message of bad input at once and the
// engine's message for its field when told.
import { h, uniqueId } from "./dom.js";
import { enumLabel, widgetOf } from "./vocab.js";

// Full-width digits and punctuation, as typed with a Chinese input method.
function normaliseDigits(text) {
  return text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, ".")
    .replace(/[－—]/g, "-")
    .replace(/[＋]/g, "+")
    .trim();
}

// {empty: true}, {value: number} or {raw: text} (not a number: kept as typed).
function parseNumber(text) {
  const s = normaliseDigits(text);
  if (s === "") return { empty: true };
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return { value: Number(s) };
  return { raw: text.trim() };
}

// The value of a nullable enum's null choice: null is an answer (case.yaml's null_label,
// e.g. 不分等次; （留空） when it has none), unlike nothing chosen, which leaves the field out
// (a rule that decides by it asks for it).
const NULL_CHOICE = "__null__";
const nullLabel = (spec) => spec["x-null-label"] || "（留空）";

function enumControl({ id, name, spec, required, set }) {
  const values = spec.enum;
  const hasNull = values.includes(null);
  const control = h("select", { id, name, class: "ce-input", "aria-required": required ? "true" : null });
  if (!("default" in spec) || hasNull) control.append(h("option", { value: "" }, "请选择"));
  for (const value of values) {
    if (value !== null) control.append(h("option", { value: String(value) }, enumLabel(spec, value)));
  }
  if (hasNull) control.append(h("option", { value: NULL_CHOICE }, nullLabel(spec)));
  control.addEventListener("change", () => {
    const chosen = control.value;
    if (chosen === NULL_CHOICE) set(null);
    else set(chosen === "" ? undefined : values.find((v) => v !== null && String(v) === chosen));
  });
  return control;
}

// Up to this many values an enum shows as radio buttons (one tap instead of a picker's two).
const RADIO_MAX = 5;

// Radio buttons for an enum: a fieldset with the label as its legend; a nullable enum has a
// （留空） choice, which sets null. control.radios: the inputs; the values are String(value),
// "" for null.
function radioControl({ id, spec, label, required, set }) {
  const values = spec.enum.filter((v) => v !== null);
  const choices = spec.enum.includes(null) ? [...values, null] : values;
  const radios = choices.map((value, i) =>
    h("input", {
      type: "radio",
      class: "ce-check",
      name: id,
      id: `${id}-${i}`,
      value: value === null ? "" : String(value),
    }),
  );
  for (const radio of radios) {
    radio.addEventListener("change", () => {
      if (!radio.checked) return;
      set(radio.value === "" ? null : values.find((v) => String(v) === radio.value));
    });
  }
  const control = h(
    "fieldset",
    { class: "ce-choice", id, "aria-required": required ? "true" : null },
    h("legend", { class: "ce-field__label" }, label),
    h(
      "div",
      { class: "ce-choice__list" },
      choices.map((value, i) =>
        h(
          "label",
          { class: "ce-choice__item", for: `${id}-${i}` },
          radios[i],
          h("span", {}, value === null ? nullLabel(spec) : enumLabel(spec, value)),
        ),
      ),
    ),
  );
  control.radios = radios;
  return control;
}

// Whether an integer field holds a calendar year (its bounds lie within 1900–2100).
export function isYearSpec(spec) {
  return widgetOf(spec) === "int" && spec.minimum >= 1900 && spec.maximum <= 2100;
}

function flagsControl({ id, spec, label, set }) {
  const values = spec.items?.enum || [];
  const boxes = values.map((value) => {
    const box = h("input", { type: "checkbox", class: "ce-check", value, id: `${id}-${value}` });
    box.addEventListener("change", () => set(values.filter((_, i) => boxes[i].checked)));
    return box;
  });
  const control = h(
    "fieldset",
    { class: "ce-flags", id },
    h("legend", { class: "ce-field__label" }, label),
    h(
      "div",
      { class: "ce-flags__list" },
      values.map((value, i) =>
        h(
          "label",
          { class: "ce-field__check", for: `${id}-${value}` },
          boxes[i],
          h("span", {}, enumLabel(spec, value)),
        ),
      ),
    ),
  );
  control.boxes = boxes;
  return control;
}

// One labelled input bound to a value: get() reads it, set(value) writes it (undefined:
// remove it); select: an enum as a select whatever its length; years: the years offered as
// chips beside a year's input. Returns {el, control, name, setEngineError(message), refresh()}.
export function makeField({ spec, name, get, set, idBase, required, narrow, select, years }) {
  const id = uniqueId(`${idBase}-${name}`);
  const base = widgetOf(spec);
  const widget = base === "enum" && !select && spec.enum.filter((v) => v !== null).length <= RADIO_MAX ? "radio" : base;
  const helpId = `${id}-help`;
  const errId = `${id}-err`;
  const label = spec.title || name;
  const errorEl = h("p", { class: "ce-field__error", id: errId, hidden: true });
  const helpEl = spec.description ? h("p", { class: "ce-field__help", id: helpId }, spec.description) : null;
  let control;
  let chips = null;
  let localError = "";
  let engineError = "";
  const wrap = h("div", {
    class: `ce-field ce-field--${widget}${narrow ? " ce-field--narrow" : ""}`,
    dataset: { field: name },
  });

  const describe = () => [helpEl ? helpId : null, errorEl.hidden ? null : errId].filter(Boolean).join(" ");
  let shownError = null;
  const showError = () => {
    const message = engineError || localError;
    if (message === shownError) return; // unchanged: no DOM work
    shownError = message;
    errorEl.textContent = message;
    errorEl.hidden = !message;
    wrap.classList.toggle("ce-field--invalid", Boolean(message));
    if (control) {
      if (message) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
      const d = describe();
      if (d) control.setAttribute("aria-describedby", d);
      else control.removeAttribute("aria-describedby");
    }
  };

  if (widget === "enum") {
    control = enumControl({ id, name, spec, required, set });
    wrap.append(h("label", { for: id, class: "ce-field__label" }, label), control);
  } else if (widget === "radio") {
    control = radioControl({ id, spec, label, required, set });
    wrap.append(control);
  } else if (widget === "bool") {
    control = h("input", { id, name, type: "checkbox", class: "ce-check" });
    control.addEventListener("change", () => set(control.checked));
    wrap.append(h("label", { for: id, class: "ce-field__check" }, control, h("span", {}, label)));
  } else if (widget === "flags") {
    control = flagsControl({ id, spec, label, set });
    wrap.append(control);
  } else {
    const numeric = widget === "int" || widget === "number";
    const range = numeric && spec.minimum != null && spec.maximum != null && spec.maximum <= 100000;
    control = h("input", {
      id,
      name,
      type: "text",
      class: "ce-input",
      inputmode: numeric ? (widget === "int" ? "numeric" : "decimal") : null,
      autocomplete: "off",
      spellcheck: numeric ? "false" : null,
      "aria-required": required ? "true" : null,
      placeholder: range ? `${spec.minimum}–${spec.maximum}` : null,
    });
    control.addEventListener("input", () => {
      if (!numeric) {
        const text = control.value;
        set(text === "" ? undefined : text);
        return;
      }
      const parsed = parseNumber(control.value);
      localError = parsed.raw !== undefined ? `“${label}”请填写数字` : "";
      engineError = "";
      showError();
      if (parsed.empty) set(undefined);
      else set(parsed.raw !== undefined ? parsed.raw : parsed.value);
    });
    const unit = spec["x-unit"];
    const unitEl = unit ? h("span", { class: "ce-input-unit__unit", "aria-hidden": "true" }, unit) : null;
    wrap.append(
      h("label", { for: id, class: "ce-field__label" }, label),
      unit ? h("div", { class: "ce-input-unit" }, control, unitEl) : control,
    );
    if (years?.length && isYearSpec(spec)) {
      chips = years.map((year) =>
        h(
          "button",
          {
            type: "button",
            class: "ce-chip-btn",
            dataset: { chip: String(year) },
            "aria-pressed": "false",
            onclick: () => {
              localError = "";
              engineError = "";
              showError();
              control.value = String(year);
              set(year);
              refresh();
            },
          },
          String(year),
        ),
      );
      wrap.classList.add("ce-field--wide");
      wrap.append(h("div", { class: "ce-chips-row", role: "group", "aria-label": `${label}：常用年份` }, chips));
    }
  }
  if (helpEl) wrap.append(helpEl);
  wrap.append(errorEl);

  const refresh = () => {
    const value = get();
    if (widget === "enum" || widget === "radio") {
      const shown = value == null && spec.default != null ? spec.default : value;
      const text = shown != null && spec.enum.includes(shown) ? String(shown) : "";
      if (widget === "enum") control.value = value === null && spec.enum.includes(null) ? NULL_CHOICE : text;
      else for (const radio of control.radios) radio.checked = radio.value === text && (text !== "" || value === null);
    } else if (widget === "bool") {
      control.checked = value === true;
    } else if (widget === "flags") {
      const chosen = Array.isArray(value) ? value : [];
      (spec.items?.enum || []).forEach((v, i) => {
        control.boxes[i].checked = chosen.includes(v);
      });
    } else if (document.activeElement !== control) {
      control.value = value == null ? "" : String(value);
    }
    for (const chip of chips || []) chip.setAttribute("aria-pressed", String(chip.dataset.chip === String(value)));
  };
  refresh();
  showError();
  return {
    el: wrap,
    control,
    name,
    setEngineError(message) {
      if ((message || "") === engineError) return; // unchanged: no DOM work
      engineError = message || "";
      showError();
    },
    refresh,
  };
}
