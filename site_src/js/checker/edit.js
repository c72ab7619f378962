// Edits of the case's activities that the form offers (the form edits single values in
// place): a new activity, a copy, another kind. Defaults come from the schema.

// A new activity of a kind, in the year of the last one (else last year), with defaults.
export function newActivity(vocab, activities, kind) {
  const last = activities.length ? activities[activities.length - 1]?.year : undefined;
  const act = { kind, year: typeof last === "number" ? last : new Date().getFullYear() - 1 };
  vocab.applyDefaults(act);
  return act;
}

export function copyActivity(act) {
  return JSON.parse(JSON.stringify(act));
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
