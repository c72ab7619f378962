// The JSON text of a case, before the page turns it into values: how deep it nests and
// which numbers a JavaScript number cannot hold exactly (JSON.parse would change them
// without a word: 1e400 becomes Infinity, then null; a 20-digit integer loses digits).
// Python's json module keeps such numbers (int) or rejects them, so the page would
// compute, store and export something else than the file says.

// Deeper than this the page refuses a case (a case needs 4 levels: case, activities, one
// activity, a list of flags): deep structures overflow JSON.stringify and the form.
export const MAX_DEPTH = 32;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

// A number literal's exact decimal value as "digits e exponent" (no leading or trailing
// zeros; "0" for zero of either sign); null for what is not a finite literal ("Infinity").
function decimal(literal) {
  const m = LITERAL.exec(literal);
  if (!m) return null;
  const frac = m[3] || "";
  let digits = (m[2] + frac).replace(/^0+/, "");
  if (!digits) return "0";
  let exp = BigInt(m[4] || 0) - BigInt(frac.length);
  const trimmed = digits.replace(/0+$/, "");
  exp += BigInt(digits.length - trimmed.length);
  digits = trimmed;
  return `${m[1]}${digits}e${exp}`;
}

// What the page keeps of a number literal: the text JSON.stringify writes for it ("null"
// for what becomes Infinity), and whether that is the same value.
export function numberChange(literal) {
  const value = Number(literal);
  const kept = Number.isFinite(value) ? JSON.stringify(value) : "null";
  return { kept, exact: decimal(literal) === decimal(kept) };
}

// A path as the page names it: activities[0].hours → 第 1 项活动的 hours.
export function describePath(path) {
  if (path[0] === "activities" && typeof path[1] === "number") {
    const rest = path.slice(2).map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`));
    const tail = rest.join("").replace(/^\./, "");
    return `第 ${path[1] + 1} 项活动${tail ? `的 ${tail}` : ""}`;
  }
  if (!path.length) return "（整个文件）";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i ? `.${p}` : p)).join("");
}

// {tooDeep: path | null, inexact: [{path, literal, kept}]} of a JSON text, in one pass
// without recursion (so any depth is safe); stops at the first level deeper than
// maxDepth. Meant for text JSON.parse accepts: on other text it reports what it saw.
export function scanJSON(text, { maxDepth = MAX_DEPTH } = {}) {
  const stack = []; // {array: bool, key: string | null, index: number, expectKey: bool}
  const inexact = [];
  const path = () => stack.filter((f) => f.array || f.key !== null).map((f) => (f.array ? f.index : f.key));
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === "{" || c === "[") {
      const top = stack[stack.length - 1];
      if (top && !top.array) top.expectKey = false;
      if (stack.length >= maxDepth) return { tooDeep: path(), inexact };
      stack.push({ array: c === "[", key: null, index: 0, expectKey: c === "{" });
      i += 1;
    } else if (c === "}" || c === "]") {
      stack.pop();
      i += 1;
    } else if (c === ",") {
      const top = stack[stack.length - 1];
      if (top?.array) top.index += 1;
      else if (top) {
        top.expectKey = true;
        top.key = null;
      }
      i += 1;
    } else if (c === ":") {
      const top = stack[stack.length - 1];
      if (top) top.expectKey = false;
      i += 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top && !top.array && top.expectKey) {
        try {
          top.key = JSON.parse(text.slice(i, j + 1));
        } catch {
          top.key = text.slice(i + 1, j);
        }
      }
      i = j + 1;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      const literal = m ? m[0] : c;
      const { kept, exact } = numberChange(literal);
      if (!exact) inexact.push({ path: path(), literal, kept });
      i += literal.length;
    } else {
      i += 1; // white space, true, false, null
    }
  }
  return { tooDeep: null, inexact };
}
