// The case vocabulary as the page reads it: schema.json and metadata.json, both generated
// from ruleset/rules/case.yaml and the rule data (ruleset/schema.py, ruleset/api.py).
// Labels, enums, defaults, units, kinds and which field depends on which come from there;
// nothing of the vocabulary is typed in the page's code.

// The kind of form control a field spec asks for.
export function widgetOf(spec) {
  if (Array.isArray(spec.enum)) return "enum";
  const t = Array.isArray(spec.type) ? spec.type.find((x) => x !== "null") : spec.type;
  if (t === "array") return "flags";
  if (t === "boolean") return "bool";
  if (t === "integer") return "int";
  if (t === "number") return "number";
  return "str";
}

// The label (zh) of one value of an enum or flags field.
export function enumLabel(spec, value) {
  const labels = spec["x-enum-labels"] || {};
  return labels[String(value)] ?? String(value);
}

// Whether a field applies, given the values beside it (the profile, or the activity): its
// x-depends-on ({field, value}) holds when that field equals the value (one of them, when
// value is a list) or, when the field holds a list (flags), contains it.
export function applies(spec, values) {
  const dep = spec["x-depends-on"];
  if (!dep) return true;
  const held = values?.[dep.field];
  const wanted = Array.isArray(dep.value) ? dep.value : [dep.value];
  return Array.isArray(held) ? wanted.some((v) => held.includes(v)) : wanted.includes(held);
}

export class Vocabulary {
  constructor(schema, metadata) {
    this.schema = schema;
    this.metadata = metadata;
    this.activity = schema.properties.activities.items;
    this.kinds = schema["x-kinds"] || {};
    this.units = schema["x-units"] || {};
    // The fields of each kind's card, in order (kind itself aside), from the schema's
    // per-kind branches; the fields every kind has, for a kind the schema does not know.
    this.kindFields = new Map();
    for (const branch of this.activity.allOf || []) {
      const kind = branch.if?.properties?.kind?.const;
      if (kind != null)
        this.kindFields.set(
          kind,
          Object.keys(branch.then?.properties || {}).filter((n) => n !== "kind"),
        );
    }
    const lists = [...this.kindFields.values()];
    this.commonFields = lists.length ? lists[0].filter((n) => lists.every((l) => l.includes(n))) : [];
    const subject = this.activity.properties?.subject || {};
    // [key, label] of the subjects a result document counts (public, professional).
    this.subjects = (subject.enum || []).filter((v) => v != null).map((v) => [v, enumLabel(subject, v)]);
  }

  get regionSpec() {
    return this.schema.properties.region;
  }

  // The case's `person` field (姓名或工号), or null when the schema has none.
  get personSpec() {
    return this.schema.properties.person || null;
  }

  // [name, spec] of the profile's fields, in order.
  profileFields() {
    return Object.entries(this.schema.properties.profile?.properties || {});
  }

  // The kind field's own spec (its title labels the kind select).
  get kindSpec() {
    return this.activity.properties?.kind || {};
  }

  kindNames() {
    return Object.keys(this.kinds);
  }

  isKind(kind) {
    return Boolean(this.kinds[kind]);
  }

  kindLabel(kind) {
    return this.kinds[kind]?.label || (kind ? String(kind) : "未知类型");
  }

  kindHelp(kind) {
    return this.kinds[kind]?.help || null;
  }

  // The fields a card of this kind shows (kind aside), in order.
  fieldsOf(kind) {
    return this.kindFields.get(kind) ?? this.commonFields;
  }

  // A field's spec for a kind: the base field with the kind's overrides.
  activitySpec(kind, name) {
    const base = this.activity.properties?.[name] || {};
    const over = this.kinds[kind]?.properties?.[name] || {};
    return { ...base, ...over };
  }

  isRequired(name) {
    return (this.activity.required || []).includes(name);
  }

  // Fills in the schema defaults of act's kind for the fields act lacks.
  applyDefaults(act) {
    for (const name of this.kinds[act.kind]?.fields || []) {
      const spec = this.activitySpec(act.kind, name);
      if (!(name in act) && "default" in spec && spec.default !== null) act[name] = spec.default;
    }
  }

  // The label (zh) of a result unit; a result that names none is in the first unit.
  unitLabel(unit) {
    return this.units[unit] ?? Object.values(this.units)[0] ?? "";
  }

  regionMeta(region) {
    return (region && this.metadata.regions?.[region]) || null;
  }

  // "" when the region's rules recognise the kind in that year, else the reason (zh).
  kindNote(region, kind, year) {
    const meta = this.regionMeta(region);
    if (!meta || !kind) return "";
    if (typeof year !== "number" || !Number.isInteger(year)) return "";
    const covered = meta.years || [];
    if (covered.length && !covered.includes(year)) return `${meta.name}已发布的政策未覆盖 ${year} 年`;
    const kinds = meta.kinds?.[String(year)];
    if (kinds && !kinds.includes(kind)) return `该地区政策未规定此类活动（${meta.name}，${year} 年），将按 0 学时计`;
    return "";
  }

  // Whether the region's rules recognise the kind in any year they cover.
  kindEverRecognised(region, kind) {
    const meta = this.regionMeta(region);
    if (!meta?.kinds) return true;
    const years = meta.years?.length ? meta.years : Object.keys(meta.kinds).map(Number);
    return years.some((y) => (meta.kinds[String(y)] || []).includes(kind));
  }

  // The name of the notice a citation (`<policy>#<anchor>`) points into, or null.
  policyName(cite) {
    const [pid] = (cite || "").split("#");
    const policy = this.metadata.policies?.[pid];
    return policy ? policy.doc_number || policy.title || pid : null;
  }
}
