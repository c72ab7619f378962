// Sharing a case without a server (复制链接): the whole case in the link's fragment
// (casefragment.js: a fragment is never sent to a server), a QR code of that link drawn in
// the page (lean-qr, bundled: no service), and opening such a link. The link's case is
// shown, not saved, until the person clicks 保存为我的案例 (when nothing is saved it is
// adopted); the fragment is taken out of the address bar, so a reload shows the saved case.
// A link carries the rule bundle's version and a summary of its result: when either differs
// on opening, the page says what changed for this case.
import { correction, generate } from "lean-qr";
import { bundleVersion, decodeFragmentText, encodeCaseFragment, fragmentValue } from "./casefragment.js";
import { fill, fmt, h, uniqueId } from "./dom.js";
import { TOTAL } from "./results.js";
import { app } from "./state.js";
import { isEmptyCase, readCaseText, saveCase, savedCaseExists } from "./store.js";

// Characters above which some apps (WeChat among them) may cut a link.
export const LONG_LINK = 2000;
// The most a QR code holds: version 40, error correction level L, byte mode.
export const QR_MAX_BYTES = 2953;
// Modules of white around the code (the standard's quiet zone), and the least size drawn.
const QR_QUIET = 4;
const QR_MIN_PX = 360;
// Above this version the code is dense: a phone may need to come closer.
const QR_DENSE_VERSION = 25;

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const thousands = (n) => n.toLocaleString("en-US");

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

// --- what a link carries of its result -------------------------------------------------

// The summary of a result a link carries: each year's unit, credited numbers per subject and
// total, whether it is covered and met, and the title application's verdict. null when there
// is no result.
export function resultSummary(result, subjects) {
  if (!isObject(result) || !isObject(result.years)) return null;
  const years = {};
  for (const [year, y] of Object.entries(result.years)) {
    if (!isObject(y)) continue;
    const out = { unit: y.unit ?? null, covered: y.covered ?? null, met: y.met ?? null };
    for (const [key] of [...subjects, TOTAL]) out[key] = y[key] ?? null;
    years[year] = out;
  }
  const a = result.application;
  return { years, application: isObject(a) ? { met: a.met ?? null } : null };
}

const yearVerdict = (y) =>
  y.met === true ? "达标" : y.met === false ? "未达标" : y.covered === false ? "未覆盖" : "不按年考核";
const applicationVerdict = (a) => (!a ? "无" : a.met === true ? "符合" : a.met === false ? "尚不符合" : "政策未规定");

// What differs between the summary a link was made with and the summary now, one line (zh)
// a difference, years in order.
export function summaryChanges(before, now, vocab) {
  const lines = [];
  const was = isObject(before?.years) ? before.years : {};
  const is = isObject(now?.years) ? now.years : {};
  const years = [...new Set([...Object.keys(was), ...Object.keys(is)])].sort();
  const columns = [...vocab.subjects, TOTAL];
  for (const year of years) {
    const a = was[year];
    const b = is[year];
    if (!isObject(a)) {
      lines.push(`${year} 年：生成链接时没有这一年度，现在为${yearVerdict(b)}`);
      continue;
    }
    if (!isObject(b)) {
      lines.push(`${year} 年：生成链接时为${yearVerdict(a)}，现在没有这一年度`);
      continue;
    }
    const parts = columns
      .filter(([key]) => !same(a[key], b[key]))
      .map(([key, label]) => `${label} ${fmt(a[key])} → ${fmt(b[key])}`);
    if (a.unit !== b.unit) parts.push(`单位 ${vocab.unitLabel(a.unit)} → ${vocab.unitLabel(b.unit)}`);
    else if (parts.length) parts[parts.length - 1] += ` ${vocab.unitLabel(b.unit)}`;
    if (yearVerdict(a) !== yearVerdict(b)) parts.push(`${yearVerdict(a)} → ${yearVerdict(b)}`);
    if (parts.length) lines.push(`${year} 年：${parts.join("，")}`);
  }
  const pa = before?.application ?? null;
  const pb = now?.application ?? null;
  if (applicationVerdict(pa) !== applicationVerdict(pb)) {
    lines.push(`职称申报：${applicationVerdict(pa)} → ${applicationVerdict(pb)}`);
  }
  return lines;
}

// --- opening a link --------------------------------------------------------------------

function dropFragment() {
  history.replaceState(history.state, "", `${location.pathname}${location.search}`);
}

// The link in the address bar, taken out of it: null when there is none, else {envelope,
// changes?, length} or {error} (zh). The case is read as an import is (nesting, exact
// numbers, shape).
export async function takeLink() {
  const value = fragmentValue(location.hash);
  if (value == null) return null;
  dropFragment(); // a reload shows the saved case, and does not ask again
  let text;
  try {
    text = await decodeFragmentText(value);
  } catch (err) {
    return { error: err.message, length: value.length };
  }
  const read = readCaseText(text);
  if (read.error) return { error: `链接中的内容无法读取：${read.error}`, length: value.length };
  const envelope = read.data;
  const c = envelope.case;
  if (!isObject(c)) return { error: "链接中没有案例", length: value.length };
  if (c.activities !== undefined && !Array.isArray(c.activities)) {
    return { error: "链接中的案例格式不对：activities 应为列表", length: value.length };
  }
  if (c.profile !== undefined && !isObject(c.profile)) {
    return { error: "链接中的案例格式不对：profile 应为对象", length: value.length };
  }
  return { envelope, changes: read.changes || "", length: value.length };
}

// The bar above the form while the form shows a link's case (这是链接中的案例), and what
// changed for the case since the link was made. Its state lives in app.link, so that it
// survives Material's instant navigation:
//   holding   the form shows the link's case, not saved; `saved` is the saved case
//   compare   {caseText, summary}: compared with the first result of the unedited case
//   report    {bundleFrom, bundleNow, made, lines, state}: what the page says about the rules
export class LinkBar {
  // vocab: the Vocabulary; actions: {replaceCase(data), notice(text, action, isError),
  // saveError(message|null)}.
  constructor(vocab, actions) {
    this.vocab = vocab;
    this.actions = actions;
    this.el = h("div", { class: "ce-linkbar", hidden: true });
    this.render();
  }

  // Whether the form shows a link's case that is not saved (saves are held back).
  get holding() {
    return Boolean(app.link?.holding);
  }

  // Opens what takeLink() gave.
  open(link) {
    if (!link) return;
    if (link.error) {
      this.actions.notice(`无法打开链接中的案例：${link.error}。本机保存的案例未改动。`, null, true);
      return;
    }
    const { envelope } = link;
    const data = envelope.case;
    const saved = this.holding ? app.link.saved : app.caseData;
    const now = bundleVersion(this.vocab.metadata);
    const bundleFrom = typeof envelope.bundle === "string" ? envelope.bundle : null;
    const report = {
      bundleFrom,
      bundleNow: now,
      made: typeof envelope.made === "string" ? envelope.made.slice(0, 10) : null,
      hasSummary: isObject(envelope.summary),
      lines: null,
      state: "waiting",
    };
    app.link = {
      holding: true,
      saved,
      changes: link.changes,
      compare: { caseText: JSON.stringify(data), summary: isObject(envelope.summary) ? envelope.summary : null },
      report,
    };
    const count = Array.isArray(data.activities) ? data.activities.length : 0;
    let adopted = false;
    let saveError = null;
    // Adopted only when there is no case of the person's: neither on the page nor saved
    // (another tab may have saved one since this page read it).
    if (isEmptyCase(saved) && !savedCaseExists()) {
      saveError = saveCase(data);
      adopted = !saveError;
      if (adopted) {
        app.link.holding = false;
        app.link.saved = null;
      }
    }
    this.actions.replaceCase(data);
    this.render();
    if (adopted) {
      this.actions.notice(`已打开链接中的案例（${count} 项活动），并保存为我的案例（本机原来没有保存的案例）。`);
    } else {
      this.actions.notice(
        `已打开链接中的案例（${count} 项活动），尚未保存${saveError ? `（无法保存到本机：${saveError}）` : ""}；本机保存的案例未改动。`,
        null,
        Boolean(saveError),
      );
    }
  }

  save() {
    if (!this.holding) return;
    const error = saveCase(app.caseData);
    if (error) {
      this.actions.notice(`未能保存链接中的案例：${error}。本机保存的案例未改动。`, null, true);
      return;
    }
    app.link.holding = false;
    app.link.saved = null;
    this.actions.saveError(null);
    this.render();
    this.actions.notice("已将链接中的案例保存为我的案例（替换了原来保存的案例）。");
  }

  discard() {
    if (!this.holding) return;
    const saved = app.link.saved;
    app.link = null;
    this.actions.replaceCase(saved);
    this.render();
    this.actions.notice("已放弃链接中的案例，回到我的案例。");
  }

  // The form shows another case (an import, 清空): the link is no longer on the page.
  leave() {
    if (!app.link) return;
    app.link = null;
    this.render();
  }

  dismiss() {
    if (app.link) app.link.report = null;
    if (app.link && !app.link.holding) app.link = null;
    this.render();
  }

  // A result is on the page: the first one for the link's unedited case is compared with the
  // summary the link carries.
  onResult(result, caseData) {
    const link = app.link;
    if (!link?.compare || !link.report) return;
    const { caseText, summary } = link.compare;
    link.compare = null;
    const report = link.report;
    if (JSON.stringify(caseData) !== caseText) {
      report.state = "edited";
    } else if (!summary) {
      report.state = "no-summary";
    } else {
      report.lines = summaryChanges(summary, resultSummary(result, this.vocab.subjects), this.vocab);
      report.state = report.lines.length ? "changed" : "same";
    }
    this.render();
  }

  button(text, action, onclick) {
    return h("button", { type: "button", class: "md-button ce-btn", dataset: { action }, onclick }, text);
  }

  renderReport(r) {
    const rulesChanged = Boolean(r.bundleFrom && r.bundleNow && r.bundleFrom !== r.bundleNow);
    const resultChanged = r.state === "changed";
    if (!rulesChanged && !resultChanged) return null;
    const made = r.made ? `本链接生成于 ${r.made}，` : "本链接";
    const head = rulesChanged
      ? `规则已更新：${made}当时的规则版本为 ${r.bundleFrom}，本站现在的规则版本为 ${r.bundleNow}。`
      : "核算结果与生成链接时不同（规则版本相同，本站的计算程序已更新）。";
    let body;
    if (r.state === "changed") {
      body = [
        h("p", {}, "对本案例的影响（生成链接时 → 现在）："),
        h(
          "ul",
          { class: "ce-linkbar__changes" },
          r.lines.map((line) => h("li", {}, line)),
        ),
      ];
    } else if (r.state === "same") {
      body = h("p", {}, "本案例各年度的学时和结论没有变化。");
    } else if (r.state === "no-summary") {
      body = h("p", {}, "链接没有附带生成时的核算结果，无法列出对本案例的影响；请核对下方结果。");
    } else if (r.state === "edited") {
      body = h("p", {}, "案例已修改，不再与生成链接时的结果比较。");
    } else {
      body = h("p", {}, "正在核算，完成后列出对本案例的影响……");
    }
    return h(
      "div",
      {
        class: "ce-linkbar__report",
        role: "status",
        dataset: { rulesChanged: String(rulesChanged), state: r.state },
      },
      h("p", {}, h("strong", {}, head)),
      body,
    );
  }

  render() {
    const link = app.link;
    const parts = [];
    if (link?.holding) {
      parts.push(
        h(
          "p",
          {},
          h("strong", {}, "这是链接中的案例"),
          "：尚未保存到本机，修改也不会保存；刷新或关闭本页后，将回到你保存的案例。",
        ),
        link.changes ? h("p", {}, `以下数值网页无法精确保存，已改变：${link.changes}。`) : null,
        h(
          "p",
          { class: "ce-linkbar__actions" },
          this.button("保存为我的案例（替换已保存的）", "link-save", () => this.save()),
          this.button("放弃，回到我的案例", "link-discard", () => this.discard()),
        ),
      );
    }
    const report = link?.report ? this.renderReport(link.report) : null;
    if (report) parts.push(report);
    if (report && !link.holding) {
      parts.push(
        h(
          "p",
          { class: "ce-linkbar__actions" },
          this.button("知道了", "link-dismiss", () => this.dismiss()),
        ),
      );
    }
    fill(this.el, parts);
    this.el.hidden = parts.length === 0;
    this.el.className = `ce-alert ce-linkbar${link?.holding ? " ce-linkbar--holding" : ""}`;
    if (link?.holding) {
      this.el.setAttribute("role", "region");
      this.el.setAttribute("aria-label", "链接中的案例");
    } else {
      this.el.removeAttribute("role");
      this.el.removeAttribute("aria-label");
    }
  }
}

// --- making a link ---------------------------------------------------------------------

// Draws a QR code on a canvas: `scale` pixels a module, the quiet zone around it.
function drawQR(canvas, code) {
  const modules = code.size + 2 * QR_QUIET;
  const scale = Math.max(2, Math.ceil(QR_MIN_PX / modules));
  canvas.width = modules * scale;
  canvas.height = modules * scale;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#000";
  for (let y = 0; y < code.size; y++) {
    for (let x = 0; x < code.size; x++) {
      if (code.get(x, y)) ctx.fillRect((x + QR_QUIET) * scale, (y + QR_QUIET) * scale, scale, scale);
    }
  }
}

// The QR code of a link, or why there is none.
export function linkQR(link) {
  const bytes = new TextEncoder().encode(link).length;
  if (bytes > QR_MAX_BYTES) {
    return {
      reason: `链接有 ${thousands(bytes)} 个字节，超过二维码最多能容纳的 ${thousands(QR_MAX_BYTES)} 字节（版本 40、纠错等级 L），因此不生成二维码；请发送链接或导出文件。`,
    };
  }
  try {
    return { code: generate(link, { minCorrectionLevel: correction.L }) };
  } catch (err) {
    return { reason: `无法生成二维码：${err.message}；请发送链接或导出文件。` };
  }
}

// The dialog of 复制链接: what the link reveals, its length (a warning when long), the link,
// a copy button and the QR code.
export class ShareDialog {
  // vocab: the Vocabulary; source: {caseData(), result() (the result of exactly that case,
  // or null), exportFile()}.
  constructor(vocab, source) {
    this.vocab = vocab;
    this.source = source;
    const titleId = uniqueId("ce-share-title");
    this.body = h("div", { class: "ce-share__body" });
    this.el = h(
      "dialog",
      { class: "ce-share", "aria-labelledby": titleId },
      h("h2", { id: titleId, class: "ce-share__title" }, "复制链接"),
      this.body,
    );
    this.el.addEventListener("click", (event) => {
      if (event.target === this.el) this.el.close(); // a click on the backdrop
    });
  }

  // The link of the case as it is now.
  async makeLink() {
    const summary = resultSummary(this.source.result(), this.vocab.subjects);
    const extra = { bundle: bundleVersion(this.vocab.metadata), made: today() };
    if (summary) extra.summary = summary;
    const url = new URL(location.href);
    url.hash = await encodeCaseFragment(this.source.caseData(), extra);
    return url.href;
  }

  async open() {
    let link;
    try {
      link = await this.makeLink();
    } catch (err) {
      fill(this.body, h("p", { class: "ce-share__error", role: "alert" }, `无法生成链接：${err.message}`));
      this.show();
      return;
    }
    this.link = link;
    this.render(link);
    this.show();
  }

  show() {
    if (!this.el.open) this.el.showModal();
  }

  close() {
    this.el.close();
  }

  async copy() {
    let ok = false;
    try {
      await navigator.clipboard.writeText(this.link);
      ok = true;
    } catch {
      this.linkEl.focus();
      this.linkEl.select();
      try {
        ok = document.execCommand("copy");
      } catch {
        ok = false;
      }
    }
    this.statusEl.textContent = ok ? "已复制链接。" : "无法自动复制：请选中上面的链接，再手动复制。";
    this.statusEl.dataset.copied = String(ok);
  }

  render(link) {
    const length = link.length;
    const long = length > LONG_LINK;
    this.linkEl = h("textarea", {
      class: "ce-share__link",
      readonly: true,
      rows: 3,
      "aria-label": "链接",
      spellcheck: "false",
    });
    this.linkEl.value = link;
    this.statusEl = h("p", { class: "ce-share__status", role: "status", "aria-live": "polite" });
    const button = (text, action, onclick) =>
      h("button", { type: "button", class: "md-button ce-btn", dataset: { action }, onclick }, text);
    const qr = linkQR(link);
    let qrPart;
    if (qr.code) {
      const canvas = h("canvas", {
        class: "ce-share__qr",
        role: "img",
        "aria-label": "本链接的二维码：用手机扫描即可打开同一案例",
        dataset: { modules: String(qr.code.size) },
      });
      drawQR(canvas, qr.code);
      const version = (qr.code.size - 17) / 4;
      qrPart = [
        canvas,
        h(
          "p",
          { class: "ce-share__qrinfo" },
          `二维码：版本 ${version}，${qr.code.size}×${qr.code.size} 个模块。`,
          version > QR_DENSE_VERSION ? "二维码较密：扫描时请把手机靠近屏幕，或放大本页。" : "",
        ),
      ];
    } else {
      qrPart = h("p", { class: "ce-share__noqr", role: "note" }, qr.reason);
    }
    fill(
      this.body,
      h(
        "p",
        { class: "ce-share__privacy", role: "note" },
        h("strong", {}, "任何拿到此链接的人都能看到链接中的全部内容"),
        "：地区、基本信息和每一项活动。案例在链接的“#”之后，打开链接时不会发送到本站的服务器，但会经过你用来发送链接的应用（微信、邮件等）。",
      ),
      h(
        "p",
        { class: "ce-share__length", dataset: { length: String(length), long: String(long) } },
        `链接长度：${thousands(length)} 个字符。`,
      ),
      long
        ? h(
            "div",
            { class: "ce-share__long", role: "alert" },
            h(
              "p",
              {},
              `链接超过 ${thousands(LONG_LINK)} 个字符：微信等应用可能截断过长的链接，对方打开时会提示链接已损坏。建议改用导出文件（JSON）发送。`,
            ),
            button("导出文件", "share-export", () => this.source.exportFile()),
          )
        : null,
      this.linkEl,
      h(
        "p",
        { class: "ce-share__actions" },
        button("复制链接", "share-copy", () => this.copy()),
        button("关闭", "share-close", () => this.close()),
      ),
      this.statusEl,
      h("h3", { class: "ce-share__qrtitle" }, "手机扫码打开"),
      qrPart,
      h(
        "p",
        { class: "ce-share__note" },
        "链接记下了生成时的规则版本和核算结果：如果以后规则更新，打开链接时本站会说明对本案例的影响。",
      ),
    );
  }
}
