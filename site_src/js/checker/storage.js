// What the page says about the saved case (one element above the form): a saved case it
// could not read as it was (kept aside under a second key: download it, or let it go),
// the texts kept aside on earlier visits, and a save the browser refused. Stays until
// the situation changes; never replaced by a passing notice.
import { fill, h } from "./dom.js";
import { download, forgetKeptAside, keptAside, keptFile, releaseSaves } from "./store.js";

const shortReason = (text) => (text.length > 160 ? `${text.slice(0, 160)}…` : text);

function when(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const two = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

export class StorageAlert {
  // problem: loadStoredCase()'s problem of this visit (null when none).
  constructor(problem) {
    this.problem = problem;
    this.saveError = null;
    this.el = h("div", { class: "ce-storage", hidden: true });
    this.render();
  }

  // A save failed (message, zh) or succeeded (null).
  setSaveError(message) {
    if (message === this.saveError) return;
    this.saveError = message;
    this.render();
  }

  button(text, action, onclick) {
    return h("button", { type: "button", class: "md-button ce-btn", dataset: { action }, onclick }, text);
  }

  renderProblem(p) {
    const kept = p.keptError
      ? `原内容未能另存（${p.keptError}）：为免覆盖，本页暂不自动保存，请先下载原内容。`
      : "原内容已原样另存在本浏览器中（不会被新的填写覆盖），可下载后用文本编辑器查看或修复再导入。";
    const what =
      p.kind === "unreadable"
        ? `本机保存的案例无法读取：${p.message}。表单从空白开始。`
        : `本机保存的案例有部分内容不符合案例格式：${p.message}。已按原样载入，问题标在相应位置。`;
    return h(
      "div",
      { class: "ce-alert ce-alert--error ce-storage__problem", role: "alert", dataset: { problem: p.kind } },
      h("p", {}, what, kept),
      h(
        "p",
        { class: "ce-storage__actions" },
        this.button("下载原内容", "download-unreadable", () => {
          download(keptFile({ text: p.text }));
          if (p.keptError) {
            releaseSaves();
            p.keptError = null;
            this.onSavesReleased?.();
          }
          this.render();
        }),
        p.keptError ? null : this.button("知道了", "dismiss-unreadable", () => this.dismiss()),
      ),
    );
  }

  dismiss() {
    this.problem = null;
    this.onDismiss?.();
    this.render();
  }

  renderKept(list) {
    return h(
      "details",
      { class: "ce-storage__kept", dataset: { kept: String(list.length) } },
      h("summary", {}, `本浏览器另存有 ${list.length} 份无法读取的保存内容`),
      h(
        "ul",
        {},
        list.map((entry, i) =>
          h(
            "li",
            {},
            `${when(entry.saved)} ${shortReason(String(entry.reason || ""))} `,
            h(
              "button",
              {
                type: "button",
                class: "ce-link-btn",
                dataset: { action: "download-kept" },
                onclick: () => download(keptFile(entry, i + 1)),
              },
              "下载",
            ),
          ),
        ),
      ),
      this.button("删除另存内容", "forget-kept", () => {
        if (!window.confirm("确定删除另存的无法读取的保存内容吗？此操作无法撤销。（如需留存，请先下载。）")) return;
        forgetKeptAside();
        this.render();
      }),
    );
  }

  render() {
    const p = this.problem;
    const parts = [];
    if (p?.kind === "unavailable") {
      parts.push(
        h(
          "div",
          { class: "ce-alert ce-alert--error", role: "alert", dataset: { problem: "unavailable" } },
          `无法读取本机保存的内容：${p.message}。本次填写的内容不会保存，请及时导出 JSON。`,
        ),
      );
    } else if (p) {
      parts.push(this.renderProblem(p));
    }
    if (this.saveError && p?.kind !== "unavailable") {
      parts.push(
        h(
          "div",
          { class: "ce-alert ce-alert--error ce-storage__save", role: "alert", dataset: { problem: "save" } },
          `未能保存到本机：${this.saveError}。刷新或关闭页面后，未保存的修改将丢失；请用“导出 JSON”保存。`,
        ),
      );
    }
    const list = keptAside();
    if (list.length && !(p && p.kind !== "unavailable")) parts.push(this.renderKept(list));
    fill(this.el, parts);
    this.el.hidden = parts.length === 0;
  }
}
