// Where the case is kept between visits (localStorage, this browser only) and the case as
// a file (export and import): the JSON document of shared/spec/case-format.md. Nothing is
// dropped or changed without a word: a saved case the page cannot read is kept aside
// under a second key (and offered for download), an import that would change a value is
// refused or confirmed, and a save the browser refuses is reported.
import { describePath, MAX_DEPTH, scanJSON } from "./jsontext.js";
import { RESULT_KEY } from "./lastresult.js";

// The localStorage key of the saved case. site_src/hooks/checker.py reads this line and
// hands the key to the inline boot script, which sends the saved case to the worker.
const STORE_KEY = "ce-checker.case.v1";
// Saved texts the page could not use as they were, kept aside so that the next save does
// not overwrite them: a JSON list of {saved (ISO time), reason (zh), text}, oldest first.
export const ASIDE_KEY = `${STORE_KEY}.unreadable`;

// At most this many changed numbers are named in a message (the rest are counted).
const NAMED = 8;

export function emptyCase() {
  return { profile: {}, activities: [] };
}

export function isEmptyCase(c) {
  return !c || (!c.region && !c.activities?.length && !Object.keys(c.profile || {}).length);
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function typeName(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "列表";
  return { string: "文字", number: "数字", boolean: "true/false", object: "对象" }[typeof v] || typeof v;
}

function shortJSON(v) {
  let text;
  try {
    text = JSON.stringify(v);
  } catch {
    text = String(v);
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

// The shape errors of a case (zh), each naming its place: what the form cannot show as a
// field (a profile that is not an object, activities that are not a list, an entry of the
// list that is not an object). Values of the wrong type inside are the engine's to report.
export function shapeProblems(c) {
  const out = [];
  if (c.profile !== undefined && !isObject(c.profile)) {
    out.push(`profile 应为对象，保存的是${typeName(c.profile)} ${shortJSON(c.profile)}`);
  }
  if (c.activities !== undefined && !Array.isArray(c.activities)) {
    out.push(`activities 应为列表，保存的是${typeName(c.activities)} ${shortJSON(c.activities)}`);
  } else {
    (c.activities || []).forEach((act, i) => {
      if (!isObject(act)) out.push(`第 ${i + 1} 项活动应为对象，保存的是${typeName(act)} ${shortJSON(act)}`);
    });
  }
  return out;
}

// The numbers JSON.parse would change, as one zh sentence ("" when none).
function changedNumbers(inexact) {
  if (!inexact.length) return "";
  const named = inexact
    .slice(0, NAMED)
    .map(({ path, literal, kept }) => `${describePath(path)}：${literal} → ${kept === "null" ? "空值" : kept}`);
  const more = inexact.length > NAMED ? `等 ${inexact.length} 处` : "";
  return `${named.join("；")}${more}`;
}

// A case's JSON text as the page reads it: {data, changes?} or {error} (zh, the reason).
// changes: the numbers the page cannot hold exactly, named, with what they would become
// (data then holds the changed values, exactly what the page saves, sends and exports).
export function readCaseText(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { error: `不是有效的 JSON（${err.message}）` };
  }
  if (!isObject(data)) {
    return { error: `内容应为包含 region、profile、activities 的对象，实际是${typeName(data)}` };
  }
  const { tooDeep, inexact } = scanJSON(text);
  if (tooDeep) {
    return { error: `数据嵌套超过 ${MAX_DEPTH} 层（${describePath(tooDeep)} 处），网页无法可靠处理` };
  }
  if (inexact.length) {
    return { data: JSON.parse(JSON.stringify(data)), changes: changedNumbers(inexact), changed: inexact.length };
  }
  return { data };
}

// --- localStorage -------------------------------------------------------------------

// While a saved text that could not be kept aside is still only under STORE_KEY, saving
// would overwrite it: saves are held back until the person has it (downloaded, or let go).
let holdSaves = false;

function storageMessage(err) {
  const quota = err?.name === "QuotaExceededError" || err?.code === 22 || err?.code === 1014;
  return quota
    ? "浏览器的本机存储空间已满（localStorage 超出配额）"
    : `浏览器不允许本机存储（${err?.name || "错误"}：${err?.message || err}）`;
}

// The texts kept aside ([] when none or unreadable).
export function keptAside() {
  try {
    const list = JSON.parse(localStorage.getItem(ASIDE_KEY) || "[]");
    return Array.isArray(list) ? list.filter((e) => isObject(e) && typeof e.text === "string") : [];
  } catch {
    return [];
  }
}

// Keeps a saved text aside (once: an identical text already there is not added again);
// null when done, else the reason it could not be (zh).
function keepAside(text, reason) {
  try {
    const list = keptAside();
    if (!list.some((e) => e.text === text)) list.push({ saved: new Date().toISOString(), reason, text });
    localStorage.setItem(ASIDE_KEY, JSON.stringify(list));
    return null;
  } catch (err) {
    return storageMessage(err);
  }
}

// Removes the texts kept aside; false when the browser refused.
export function forgetKeptAside() {
  try {
    localStorage.removeItem(ASIDE_KEY);
    return true;
  } catch {
    return false;
  }
}

// Lets saves overwrite STORE_KEY again (the person has downloaded the text, or let it go).
export function releaseSaves() {
  holdSaves = false;
}

// The saved case: {data, problem}. problem (null when none): {kind, message (zh),
// text?, keptError?}. kind "unreadable": the text is not a case (junk, null, a list, cut
// short, nested too deep) and the form starts empty; "shape": the case loads, but parts
// of it are not where the form can show them or numbers changed (see shapeProblems);
// "unavailable": the browser refuses storage. For the first two the text is kept aside
// (ASIDE_KEY); keptError says why it could not be, and saves are then held back.
export function loadStoredCase() {
  let text;
  try {
    text = localStorage.getItem(STORE_KEY);
  } catch (err) {
    return { data: emptyCase(), problem: { kind: "unavailable", message: storageMessage(err) } };
  }
  if (text == null || text === "") return { data: emptyCase(), problem: null };
  const read = readCaseText(text);
  let kind;
  let reasons;
  let data;
  if (read.error) {
    kind = "unreadable";
    reasons = [read.error];
    data = emptyCase();
  } else {
    data = read.data;
    reasons = shapeProblems(data);
    if (read.changes) reasons.push(`以下数值网页无法精确保存，已改变：${read.changes}`);
    if (!reasons.length) return { data, problem: null };
    kind = "shape";
  }
  const message = reasons.join("；");
  const keptError = keepAside(text, message);
  if (keptError) holdSaves = true;
  return { data, problem: { kind, message, text, keptError } };
}

// Saves the case: null when saved, else why not (zh). When the browser refuses for quota,
// the result kept for the next visit (lastresult.js) gives way and the save is tried again.
export function saveCase(c) {
  if (holdSaves) return "本机原有的保存内容尚未下载或另存，为免覆盖，暂不保存";
  const text = JSON.stringify(c);
  try {
    localStorage.setItem(STORE_KEY, text);
    return null;
  } catch (err) {
    try {
      if (localStorage.getItem(RESULT_KEY) === null) return storageMessage(err);
      localStorage.removeItem(RESULT_KEY);
      localStorage.setItem(STORE_KEY, text);
      return null;
    } catch (again) {
      return storageMessage(again);
    }
  }
}

// Whether this browser holds a saved case with anything in it (a text the page cannot read
// counts as one; a browser that refuses storage holds none).
export function savedCaseExists() {
  let text;
  try {
    text = localStorage.getItem(STORE_KEY);
  } catch {
    return false;
  }
  if (!text) return false;
  try {
    return !isEmptyCase(JSON.parse(text));
  } catch {
    return true;
  }
}

export function forgetCase() {
  try {
    localStorage.removeItem(STORE_KEY);
  } catch {
    /* nothing to forget */
  }
}

// --- files ----------------------------------------------------------------------------

// The case as the CLI reads it, region first; other top-level keys are kept.
function orderedCase(c) {
  const { person, region, profile, activities, ...rest } = c;
  const out = {};
  if (person !== undefined) out.person = person;
  if (region !== undefined) out.region = region;
  if (profile !== undefined) out.profile = profile;
  if (activities !== undefined) out.activities = activities;
  return { ...out, ...rest }; // spread, not assign: a key "__proto__" stays a key
}

function dateStamp() {
  const d = new Date();
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, "0")}${String(d.getDate()).padStart(2, "0")}`;
}

// The export file: its text and a name with the case's person (姓名或工号), if any, and today's date.
export function caseFile(c) {
  const person = typeof c.person === "string" ? c.person.replace(/[\\/:*?"<>|\s]+/g, "").slice(0, 40) : "";
  const name = `继续教育学时-${person ? `${person}-` : ""}${dateStamp()}.json`;
  return { text: `${JSON.stringify(orderedCase(c), null, 2)}\n`, name };
}

// A text kept aside as a file: as it was saved, .json when it is JSON.
export function keptFile(entry, n = 1) {
  let json = false;
  try {
    JSON.parse(entry.text);
    json = true;
  } catch {
    /* not JSON: a .txt file */
  }
  return { text: entry.text, name: `继续教育学时-无法读取的保存内容-${dateStamp()}-${n}.${json ? "json" : "txt"}` };
}

// Starts the download of a text file.
export function download({ text, name }, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.className = "ce-visually-hidden";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// The bytes of an imported file as text: UTF-8 only, as the CLI reads it (a leading BOM
// is dropped); {text} or {error} (zh). GBK and other legacy encodings are named, not
// guessed into replacement characters.
export function decodeCaseFile(bytes) {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    let gbk = false;
    try {
      new TextDecoder("gbk", { fatal: true }).decode(bytes);
      gbk = true;
    } catch {
      /* neither */
    }
    return {
      error: gbk
        ? "文件不是 UTF-8 编码（看起来是 GBK/GB18030 编码）。请在文本编辑器中“另存为 UTF-8”后再导入"
        : "文件不是 UTF-8 编码的文本（含无效的 UTF-8 字节）。请确认导入的是本工具导出的 JSON 文件",
    };
  }
}

// An imported file's bytes as a case: {data, changes?} or {error} (zh), the file named by
// `name`. The shape is checked (object, profile an object, activities a list); entries the
// engine rejects are kept and shown with its messages. changes: see readCaseText.
export function parseCaseFile(bytes, name) {
  const decoded = decodeCaseFile(bytes);
  if (decoded.error) return { error: `无法导入“${name}”：${decoded.error}。` };
  const read = readCaseText(decoded.text);
  if (read.error) return { error: `无法导入“${name}”：${read.error}。` };
  const { data } = read;
  if (data.activities !== undefined && !Array.isArray(data.activities)) {
    return { error: `无法导入“${name}”：activities 应为列表。` };
  }
  if (data.profile !== undefined && !isObject(data.profile)) {
    return { error: `无法导入“${name}”：profile 应为对象。` };
  }
  return read;
}
