// A case carried in a link's fragment (`#case=…`): a fragment is never sent to a server.
// Format: "case=1." + base64url(deflate-raw(UTF-8 JSON of {case, bundle?, ...extra})).
// The "1." is the format's version; `bundle` is the rule bundle's version the link was made
// with (metadata.json's `bundle.version`: the page says so when the rules changed since).
// The share link (share.js) adds `summary` (the result it was made with, to say what changed
// for this case) and `made` (the date, YYYY-MM-DD); a reader ignores fields it does not know.
// Used by the share link (复制链接) and by the batch page's "open in the checker".

export const PARAM = "case";
const FORMAT = "1";
// The version of the rules a page computes with, as a link carries it in `bundle`
// (metadata.json's `bundle.version`, from ruleset.api.metadata); null when unknown.
export function bundleVersion(metadata) {
  return metadata?.bundle?.version ?? null;
}

// Decompressed size at most (a hostile link cannot make the page inflate gigabytes).
export const MAX_JSON_BYTES = 4 * 1024 * 1024;

function toBase64Url(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

// Reads at most `limit` bytes from a decompressing stream; more is an error.
async function inflateBounded(bytes, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`链接中的案例超过 ${Math.round(limit / 1024 / 1024)} MB，未打开`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// The fragment (without "#") that carries `caseData` (and `extra` fields beside it).
export async function encodeCaseFragment(caseData, extra = {}) {
  const json = JSON.stringify({ ...extra, case: caseData });
  const packed = await pipe(new TextEncoder().encode(json), new CompressionStream("deflate-raw"));
  return `${PARAM}=${FORMAT}.${toBase64Url(packed)}`;
}

// The value of `case=` in a location hash ("#case=…", possibly among other `&`-separated
// parameters), or null when there is none.
export function fragmentValue(hash) {
  const text = String(hash || "").replace(/^#/, "");
  for (const part of text.split("&")) {
    if (part.startsWith(`${PARAM}=`)) return part.slice(PARAM.length + 1);
  }
  return null;
}

// The JSON text of the envelope a `case=` value carries (checked for nothing but its
// encoding); throws an Error with a Chinese message when it cannot be read.
export async function decodeFragmentText(value) {
  const dot = String(value).indexOf(".");
  if (dot < 0 || value.slice(0, dot) !== FORMAT)
    throw new Error("链接格式无法识别（可能来自更新版本的本站，或被截断）");
  let bytes;
  try {
    bytes = fromBase64Url(value.slice(dot + 1));
  } catch {
    throw new Error("链接已损坏（编码无效），可能复制时被截断");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(await inflateBounded(bytes, MAX_JSON_BYTES));
  } catch (err) {
    if (String(err?.message || "").startsWith("链接中的案例超过")) throw err;
    throw new Error("链接已损坏（无法解压），可能复制时被截断");
  }
}

// The envelope {case, bundle?, ...} a `case=` value carries; throws an Error with a Chinese
// message when it cannot be read.
export async function decodeCaseFragment(value) {
  return envelopeOf(await decodeFragmentText(value));
}

// The envelope in a decoded JSON text; throws an Error with a Chinese message.
export function envelopeOf(json) {
  let envelope;
  try {
    envelope = JSON.parse(json);
  } catch {
    throw new Error("链接已损坏（内容不是 JSON）");
  }
  if (!envelope || typeof envelope !== "object" || Array.isArray(envelope) || !("case" in envelope)) {
    throw new Error("链接中没有案例");
  }
  return envelope;
}
