// What the page says about the engine while it loads (the stages of the worker's boot,
// a retry button and the technical detail on failure), about the form's data when it
// cannot load, and above the results while there are none.
import { fill, h } from "./dom.js";

const STAGES = [
  ["runtime", "运行环境"],
  ["rules", "规则"],
  ["ready", "就绪"],
];

function stageItems(engine) {
  const index = STAGES.findIndex(([key]) => key === (engine.stage === "error" ? engine.failedAt : engine.stage));
  return STAGES.map(([key, label], i) => {
    let state = "pending";
    if (engine.stage === "error") state = i < index ? "done" : i === index ? "error" : "pending";
    else if (engine.ready || i < index) state = "done";
    else if (i === index) state = "active";
    const mark = { done: "✓", active: "", error: "✕", pending: "" }[state];
    return h(
      "li",
      { class: `ce-stage ce-stage--${state}`, dataset: { stage: key } },
      h("span", { class: "ce-stage__dot", "aria-hidden": "true" }, mark),
      label,
    );
  });
}

function statusText(engine) {
  if (engine.stage === "error") {
    const stage = STAGES.find(([k]) => k === engine.failedAt)?.[1] ?? "运行环境";
    if (engine.timedOut) {
      const seconds = Math.round(engine.watchdogMs / 1000);
      return `核算引擎加载超时（${stage}：已等待 ${seconds} 秒）。网络较慢时可继续等待，就绪后自动核算；也可点击“重试”。`;
    }
    return `核算引擎加载失败（${stage}）。请检查网络连接后点击“重试”，或刷新页面。`;
  }
  if (engine.ready) return `核算引擎已就绪（用时 ${(engine.bootMs / 1000).toFixed(1)} 秒），结果随输入实时更新。`;
  if (engine.stage === "rules") return "正在载入规则……";
  return "正在加载运行环境（首次访问约需下载 13 MB，之后由浏览器缓存）……";
}

// The engine's status into el (data-stage and data-boot-ms for tests and benchmarks).
export function renderEngineStatus(el, engine, onRetry) {
  el.dataset.stage = engine.ready ? "ready" : engine.stage;
  if (engine.bootMs != null) el.dataset.bootMs = String(engine.bootMs);
  const failed = engine.stage === "error";
  fill(
    el,
    h("ol", { class: "ce-stages", "aria-label": "加载进度" }, stageItems(engine)),
    h("p", { class: "ce-status__text" }, statusText(engine)),
    failed
      ? h(
          "button",
          { type: "button", class: "md-button ce-btn", dataset: { action: "retry" }, onclick: onRetry },
          "重试",
        )
      : null,
    failed && engine.error
      ? h("details", { class: "failure ce-status__details" }, h("summary", {}, "技术信息"), h("pre", {}, engine.error))
      : null,
  );
}

// The form's data (schema.json, metadata.json) could not be loaded: the reason, 重试 and
// the technical detail, into el (data-ce-mounted="error").
export function renderLoadFailure(el, err, onRetry) {
  el.dataset.ceMounted = "error";
  fill(
    el,
    h(
      "div",
      { class: "ce-alert ce-alert--error ce-load-failure", role: "alert" },
      h("p", {}, "核算表单的数据未能加载。请检查网络连接后点击“重试”，或刷新页面。"),
      h(
        "button",
        { type: "button", class: "md-button ce-btn", dataset: { action: "retry" }, onclick: onRetry },
        "重试",
      ),
      h(
        "details",
        { class: "failure ce-status__details" },
        h("summary", {}, "技术信息"),
        h("pre", {}, String(err?.message || err)),
      ),
    ),
  );
}

// The line above the results while there are none ("" when there are).
// provisional: the result shown is the one kept from an earlier visit (lastresult.js).
export function resultsStatusText({ region, engine, result, provisional = false }) {
  if (!region) return "请先选择地区，然后添加活动。";
  if (provisional && !engine?.ready) {
    return engine?.stage === "error"
      ? "核算引擎未能加载。以下是本机保存的上次核算结果（填写内容和规则版本与现在相同），本次未能重新核算确认。"
      : "以下是本机保存的上次核算结果（填写内容和规则版本与现在相同）；核算引擎就绪后将重新核算确认。";
  }
  if (!engine?.ready) {
    return engine?.stage === "error"
      ? "核算引擎未能加载，无法核算。"
      : "核算引擎加载中，已填写的内容会在就绪后立即核算。";
  }
  if (!result) return "正在核算……";
  return "";
}
