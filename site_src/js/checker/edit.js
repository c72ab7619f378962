// Edits of the case's activities that the form offers (the form edits single values in
// place): a new activity, a copy, the same activity in later years, another kind, and what a
// new card asks first. Defaults come from the schema.
import { widgetOf } from "./vocab.js";

// A new activity of a kind, in the year of the card above it (the last one; a record is
// mostly several activities a year, and a yearly course is entered once with yearly copies),
// else last year (the most recent whole year), with the schema defaults.
export function newActivity(vocab, activities, kind) {
  const last = activities.length ? activities[activities.length - 1]?.year : undefined;
  const act = { kind, year: Number.isInteger(last) ? last : new Date().getFullYear() - 1 };
  vocab.applyDefaults(act);
  return act;
}

export function copyActivity(act) {
  return JSON.parse(JSON.stringify(act));
}

// The same activity once in each year after its own up to `until` (每年一次): one copy a
// year, so the case stays one activity per year as the case format has it.
export function yearlyCopies(act, until) {
  const out = [];
  if (!Number.isInteger(act?.year)) return out;
  for (let year = act.year + 1; year <= until; year++) out.push({ ...copyActivity(act), year });
  return out;
}

// act as another kind: the values of the fields the new kind also has are kept.
export function withKind(vocab, act, kind) {
  const keep = new Set(vocab.fieldsOf(kind));
  const out = { kind };
  for (const [key, value] of Object.entries(act)) {
    if (key !== "kind" && keep.has(key)) out[key] = value;
  }
  vocab.applyDefaults(out);
  return out;
}

// The field a new card focuses: the first number to type that is still empty (the year
// has its default), else none (the card's heading).
export function firstToType(vocab, act) {
  return vocab.fieldsOf(act.kind).find((name) => {
    const widget = widgetOf(vocab.activitySpec(act.kind, name));
    return (widget === "int" || widget === "number") && act[name] === undefined;
  });
}
