// Where the case is kept between visits (localStorage, this browser only) and the case as
// a file (export and import): the JSON document of shared/spec/case-format.md.

// The localStorage key of the saved case. site_src/hooks/checker.py reads this line and
// hands the key to the inline boot script, which sends the saved case to the worker.
const STORE_KEY = "ce-checker.case.v1";

export function emptyCase() {
  return { profile: {}, activities: [] };
}

export function isEmptyCase(c) {
  return !c || (!c.region && !c.activities?.length && !Object.keys(c.profile || {}).length);
}

// The saved case, or an empty one when there is none or it cannot be read.
export function loadStoredCase() {
  try {
    const text = localStorage.getItem(STORE_KEY);
    if (text) {
      const data = JSON.parse(text);
      if (data && typeof data === "object" && !Array.isArray(data)) return data;
    }
  } catch {
    /* unreadable storage: start empty */
  }
  return emptyCase();
}

// false when the browser refuses to store it.
export function saveCase(c) {
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(c));
    return true;
  } catch {
    return false;
  }
}

export function forgetCase() {
  try {
    localStorage.removeItem(STORE_KEY);
  } catch {
    /* nothing to forget */
  }
}

// The case as the CLI reads it, region first; other top-level keys are kept.
function orderedCase(c) {
  const { region, profile, activities, ...rest } = c;
  const out = {};
  if (region !== undefined) out.region = region;
  if (profile !== undefined) out.profile = profile;
  if (activities !== undefined) out.activities = activities;
  return Object.assign(out, rest);
}

// The export file: its text and a name with today's date.
export function caseFile(c) {
  const d = new Date();
  const stamp = `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, "0")}${String(d.getDate()).padStart(2, "0")}`;
  return { text: `${JSON.stringify(orderedCase(c), null, 2)}\n`, name: `继续教育学时-${stamp}.json` };
}

// An imported file's text as a case: {data} or {error} (zh), the file named by `name`.
// Only the shape is checked: entries the engine rejects are kept and shown with its messages.
export function parseCaseFile(text, name) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { error: `无法导入“${name}”：不是有效的 JSON 文件（${err.message}）。` };
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    return { error: `无法导入“${name}”：文件内容应为包含 region、profile、activities 的对象。` };
  }
  if (data.activities !== undefined && !Array.isArray(data.activities)) {
    return { error: `无法导入“${name}”：activities 应为列表。` };
  }
  if (
    data.profile !== undefined &&
    (!data.profile || typeof data.profile !== "object" || Array.isArray(data.profile))
  ) {
    return { error: `无法导入“${name}”：profile 应为对象。` };
  }
  return { data };
}
