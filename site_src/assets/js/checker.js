// Self-service checker (自助核算): page controller.
//
// Loaded on every page as an ES module (site_src/hooks/checker.py); it acts only
// where the page has <div id="ce-checker">. One module Web Worker runs Pyodide and
// the ruleset package for the whole visit: it is created the first time the
// checker is shown and kept on `window.__ceChecker` across Material's instant
// navigation; the form is re-attached on every `document$` emission that shows
// the checker. The form is generated from schema.json + metadata.json (written at
// build time), so it renders and accepts typing while Pyodide is still loading.
// Every call to the engine crosses the worker boundary as a JSON string.

const SCRIPT_URL = new URL(import.meta.url);
const ROOT = new URL("../../", SCRIPT_URL); // the site root (this file is assets/js/checker.js)
const STORE_KEY = "ce-checker.case.v1";
const SUBJECTS = [
  ["public", "公需科目"],
  ["professional", "专业科目"],
];
const STAGES = [
  ["runtime", "运行环境"],
  ["rules", "规则"],
  ["ready", "就绪"],
];
// The detail table's columns and their widths (a fixed layout shared by its blocks).
const DETAIL_COLS = [
  ["序号", "6%"],
  ["活动", "17%"],
  ["年度", "9%"],
  ["公需", "8%"],
  ["专业", "8%"],
  ["说明", "34%"],
  ["依据", "18%"],
];
const DETAIL_BLOCK = 8;
// Profile fields shown only when another field has a value.
const PROFILE_DEPENDS = {
  transfer_year: (profile) => Array.isArray(profile.flags) && profile.flags.includes("civil_service_transfer"),
};

const app = (window.__ceChecker ??= { started: false, engine: null, assets: null, view: null, caseData: null });

// ---------------------------------------------------------------- utilities

function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// replaceChildren() without the null/false placeholders that h() also skips.
function fill(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c != null && c !== false));
}

// fill() only when key differs from the key of what el shows now.
function patch(el, key, render) {
  if (el.__ceKey === key) return;
  el.__ceKey = key;
  fill(el, ...render());
}

function fmt(value) {
  if (value == null) return "—";
  return String(value);
}

function num(path, value) {
  return h("span", { class: "ce-num", dataset: { ceNum: path } }, fmt(value));
}

function sourceHref(source) {
  return source ? new URL(source, ROOT).href : null;
}

function isEmptyCase(c) {
  return !c || (!c.region && !(c.activities && c.activities.length) && !Object.keys(c.profile || {}).length);
}

function emptyCase() {
  return { profile: {}, activities: [] };
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

function clone(value) {
  return JSON.parse(JSON.stringify(value));
}

// Full-width digits and punctuation, as typed with a Chinese input method.
function normaliseDigits(text) {
  return text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, ".")
    .replace(/[－—]/g, "-")
    .replace(/[＋]/g, "+")
    .trim();
}

function parseNumber(text) {
  const s = normaliseDigits(text);
  if (s === "") return { empty: true };
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return { value: Number(s) };
  return { raw: text.trim() };
}

function widgetOf(spec) {
  if (Array.isArray(spec.enum)) return "enum";
  const t = Array.isArray(spec.type) ? spec.type.find((x) => x !== "null") : spec.type;
  if (t === "array") return "flags";
  if (t === "boolean") return "bool";
  if (t === "integer") return "int";
  if (t === "number") return "number";
  return "str";
}

function enumLabel(spec, value) {
  const labels = spec["x-enum-labels"] || {};
  return labels[String(value)] ?? String(value);
}

function loadStoredCase() {
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

function saveCase(c) {
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(c));
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- assets

async function fetchJSON(path, options) {
  const response = await fetch(new URL(path, ROOT), options);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

// The build info (runtime, lock file, schema and metadata URLs, the checker's pages),
// written into every page by site_src/hooks/checker.py as <meta name="ce-checker">, so
// nothing has to be fetched before the engine can start; build.json is the fallback.
function pageBuild() {
  try {
    const meta = document.querySelector('meta[name="ce-checker"]');
    const build = meta && JSON.parse(meta.content);
    if (build && build.index_url && build.lock_url) return build;
  } catch {
    /* malformed: fall back to build.json */
  }
  return null;
}

function isCheckerURL(url, build) {
  const path = new URL(url, location.href).pathname;
  return (build?.pages || []).some((p) => new URL(p, ROOT).pathname === path);
}

// The one engine of the visit, started as soon as its URLs are known.
function startEngine(build) {
  app.engine ??= new Engine(build);
  return app.engine;
}

function loadAssets() {
  app.assets ??= (async () => {
    const build = pageBuild() ?? (await fetchJSON("assets/checker/build.json", { cache: "no-cache" }));
    startEngine(build); // boots while the schema and metadata download and the form renders
    const [schema, metadata] = await Promise.all([fetchJSON(build.schema_url), fetchJSON(build.metadata_url)]);
    return { build, schema, metadata };
  })();
  app.assets.catch(() => {
    app.assets = null; // let a later visit retry
  });
  return app.assets;
}

// ---------------------------------------------------------------- engine (worker)

class Engine {
  constructor(build) {
    this.build = build;
    this.listeners = new Set();
    this.spawn();
  }

  spawn() {
    this.pending = new Map();
    this.nextId = 1;
    this.stage = "runtime";
    this.error = null;
    this.ready = false;
    this.started = performance.now();
    this.bootMs = null;
    // The worker the page's inline boot script started (site_src/inline/checker-boot.js),
    // if there is one and it is not taken yet: its early messages are replayed.
    const boot = window.__ceBoot;
    if (boot && !boot.taken) {
      boot.taken = true;
      this.worker = boot.worker;
      this.started = boot.started;
    } else {
      const url = new URL("checker-worker.js", SCRIPT_URL);
      url.search = SCRIPT_URL.search;
      this.worker = new Worker(url, { type: "module", name: "ce-checker" });
    }
    this.worker.onmessage = (event) => this.onMessage(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(event.message || "运行环境脚本加载失败");
    };
    if (this.worker === boot?.worker) {
      for (const msg of boot.messages.splice(0)) this.onMessage(msg);
      for (const message of boot.errors.splice(0)) this.fail(message || "运行环境脚本加载失败");
    }
    this.notify();
    this.call("init", {
      indexURL: new URL(this.build.index_url, ROOT).href,
      lockFileURL: new URL(this.build.lock_url, ROOT).href,
      stdLibURL: this.build.stdlib_url ? new URL(this.build.stdlib_url, ROOT).href : undefined,
    }).catch((err) => this.fail(err.message));
  }

  retry() {
    this.worker.terminate();
    for (const { reject } of this.pending.values()) reject(new Error("已重新加载"));
    this.spawn();
  }

  onMessage(msg) {
    if (!msg) return;
    if (msg.type === "stage") {
      this.stage = msg.stage;
      if (msg.stage === "ready") {
        this.ready = true;
        this.first = msg.first || null;
        this.bootMs = Math.round(performance.now() - this.started);
        this.python = msg.python;
      }
      this.notify();
    } else if (msg.type === "reply") {
      const entry = this.pending.get(msg.id);
      if (!entry) return;
      this.pending.delete(msg.id);
      if (msg.ok) entry.resolve(msg.value);
      else entry.reject(new Error(msg.error));
    }
    // msg.type === "log": Python's stderr; deliberately not sent to the console.
  }

  fail(message) {
    if (this.ready || this.stage === "error") return;
    this.failedAt = this.stage;
    this.stage = "error";
    this.error = message;
    this.notify();
  }

  call(method, payload = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, ...payload });
    });
  }

  async check(caseData) {
    const text = JSON.stringify(caseData);
    // The result the worker computed while booting (see checker-boot.js), if it is for this case.
    const first = this.first;
    this.first = null;
    if (first && first.case === text) return JSON.parse(first.value);
    return JSON.parse(await this.call("check_json", { arg: text }));
  }

  subscribe(fn) {
    this.listeners.add(fn);
    fn(this);
    return () => this.listeners.delete(fn);
  }

  notify() {
    for (const fn of this.listeners) fn(this);
  }
}

// ---------------------------------------------------------------- fields

let uid = 0;

// One labelled input bound to obj[name]. Returns {el, setError, refresh}.
function makeField({ spec, name, get, set, idBase, required, narrow }) {
  const id = `${idBase}-${name}-${++uid}`;
  const widget = widgetOf(spec);
  const helpId = `${id}-help`;
  const errId = `${id}-err`;
  const label = spec.title || name;
  const errorEl = h("p", { class: "ce-field__error", id: errId, hidden: true });
  const helpEl = spec.description ? h("p", { class: "ce-field__help", id: helpId }, spec.description) : null;
  let control;
  let localError = "";
  let engineError = "";
  const wrap = h("div", { class: `ce-field ce-field--${widget}${narrow ? " ce-field--narrow" : ""}`, dataset: { field: name } });

  const describe = () => [helpEl ? helpId : null, errorEl.hidden ? null : errId].filter(Boolean).join(" ");
  let shownError = null;
  const showError = () => {
    const message = engineError || localError;
    if (message === shownError) return; // unchanged: no DOM work
    shownError = message;
    errorEl.textContent = message;
    errorEl.hidden = !message;
    wrap.classList.toggle("ce-field--invalid", Boolean(message));
    const target = control;
    if (target) {
      if (message) target.setAttribute("aria-invalid", "true");
      else target.removeAttribute("aria-invalid");
      const d = describe();
      if (d) target.setAttribute("aria-describedby", d);
      else target.removeAttribute("aria-describedby");
    }
  };

  if (widget === "enum") {
    const values = spec.enum;
    const hasNull = values.includes(null);
    const hasDefault = "default" in spec;
    control = h("select", { id, name, class: "ce-input", "aria-required": required ? "true" : null });
    if (!hasDefault || hasNull) {
      control.append(h("option", { value: "" }, hasNull ? "（留空）" : "请选择"));
    }
    values.forEach((value) => {
      if (value === null) return;
      control.append(h("option", { value: String(value) }, enumLabel(spec, value)));
    });
    control.addEventListener("change", () => {
      const chosen = control.value;
      set(chosen === "" ? undefined : values.find((v) => v !== null && String(v) === chosen));
    });
    wrap.append(h("label", { for: id, class: "ce-field__label" }, label), control);
  } else if (widget === "bool") {
    control = h("input", { id, name, type: "checkbox", class: "ce-check" });
    control.addEventListener("change", () => set(control.checked));
    wrap.append(h("label", { for: id, class: "ce-field__check" }, control, h("span", {}, label)));
  } else if (widget === "flags") {
    const values = spec.items?.enum || [];
    const boxes = values.map((value) => {
      const box = h("input", { type: "checkbox", class: "ce-check", value, id: `${id}-${value}` });
      box.addEventListener("change", () => {
        const chosen = values.filter((v, i) => boxes[i].checked);
        set(chosen.length ? chosen : []);
      });
      return box;
    });
    control = h(
      "fieldset",
      { class: "ce-flags", id },
      h("legend", { class: "ce-field__label" }, label),
      h("div", { class: "ce-flags__list" }, values.map((value, i) => h("label", { class: "ce-field__check", for: `${id}-${value}` }, boxes[i], h("span", {}, enumLabel(spec, value))))),
    );
    control.boxes = boxes;
    wrap.append(control);
  } else {
    const numeric = widget === "int" || widget === "number";
    control = h("input", {
      id,
      name,
      type: "text",
      class: "ce-input",
      inputmode: numeric ? (widget === "int" ? "numeric" : "decimal") : null,
      autocomplete: "off",
      spellcheck: numeric ? "false" : null,
      "aria-required": required ? "true" : null,
      placeholder: numeric && spec.minimum != null && spec.maximum != null && spec.maximum <= 100000 ? `${spec.minimum}–${spec.maximum}` : null,
    });
    control.addEventListener("input", () => {
      if (!numeric) {
        const text = control.value;
        set(text === "" ? undefined : text);
        return;
      }
      const parsed = parseNumber(control.value);
      localError = parsed.raw !== undefined ? `“${label}”请填写数字` : "";
      engineError = "";
      showError();
      set(parsed.empty ? undefined : parsed.raw !== undefined ? parsed.raw : parsed.value);
    });
    const unit = spec["x-unit"];
    wrap.append(
      h("label", { for: id, class: "ce-field__label" }, label),
      unit ? h("div", { class: "ce-input-unit" }, control, h("span", { class: "ce-input-unit__unit", "aria-hidden": "true" }, unit)) : control,
    );
  }
  if (helpEl) wrap.append(helpEl);
  wrap.append(errorEl);

  const refresh = () => {
    const value = get();
    if (widget === "enum") {
      const shown = value == null && spec.default != null ? spec.default : value;
      control.value = shown != null && spec.enum.includes(shown) ? String(shown) : "";
    } else if (widget === "bool") {
      control.checked = value === true;
    } else if (widget === "flags") {
      const chosen = Array.isArray(value) ? value : [];
      (spec.items?.enum || []).forEach((v, i) => {
        control.boxes[i].checked = chosen.includes(v);
      });
    } else if (document.activeElement !== control) {
      control.value = value == null ? "" : String(value);
    }
  };
  refresh();
  showError();
  return {
    el: wrap,
    control,
    name,
    setEngineError(message) {
      if ((message || "") === engineError) return; // unchanged: no DOM work
      engineError = message || "";
      showError();
    },
    refresh,
  };
}

// ---------------------------------------------------------------- view

class View {
  constructor(root) {
    this.root = root;
    this.disposers = [];
    this.seq = 0;
    this.result = null;
    this.lastDeleted = null;
    this.root.dataset.ceMounted = "loading";
    fill(this.root, h("p", { class: "ce-checker__boot", role: "status" }, "正在加载核算表单……"));
    loadAssets().then(
      (assets) => this.mount(assets),
      (err) => {
        if (!this.root.isConnected) return;
        fill(this.root,
          h("div", { class: "ce-alert ce-alert--error", role: "alert" }, `核算工具加载失败：${err.message}。请检查网络后刷新页面。`),
        );
      },
    );
  }

  destroy() {
    this.dead = true;
    for (const d of this.disposers) d();
    this.disposers = [];
  }

  get caseData() {
    return app.caseData;
  }

  mount({ build, schema, metadata }) {
    if (this.dead || !this.root.isConnected) return;
    this.build = build;
    this.schema = schema;
    this.metadata = metadata;
    app.caseData ??= loadStoredCase();
    startEngine(build);
    this.root.dataset.ceMounted = "ready";
    fill(this.root, this.renderShell());
    this.renderAll();
    this.disposers.push(app.engine.subscribe((engine) => this.onEngine(engine)));
  }

  // --- shell -------------------------------------------------------------

  renderShell() {
    this.statusEl = h("div", { class: "ce-status", role: "status", "aria-live": "polite" });
    this.noticeEl = h("p", { class: "ce-notice", role: "status", "aria-live": "polite", hidden: true });
    this.fileInput = h("input", { type: "file", accept: ".json,application/json", class: "ce-visually-hidden", tabindex: "-1", "aria-hidden": "true" });
    this.fileInput.addEventListener("change", () => this.importFile());
    const toolbar = h(
      "div",
      { class: "ce-toolbar", role: "group", "aria-label": "案例操作" },
      h("button", { type: "button", class: "md-button ce-btn", onclick: () => this.fileInput.click(), dataset: { action: "import" } }, "导入 JSON"),
      h("button", { type: "button", class: "md-button ce-btn", onclick: () => this.exportFile(), dataset: { action: "export" } }, "导出 JSON"),
      h("button", { type: "button", class: "md-button ce-btn", onclick: () => window.print(), dataset: { action: "print" } }, "打印学时汇总"),
      h("button", { type: "button", class: "md-button ce-btn ce-btn--danger", onclick: () => this.clearAll(), dataset: { action: "clear" } }, "清空"),
      h("a", { href: "#ce-h-results", class: "ce-jump" }, "查看核算结果 ↓"),
      this.fileInput,
    );
    this.profileEl = h("div", { class: "ce-grid" });
    this.caseErrorsEl = h("ul", { class: "ce-errors", hidden: true });
    this.activitiesEl = h("div", { class: "ce-acts" });
    this.addEl = h("div", { class: "ce-add" });
    this.resultsEl = h("div", { class: "ce-results__body" });
    this.resultsStatusEl = h("p", { class: "ce-results__status", role: "status", "aria-live": "polite" });
    this.printHeadEl = h("div", { class: "ce-print-head" });
    return h(
      "div",
      { class: "ce-app" },
      this.statusEl,
      toolbar,
      this.noticeEl,
      h(
        "div",
        { class: "ce-layout" },
        h(
          "div",
          { class: "ce-form" },
          h(
            "section",
            { class: "ce-card ce-profile", "aria-labelledby": "ce-h-profile" },
            h("h2", { id: "ce-h-profile" }, "基本信息"),
            this.profileEl,
            this.caseErrorsEl,
          ),
          h(
            "section",
            { class: "ce-card ce-activities", "aria-labelledby": "ce-h-acts" },
            h("h2", { id: "ce-h-acts" }, "继续教育活动"),
            this.activitiesEl,
            this.addEl,
          ),
        ),
        h(
          "section",
          { class: "ce-card ce-results", "aria-labelledby": "ce-h-results" },
          this.printHeadEl,
          h("h2", { id: "ce-h-results" }, "核算结果"),
          this.resultsStatusEl,
          this.resultsEl,
        ),
      ),
    );
  }

  onEngine(engine) {
    const index = STAGES.findIndex(([key]) => key === (engine.stage === "error" ? engine.failedAt : engine.stage));
    const items = STAGES.map(([key, label], i) => {
      let state = "pending";
      if (engine.stage === "error") state = i < index ? "done" : i === index ? "error" : "pending";
      else if (engine.ready || i < index) state = "done";
      else if (i === index) state = "active";
      const mark = { done: "✓", active: "", error: "✕", pending: "" }[state];
      return h("li", { class: `ce-stage ce-stage--${state}`, dataset: { stage: key } }, h("span", { class: "ce-stage__dot", "aria-hidden": "true" }, mark), label);
    });
    let text;
    if (engine.stage === "error") text = `核算引擎加载失败（${STAGES.find(([k]) => k === engine.failedAt)?.[1] ?? "运行环境"}）。请检查网络连接后点击“重试”，或刷新页面。`;
    else if (engine.ready) text = `核算引擎已就绪（用时 ${(engine.bootMs / 1000).toFixed(1)} 秒），结果随输入实时更新。`;
    else if (engine.stage === "rules") text = "正在载入规则……";
    else text = "正在加载运行环境（首次访问约需下载 13 MB，之后由浏览器缓存）……";
    this.statusEl.dataset.stage = engine.ready ? "ready" : engine.stage;
    if (engine.bootMs != null) this.statusEl.dataset.bootMs = String(engine.bootMs);
    fill(this.statusEl,
      h("ol", { class: "ce-stages", "aria-label": "加载进度" }, items),
      h("p", { class: "ce-status__text" }, text),
      engine.stage === "error" ? h("button", { type: "button", class: "md-button ce-btn", onclick: () => app.engine.retry() }, "重试") : null,
      engine.stage === "error" && engine.error ? h("details", { class: "failure ce-status__details" }, h("summary", {}, "技术信息"), h("pre", {}, engine.error)) : null,
    );
    if (engine.ready && !this.result) this.schedule();
    else if (!engine.ready) this.renderResultsStatus();
  }

  // --- rendering ----------------------------------------------------------

  renderAll() {
    this.fields = { case: new Map(), acts: [] };
    this.renderRegion();
    this.renderProfile();
    this.renderActivities();
    this.renderAdd();
    this.applyResult(this.result);
    this.renderResultsStatus();
    this.schedule();
  }

  renderRegion() {
    const spec = this.schema.properties.region;
    const c = this.caseData;
    const field = makeField({
      spec: { ...spec, "x-enum-labels": { ...(spec["x-enum-labels"] || {}) } },
      name: "region",
      idBase: "ce-region",
      required: true,
      get: () => c.region,
      set: (value) => {
        if (value === undefined) delete c.region;
        else c.region = value;
        this.changed();
        this.updateRegionDependent();
      },
    });
    this.fields.case.set("region", field);
    this.regionField = field;
  }

  renderProfile() {
    const props = this.schema.properties.profile?.properties || {};
    const c = this.caseData;
    fill(this.profileEl, this.regionField?.el);
    this.profileDeps = [];
    for (const [name, spec] of Object.entries(props)) {
      const field = makeField({
        spec,
        name,
        idBase: "ce-profile",
        narrow: widgetOf(spec) !== "flags",
        get: () => c.profile?.[name],
        set: (value) => {
          if (!c.profile || typeof c.profile !== "object" || Array.isArray(c.profile)) c.profile = {};
          if (value === undefined || (Array.isArray(value) && value.length === 0 && name === "flags")) delete c.profile[name];
          else c.profile[name] = value;
          if (name === "flags") this.updateProfileDeps();
          this.changed();
        },
      });
      if (widgetOf(spec) === "flags") field.el.classList.add("ce-field--wide");
      this.fields.case.set(`profile.${name}`, field);
      if (PROFILE_DEPENDS[name]) this.profileDeps.push([name, field]);
      this.profileEl.append(field.el);
    }
    this.updateProfileDeps(true);
  }

  updateProfileDeps(initial = false) {
    const c = this.caseData;
    for (const [name, field] of this.profileDeps) {
      const show = PROFILE_DEPENDS[name](c.profile || {});
      field.el.hidden = !show;
      if (!show && !initial && c.profile && name in c.profile) {
        delete c.profile[name];
        field.refresh();
      }
    }
  }

  kindLabel(kind) {
    return this.schema["x-kinds"]?.[kind]?.label || (kind ? String(kind) : "未知类型");
  }

  regionMeta() {
    const region = this.caseData.region;
    return (region && this.metadata.regions?.[region]) || null;
  }

  // "" when recognised, else the reason (zh).
  kindNote(kind, year) {
    const meta = this.regionMeta();
    if (!meta || !kind) return "";
    if (typeof year !== "number" || !Number.isInteger(year)) return "";
    const covered = meta.years || [];
    if (covered.length && !covered.includes(year)) return `${meta.name}已发布的政策未覆盖 ${year} 年`;
    const kinds = meta.kinds?.[String(year)];
    if (kinds && !kinds.includes(kind)) return `该地区政策未规定此类活动（${meta.name}，${year} 年），将按 0 学时计`;
    return "";
  }

  kindEverRecognised(kind) {
    const meta = this.regionMeta();
    if (!meta || !meta.kinds) return true;
    const years = meta.years?.length ? meta.years : Object.keys(meta.kinds).map(Number);
    return years.some((y) => (meta.kinds[String(y)] || []).includes(kind));
  }

  activitySpec(kind, name) {
    const items = this.schema.properties.activities.items;
    const base = items.properties?.[name] || {};
    const over = this.schema["x-kinds"]?.[kind]?.properties?.[name] || {};
    return { ...base, ...over };
  }

  // The kind <option>s, built once per region and cloned for each select (a long case has
  // dozens of cards, each with the whole list).
  kindOptions(selected) {
    const region = this.caseData.region || "";
    if (this.kindOptionsRegion !== region || !this.kindOptionsTemplate) {
      this.kindOptionsRegion = region;
      this.kindOptionsTemplate = Object.keys(this.schema["x-kinds"] || {}).map((kind) => {
        const known = this.kindEverRecognised(kind);
        return h("option", { value: kind, class: known ? null : "ce-option--unknown" }, this.kindLabel(kind) + (known ? "" : "（该地区政策未规定）"));
      });
    }
    return this.kindOptionsTemplate.map((option) => {
      const copy = option.cloneNode(true);
      if (copy.value === selected) copy.setAttribute("selected", "");
      return copy;
    });
  }

  renderAdd() {
    const select = h("select", { id: "ce-add-kind", class: "ce-input" }, this.kindOptions(this.lastKind || "training"));
    const button = h(
      "button",
      {
        type: "button",
        class: "md-button md-button--primary ce-btn",
        dataset: { action: "add" },
        onclick: () => this.addActivity(select.value),
      },
      "添加活动",
    );
    this.addSelect = select;
    fill(this.addEl,
      h("label", { for: "ce-add-kind", class: "ce-field__label" }, "新增一项活动："),
      h("div", { class: "ce-add__row" }, select, button),
    );
  }

  renderActivities(focus) {
    const acts = this.caseData.activities || [];
    this.fields.acts = [];
    fill(this.activitiesEl);
    if (!acts.length) {
      this.activitiesEl.append(h("p", { class: "ce-empty" }, "还没有活动。请在下方选择活动类型并点击“添加活动”，或导入已保存的 JSON 文件。"));
    }
    acts.forEach((act, index) => this.activitiesEl.append(this.renderActivity(act, index)));
    if (focus) {
      const { index, name } = focus;
      const card = this.fields.acts[index];
      const target = card && (name ? card.fields.get(name)?.control : card.heading);
      if (target) {
        const el = target.tagName === "FIELDSET" ? target.querySelector("input") : target;
        el.focus();
        el.scrollIntoView({ block: "nearest" });
      }
    }
  }

  // An imported entry that is not an object: shown so it can be deleted, never dropped silently.
  renderBadEntry(act, index) {
    const titleId = `ce-act-${index}-title`;
    const heading = h("h3", { id: titleId, class: "ce-act__title", tabindex: "-1" }, h("span", { class: "ce-act__num" }, String(index + 1)), "无法识别的条目");
    const errorsEl = h("ul", { class: "ce-errors", hidden: true });
    const resultEl = h("div", { class: "ce-act__result" });
    const el = h(
      "article",
      { class: "ce-act ce-act--invalid", "aria-labelledby": titleId, dataset: { index: String(index), bad: "true" } },
      h(
        "header",
        { class: "ce-act__head" },
        heading,
        h("div", { class: "ce-act__tools" }, h("button", { type: "button", class: "ce-icon-btn ce-icon-btn--danger", dataset: { action: "delete" }, "aria-label": `删除第 ${index + 1} 项`, onclick: () => this.deleteActivity(index) }, "删除")),
      ),
      h("pre", { class: "ce-act__raw" }, JSON.stringify(act)),
      errorsEl,
      resultEl,
    );
    this.fields.acts[index] = { index, fields: new Map(), heading, errorsEl, resultEl, el, updateHead() {} };
    return el;
  }

  renderActivity(act, index) {
    if (!act || typeof act !== "object" || Array.isArray(act)) return this.renderBadEntry(act, index);
    const kind = act.kind;
    const xk = this.schema["x-kinds"]?.[kind];
    const fields = new Map();
    const card = { index, fields };
    const titleId = `ce-act-${index}-title`;
    const heading = h("h3", { id: titleId, class: "ce-act__title", tabindex: "-1" });
    const badge = h("p", { class: "ce-act__badge", hidden: true });
    const errorsEl = h("ul", { class: "ce-errors", hidden: true });
    const resultEl = h("div", { class: "ce-act__result" });
    card.heading = heading;
    card.badge = badge;
    card.errorsEl = errorsEl;
    card.resultEl = resultEl;
    card.updateHead = () => {
      const year = typeof act.year === "number" ? `${act.year} 年` : "";
      fill(heading,
        h("span", { class: "ce-act__num" }, String(index + 1)),
        h("span", { class: "ce-act__kind" }, this.kindLabel(act.kind)),
        year ? h("span", { class: "ce-act__year" }, year) : null,
        act.title ? h("span", { class: "ce-act__name" }, String(act.title)) : null,
      );
      const note = this.kindNote(act.kind, act.year);
      badge.textContent = note;
      badge.hidden = !note;
    };

    const kindId = `ce-act-${index}-kind-${++uid}`;
    const kindSelect = h("select", { id: kindId, class: "ce-input" }, this.kindOptions(kind));
    if (!xk) kindSelect.prepend(h("option", { value: "", selected: true }, `（未知类型 ${kind ?? ""}）`));
    kindSelect.addEventListener("change", () => this.changeKind(index, kindSelect.value));
    const kindField = h("div", { class: "ce-field ce-field--enum", dataset: { field: "kind" } }, h("label", { for: kindId, class: "ce-field__label" }, "活动类型"), kindSelect);
    fields.set("kind", { control: kindSelect, el: kindField, setEngineError: (m) => this.fieldErrorFallback(kindField, m) });

    const grid = h("div", { class: "ce-grid" }, kindField);
    const names = ["year", "title", ...((xk && xk.fields) || [])];
    for (const name of names) {
      const spec = this.activitySpec(kind, name);
      const field = makeField({
        spec,
        name,
        idBase: `ce-act-${index}`,
        required: name === "year",
        narrow: name !== "title",
        get: () => act[name],
        set: (value) => {
          if (value === undefined) delete act[name];
          else act[name] = value;
          if (name === "year" || name === "title") card.updateHead();
          this.changed();
        },
      });
      if (name === "title") field.el.classList.add("ce-field--wide");
      fields.set(name, field);
      grid.append(field.el);
    }

    const tools = h(
      "div",
      { class: "ce-act__tools" },
      h("button", { type: "button", class: "ce-icon-btn", dataset: { action: "duplicate" }, "aria-label": `复制第 ${index + 1} 项活动`, title: "复制", onclick: () => this.duplicateActivity(index) }, "复制"),
      h("button", { type: "button", class: "ce-icon-btn ce-icon-btn--danger", dataset: { action: "delete" }, "aria-label": `删除第 ${index + 1} 项活动`, title: "删除", onclick: () => this.deleteActivity(index) }, "删除"),
    );
    card.updateHead();
    const el = h(
      "article",
      { class: "ce-act", "aria-labelledby": titleId, dataset: { index: String(index), kind: kind ?? "" } },
      h("header", { class: "ce-act__head" }, heading, tools),
      xk?.help ? h("p", { class: "ce-act__help" }, xk.help) : null,
      badge,
      grid,
      errorsEl,
      resultEl,
    );
    card.el = el;
    this.fields.acts[index] = card;
    return el;
  }

  fieldErrorFallback(el, message) {
    let p = el.querySelector(".ce-field__error");
    if ((p ? p.textContent : "") === (message || "")) return;
    if (!p) {
      p = h("p", { class: "ce-field__error" });
      el.append(p);
    }
    p.textContent = message || "";
    p.hidden = !message;
    el.classList.toggle("ce-field--invalid", Boolean(message));
  }

  updateRegionDependent() {
    for (const card of this.fields.acts) card?.updateHead();
    const value = this.addSelect?.value;
    if (this.addSelect) fill(this.addSelect, ...this.kindOptions(value));
    for (const card of this.fields.acts) {
      const sel = card?.fields.get("kind")?.control;
      if (sel && this.schema["x-kinds"]?.[sel.value]) fill(sel, ...this.kindOptions(sel.value));
    }
  }

  // --- edits --------------------------------------------------------------

  newActivity(kind) {
    const acts = this.caseData.activities || [];
    const last = acts.length ? acts[acts.length - 1]?.year : undefined;
    const act = { kind, year: typeof last === "number" ? last : new Date().getFullYear() - 1 };
    this.applyDefaults(act);
    return act;
  }

  applyDefaults(act) {
    for (const name of this.schema["x-kinds"]?.[act.kind]?.fields || []) {
      const spec = this.activitySpec(act.kind, name);
      if (!(name in act) && "default" in spec && spec.default !== null) act[name] = spec.default;
    }
  }

  addActivity(kind) {
    this.lastKind = kind;
    const act = this.newActivity(kind);
    (this.caseData.activities ??= []).push(act);
    this.renderActivities({ index: this.caseData.activities.length - 1, name: "year" });
    this.changed();
    this.notice(`已添加第 ${this.caseData.activities.length} 项活动：${this.kindLabel(kind)}`);
  }

  duplicateActivity(index) {
    const acts = this.caseData.activities;
    acts.splice(index + 1, 0, clone(acts[index]));
    this.renderActivities({ index: index + 1 });
    this.changed();
    this.notice(`已复制为第 ${index + 2} 项活动`);
  }

  deleteActivity(index) {
    const acts = this.caseData.activities;
    const [removed] = acts.splice(index, 1);
    this.lastDeleted = { index, act: removed };
    const next = Math.min(index, acts.length - 1);
    this.renderActivities(next >= 0 ? { index: next } : null);
    if (next < 0) this.addSelect?.focus();
    this.changed();
    this.notice(`已删除第 ${index + 1} 项活动（${this.kindLabel(removed?.kind)}）。`, {
      label: "撤销",
      run: () => {
        if (!this.lastDeleted) return;
        const { index: i, act } = this.lastDeleted;
        this.lastDeleted = null;
        this.caseData.activities.splice(Math.min(i, this.caseData.activities.length), 0, act);
        this.renderActivities({ index: i });
        this.changed();
        this.notice("已撤销删除");
      },
    });
  }

  changeKind(index, kind) {
    const acts = this.caseData.activities;
    const old = acts[index];
    if (!kind || old.kind === kind) return;
    const keep = new Set(["year", "title", ...(this.schema["x-kinds"]?.[kind]?.fields || [])]);
    const act = { kind };
    for (const [key, value] of Object.entries(old)) {
      if (key !== "kind" && keep.has(key)) act[key] = value;
    }
    this.applyDefaults(act);
    acts[index] = act;
    this.renderActivities({ index, name: "kind" });
    this.changed();
  }

  clearAll() {
    if (isEmptyCase(this.caseData)) return;
    if (!window.confirm("确定清空全部填写内容吗？本机保存的数据也将删除，此操作无法撤销。（如需留存，请先导出 JSON。）")) return;
    app.caseData = emptyCase();
    try {
      localStorage.removeItem(STORE_KEY);
    } catch {
      /* ignore */
    }
    this.result = null;
    this.renderAll();
    this.notice("已清空");
  }

  exportFile() {
    const text = JSON.stringify(orderedCase(this.caseData), null, 2) + "\n";
    const blob = new Blob([text], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const d = new Date();
    const stamp = `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, "0")}${String(d.getDate()).padStart(2, "0")}`;
    const a = h("a", { href: url, download: `继续教育学时-${stamp}.json`, class: "ce-visually-hidden" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    this.notice("已导出 JSON 文件（可用命令行 python -m ruleset check 文件名 核对）。");
  }

  async importFile() {
    const file = this.fileInput.files && this.fileInput.files[0];
    this.fileInput.value = "";
    if (!file) return;
    let data;
    try {
      data = JSON.parse(await file.text());
    } catch (err) {
      this.notice(`无法导入“${file.name}”：不是有效的 JSON 文件（${err.message}）。`, null, true);
      return;
    }
    if (!data || typeof data !== "object" || Array.isArray(data)) {
      this.notice(`无法导入“${file.name}”：文件内容应为包含 region、profile、activities 的对象。`, null, true);
      return;
    }
    if (data.activities !== undefined && !Array.isArray(data.activities)) {
      this.notice(`无法导入“${file.name}”：activities 应为列表。`, null, true);
      return;
    }
    if (data.profile !== undefined && (!data.profile || typeof data.profile !== "object" || Array.isArray(data.profile))) {
      this.notice(`无法导入“${file.name}”：profile 应为对象。`, null, true);
      return;
    }
    if (!isEmptyCase(this.caseData) && !window.confirm(`导入“${file.name}”将替换当前填写的内容，是否继续？`)) return;
    app.caseData = data;
    this.result = null;
    this.renderAll();
    this.changed();
    this.notice(`已导入“${file.name}”：${(data.activities || []).length} 项活动。`);
  }

  notice(text, action, isError = false) {
    this.noticeEl.hidden = false;
    this.noticeEl.classList.toggle("ce-notice--error", isError);
    fill(this.noticeEl,
      text,
      action ? h("button", { type: "button", class: "ce-link-btn", onclick: action.run }, action.label) : null,
    );
  }

  changed() {
    if (!saveCase(this.caseData)) this.notice("浏览器禁止本机存储，刷新页面后填写内容将丢失；请及时导出 JSON。", null, true);
    this.schedule();
  }

  // --- computing ----------------------------------------------------------

  // Every change is computed at once (no debounce: one engine call takes a few ms). The
  // changes of one task are coalesced into one call; while a call is in flight, further
  // changes wait for it and are then computed together, and the stale result is dropped.
  schedule() {
    this.root.dataset.ceDirty = "true"; // cleared when the result for the latest input is shown
    this.stale = true;
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.compute();
    });
  }

  async compute() {
    const engine = app.engine;
    if (this.dead || !engine || this.inflight) return; // an in-flight call recomputes when it returns
    this.stale = false;
    if (!this.caseData.region) {
      this.result = null;
      this.applyResult(null);
      this.renderResultsStatus();
      this.root.dataset.ceDirty = "false";
      return;
    }
    if (!engine.ready) {
      this.renderResultsStatus();
      return; // onEngine() computes when the engine is ready
    }
    const seq = ++this.seq;
    this.root.dataset.ceComputing = "true";
    this.inflight = true;
    let result;
    try {
      result = await engine.check(this.caseData);
    } catch (err) {
      result = { activities: [], years: {}, errors: [{ index: null, field: "", message: `核算出错：${err.message}` }] };
    } finally {
      this.inflight = false;
    }
    if (this.dead || seq !== this.seq) return;
    if (this.stale) {
      this.compute(); // the input changed meanwhile: compute the latest, show that
      return;
    }
    this.result = result;
    this.applyResult(result);
    this.renderResultsStatus();
    // Marked once the result is on the page (tests and `make bench` wait for these).
    this.root.dataset.ceComputing = "false";
    this.root.dataset.ceSeq = String(seq);
    this.root.dataset.ceDirty = "false";
  }

  renderResultsStatus() {
    const engine = app.engine;
    let text = "";
    if (!this.caseData.region) text = "请先选择地区，然后添加活动。";
    else if (!engine || !engine.ready) text = engine?.stage === "error" ? "核算引擎未能加载，无法核算。" : "核算引擎加载中，已填写的内容会在就绪后立即核算。";
    else if (!this.result) text = "正在核算……";
    if (this.resultsStatusEl.textContent !== text) this.resultsStatusEl.textContent = text;
    if (this.resultsStatusEl.hidden !== !text) this.resultsStatusEl.hidden = !text;
  }

  // Shows a result by touching only what changed since the last one (each part of the
  // page remembers the key of what it shows): an edit re-renders one card, one year
  // row and one detail row, not the whole form, so the page stays quick with many
  // activities.
  applyResult(result) {
    const acts = this.fields.acts;
    const caseMsgs = new Map();
    const cardMsgs = acts.map(() => ({ fields: new Map(), list: [], invalid: false }));
    const general = [];
    for (const err of result?.errors || []) {
      const message = err.message || "输入有误";
      if (err.index == null) {
        const field = this.fields.case.get(err.field);
        if (field && !field.el.hidden) caseMsgs.set(err.field, message);
        else general.push(message);
        continue;
      }
      const card = acts[err.index];
      if (!card) {
        general.push(`第 ${err.index + 1} 项活动：${message}`);
        continue;
      }
      const st = cardMsgs[err.index];
      st.invalid = true;
      if (card.fields.get(err.field)) st.fields.set(err.field, message);
      else st.list.push(message);
    }
    for (const [name, field] of this.fields.case) field.setEngineError(caseMsgs.get(name) || "");
    const rows = new Map((result?.activities || []).map((row) => [row.index, row]));
    acts.forEach((card, i) => {
      if (!card) return;
      const st = cardMsgs[i];
      for (const [name, field] of card.fields) field.setEngineError(st.fields.get(name) || "");
      patch(card.errorsEl, JSON.stringify(st.list), () => st.list.map((m) => h("li", {}, m)));
      if (card.errorsEl.hidden !== !st.list.length) card.errorsEl.hidden = !st.list.length;
      card.el.classList.toggle("ce-act--invalid", st.invalid || card.el.dataset.bad === "true");
      const row = rows.get(i);
      const unit = row ? this.unitLabel(result.years?.[String(row.year)]?.unit) : "";
      patch(card.resultEl, row ? unit + JSON.stringify(row) : "", () => (row ? this.renderRow(row, unit) : []));
    });
    patch(this.caseErrorsEl, JSON.stringify(general), () => general.map((m) => h("li", {}, m)));
    if (this.caseErrorsEl.hidden !== !general.length) this.caseErrorsEl.hidden = !general.length;
    this.renderResults(result);
    this.renderPrintHead();
  }

  unitLabel(unit) {
    return unit === "credit" ? "学分" : "学时";
  }

  link(source, text = "查看条款") {
    const href = sourceHref(source);
    return href ? h("a", { href, class: "ce-source" }, text) : null;
  }

  renderRow(row, unit = "学时") {
    const i = row.index;
    const p = `activities.${i}`;
    const out = [];
    const zero = !row.public && !row.professional;
    const cut = (row.caps || []).length > 0;
    out.push(
      h(
        "p",
        { class: `ce-credit${zero ? " ce-credit--zero" : ""}` },
        h("span", { class: "ce-credit__label" }, "计入："),
        SUBJECTS.map(([key, zh], k) => [k ? "，" : "", `${zh} `, h("strong", {}, num(`${p}.${key}`, row[key])), ` ${unit}`]),
        cut && row.before_caps
          ? h(
              "span",
              { class: "ce-credit__before" },
              "（上限核减前：",
              SUBJECTS.map(([key, zh], k) => [k ? "，" : "", `${zh} `, num(`${p}.before_caps.${key}`, row.before_caps[key])]),
              "）",
            )
          : null,
      ),
    );
    if (row.by_year) {
      out.push(
        h(
          "p",
          { class: "ce-row__byyear" },
          "分年度计入：",
          Object.entries(row.by_year).map(([y, v], k) => [
            k ? "；" : "",
            `${y} 年 `,
            SUBJECTS.filter(([key]) => v[key]).map(([key, zh], m) => [m ? "、" : "", `${zh} `, num(`${p}.by_year.${y}.${key}`, v[key])]),
            !v.public && !v.professional ? "0" : "",
          ]),
        ),
      );
    }
    if (cut) {
      out.push(
        h(
          "ul",
          { class: "ce-caps", "aria-label": "上限核减" },
          row.caps.map((c, k) =>
            h("li", {}, h("span", { class: "ce-tag ce-tag--cap" }, "上限"), " ", c.explanation || `核减 ${fmt(c.cut)} ${unit}`, h("span", { class: "ce-visually-hidden" }, num(`${p}.caps.${k}.cut`, c.cut)), " ", this.link(c.source, "依据")),
          ),
        ),
      );
    }
    if (row.warnings?.length) {
      out.push(h("ul", { class: "ce-warnings" }, row.warnings.map((w) => h("li", {}, h("span", { class: "ce-tag ce-tag--warn" }, "注意"), " ", w))));
    }
    for (const d of row.deemed_complete || []) {
      out.push(h("p", { class: "ce-row__deemed" }, h("span", { class: "ce-tag ce-tag--ok" }, "视同完成"), " ", d.explanation || "", d.years?.length ? `（${d.years.join("、")} 年）` : ""));
    }
    if (row.explanation && !(row.warnings || []).includes(row.explanation)) out.push(h("p", { class: "ce-row__explain" }, row.explanation));
    const meta = [];
    if (row.evidence) meta.push(h("p", { class: "ce-row__evidence" }, h("span", { class: "ce-row__key" }, "需留存："), row.evidence));
    for (const note of row.notes || []) meta.push(h("p", { class: "ce-row__note" }, h("span", { class: "ce-row__key" }, "说明："), note));
    if (row.source) {
      meta.push(
        h(
          "p",
          { class: "ce-row__source" },
          h("span", { class: "ce-row__key" }, "依据："),
          this.link(row.source, this.citeLabel(row)),
          row.clause ? h("details", { class: "quote ce-clause" }, h("summary", {}, "条款原文"), h("p", {}, row.clause)) : null,
        ),
      );
    }
    out.push(...meta);
    return out;
  }

  citeLabel(row) {
    const cite = row.cite || "";
    const [pid] = cite.split("#");
    const policy = this.metadata.policies?.[pid];
    if (policy) return policy.doc_number || policy.title || pid;
    return "查看条款";
  }

  // The results column as keyed sections; a section whose key is unchanged keeps its node.
  renderResults(result) {
    const sections = [];
    if (result) {
      if (result.application) sections.push(["app" + JSON.stringify(result.application), () => this.renderApplication(result.application)]);
      (result.notices || []).forEach((n, k) => {
        sections.push([`notice${k}` + JSON.stringify(n), () => h("div", { class: "ce-alert ce-alert--info" }, n.message || "", " ", this.link(n.source, "依据"))]);
      });
      const years = Object.entries(result.years || {});
      if (years.length) {
        this.yearsEl ??= this.makeYears();
        this.updateYears(years);
        sections.push(["years", () => this.yearsEl]);
      } else sections.push(["noyears", () => h("p", { class: "ce-empty" }, "添加活动后，这里按年度汇总学时。")]);
      (result.periods || []).forEach((period, k) => {
        sections.push([`period${k}` + JSON.stringify(period), () => this.renderPeriod(period, k)]);
      });
      if ((result.activities || []).length) {
        this.detailEl ??= this.makeDetail();
        this.updateDetail(result);
        sections.push(["detail", () => this.detailEl]);
      }
    }
    const old = new Map();
    for (const child of this.resultsEl.children) old.set(child.__ceKey, child);
    const nodes = sections.map(([key, render]) => {
      let node = old.get(key);
      if (!node) {
        node = render();
        node.__ceKey = key;
      }
      return node;
    });
    nodes.forEach((node, i) => {
      const at = this.resultsEl.children[i];
      if (at !== node) this.resultsEl.insertBefore(node, at || null);
    });
    while (this.resultsEl.children.length > nodes.length) this.resultsEl.lastElementChild.remove();
  }

  renderPeriod(period, k) {
    return h(
      "div",
      { class: `ce-alert ${period.met ? "ce-alert--ok" : "ce-alert--warn"}` },
      `${period.years[0]}—${period.years[1]} 年合计 `,
      num(`periods.${k}.total`, period.total),
      " / ",
      num(`periods.${k}.required`, period.required),
      ` ${this.unitLabel(period.unit)}：${period.met ? "达到要求" : "未达到要求"}。`,
      period.explanation || "",
      " ",
      this.link(period.source, "依据"),
    );
  }

  renderApplication(a) {
    const state = a.met === true ? "ok" : a.met === false ? "bad" : "unknown";
    const head = { ok: "符合学时要求", bad: "尚不符合学时要求", unknown: "政策未规定" }[state];
    const items = [];
    if (a.window) items.push(h("li", {}, "核查年度：", num("application.window.0", a.window[0]), "—", num("application.window.1", a.window[1]), " 年"));
    if (a.years_required != null) items.push(h("li", {}, `需达标年度：${a.consecutive ? "连续 " : ""}`, num("application.years_required", a.years_required), " 个"));
    if (a.window) {
      items.push(
        h(
          "li",
          {},
          "已达标年度：",
          a.qualifying_years?.length ? h("span", { class: "ce-chips" }, a.qualifying_years.map((y) => h("span", { class: "ce-chip ce-chip--ok" }, String(y)))) : "无",
        ),
      );
    }
    if (a.missing_years?.length) {
      items.push(h("li", {}, "未达标（或未填写）年度：", h("span", { class: "ce-chips" }, a.missing_years.map((y) => h("span", { class: "ce-chip" }, String(y))))));
    }
    return h(
      "div",
      { class: `ce-verdict ce-verdict--${state}`, dataset: { met: String(a.met) } },
      h("h3", { class: "ce-verdict__head" }, `申报职称：${head}`),
      a.explanation ? h("p", {}, a.explanation) : null,
      items.length ? h("ul", { class: "ce-verdict__list" }, items) : null,
      (a.exemptions || []).map((e) => h("p", { class: "ce-verdict__note" }, h("span", { class: "ce-tag ce-tag--ok" }, "适用"), " ", e.explanation || "", " ", this.link(e.source, "依据"))),
      (a.notes || []).map((n) => h("p", { class: "ce-verdict__note" }, n)),
      a.source ? h("p", { class: "ce-verdict__note" }, this.link(a.source, "申报年限依据")) : null,
    );
  }

  bar(value, required) {
    const fill = h("span", { class: "ce-bar__fill" });
    const ratio = required > 0 ? Math.min(1, Math.max(0, value / required)) : value > 0 ? 1 : 0;
    fill.style.width = `${(ratio * 100).toFixed(1)}%`;
    return h("span", { class: `ce-bar${ratio >= 1 ? " ce-bar--full" : ""}`, "aria-hidden": "true" }, fill);
  }

  // The years table: one persistent element, its rows patched by key.
  makeYears() {
    this.yearsBodyEl = h("tbody");
    return h(
      "div",
      { class: "ce-table-wrap" },
      h(
        "table",
        { class: "ce-years" },
        h("caption", {}, "各年度学时（已计入 / 应完成）"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "年度"), h("th", { scope: "col" }, "公需科目"), h("th", { scope: "col" }, "专业科目"), h("th", { scope: "col" }, "合计"), h("th", { scope: "col" }, "结论"))),
        this.yearsBodyEl,
      ),
    );
  }

  updateYears(years) {
    const body = this.yearsBodyEl;
    years.forEach(([year, y], i) => {
      const key = JSON.stringify([year, y]);
      const at = body.children[i];
      if (at && at.__ceKey === key) return;
      const tr = this.renderYearRow(year, y);
      tr.__ceKey = key;
      if (at) at.replaceWith(tr);
      else body.append(tr);
    });
    while (body.children.length > years.length) body.lastElementChild.remove();
  }

  renderYearRow(year, y) {
    const p = `years.${year}`;
    const unit = this.unitLabel(y.unit);
    const cell = (key) => {
      const req = y.required ? y.required[key] : null;
      const deemed = key !== "total" && y.deemed_complete?.[key];
      return h(
        "td",
        { class: "ce-years__cell" },
        h("span", { class: "ce-years__nums" }, num(`${p}.${key}`, y[key]), req != null ? [" / ", num(`${p}.required.${key}`, req)] : null),
        deemed ? h("span", { class: "ce-tag ce-tag--ok" }, "视同完成") : null,
        req != null ? this.bar(y[key], req) : null,
      );
    };
    let verdict;
    if (y.required == null) {
      verdict = h("td", { class: "ce-years__verdict ce-years__verdict--na" }, y.covered === false ? "未覆盖" : "不按年考核", y.explanation ? h("span", { class: "ce-years__why" }, y.explanation) : null);
    } else if (y.met) {
      verdict = h("td", { class: "ce-years__verdict ce-years__verdict--ok" }, "✓ 达标");
    } else {
      const gaps = [
        ["public", "公需"],
        ["professional", "专业"],
        ["total", "合计"],
      ]
        .filter(([k]) => y.shortfall && y.shortfall[k] > 0)
        .map(([k, zh], i) => [i ? "，" : "", `${zh}差 `, num(`${p}.shortfall.${k}`, y.shortfall[k])]);
      verdict = h("td", { class: "ce-years__verdict ce-years__verdict--bad" }, "未达标：", gaps, ` ${unit}`);
    }
    return h(
      "tr",
      { dataset: { year }, class: y.met ? "ce-years__row--ok" : null },
      h("th", { scope: "row" }, `${year}`, h("span", { class: "ce-years__unit" }, `（${unit}）`), y.source ? h("span", { class: "ce-years__src" }, this.link(y.source, "要求依据")) : null),
      cell("public"),
      cell("professional"),
      cell("total"),
      verdict,
    );
  }

  // The detail table: one persistent element, its rows patched by key. The rows are
  // split into blocks of DETAIL_BLOCK rows, each its own fixed-layout table (the same
  // column widths, so they read as one table) that the browser skips while it is out
  // of view (content-visibility in checker.css): changing one row lays out one block
  // of rows, not all of them.
  makeDetail() {
    this.detailHeadEl = h("h3", { class: "ce-detail__head" });
    this.detailWrapEl = h("div", { class: "ce-table-wrap" });
    return h("div", { class: "ce-detail" }, this.detailHeadEl, this.detailWrapEl);
  }

  detailBlock(k) {
    const cols = h("colgroup", {}, DETAIL_COLS.map(([, width]) => h("col", { style: `width:${width}` })));
    const head = k === 0 ? h("thead", {}, h("tr", {}, DETAIL_COLS.map(([t]) => h("th", { scope: "col" }, t)))) : null;
    const body = h("tbody");
    const table = h("table", { class: "ce-detail__table", "aria-label": k ? "活动明细（续）" : null }, cols, head, body);
    const el = h("div", { class: "ce-detail__block" }, table);
    el.body = body;
    return el;
  }

  updateDetail(result) {
    const acts = this.caseData.activities || [];
    const rows = result.activities || [];
    const head = `活动明细（${rows.length} 项）`;
    if (this.detailHeadEl.textContent !== head) this.detailHeadEl.textContent = head;
    const wrap = this.detailWrapEl;
    const blocks = Math.ceil(rows.length / DETAIL_BLOCK);
    while (wrap.children.length < blocks) wrap.append(this.detailBlock(wrap.children.length));
    while (wrap.children.length > blocks) wrap.lastElementChild.remove();
    for (let k = 0; k < blocks; k++) {
      const body = wrap.children[k].body;
      const part = rows.slice(k * DETAIL_BLOCK, (k + 1) * DETAIL_BLOCK);
      part.forEach((row, i) => {
        const act = acts[row.index] || {};
        const key = JSON.stringify([row, act.title ?? null, act.kind ?? null]);
        const at = body.children[i];
        if (at && at.__ceKey === key) return;
        const tr = this.renderDetailRow(row, act);
        tr.__ceKey = key;
        if (at) at.replaceWith(tr);
        else body.append(tr);
      });
      while (body.children.length > part.length) body.lastElementChild.remove();
    }
  }

  renderDetailRow(row, act) {
    const notes = [...(row.caps || []).map((c) => c.explanation), ...(row.warnings || [])].filter(Boolean);
    return h(
      "tr",
      { class: row.valid === false ? "ce-detail__row--invalid" : null },
      h("td", {}, String(row.index + 1)),
      h("td", {}, row.kind_label || this.kindLabel(row.kind), act.title ? h("div", { class: "ce-detail__title" }, String(act.title)) : null),
      h("td", {}, fmt(row.year)),
      h("td", { class: "ce-num-cell" }, fmt(row.public)),
      h("td", { class: "ce-num-cell" }, fmt(row.professional)),
      h("td", { class: "ce-detail__notes" }, row.explanation || "", notes.length ? h("ul", {}, notes.map((n) => h("li", {}, n))) : null),
      h("td", { class: "ce-detail__cite" }, row.source ? this.link(row.source, this.citeLabel(row)) : "—"),
    );
  }

  renderPrintHead() {
    const c = this.caseData;
    const profileProps = this.schema.properties.profile?.properties || {};
    const facts = [];
    const region = this.schema.properties.region;
    if (c.region) facts.push(["地区", enumLabel(region, c.region)]);
    for (const [name, spec] of Object.entries(profileProps)) {
      const value = c.profile?.[name];
      if (value == null || (Array.isArray(value) && !value.length)) continue;
      let shown;
      if (Array.isArray(value)) shown = value.map((v) => enumLabel(spec, v)).join("、");
      else if (Array.isArray(spec.enum)) shown = enumLabel(spec, value);
      else shown = `${value}`;
      facts.push([spec.title || name, shown]);
    }
    const d = new Date();
    const date = `${d.getFullYear()} 年 ${d.getMonth() + 1} 月 ${d.getDate()} 日`;
    patch(this.printHeadEl, JSON.stringify([facts, date]), () => [
      h("h2", { class: "ce-print-head__title" }, "继续教育学时汇总"),
      h("dl", { class: "ce-print-head__facts" }, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      h("p", { class: "ce-print-head__date" }, `生成日期：${date} · 本汇总由本站自助核算工具按已发布政策计算，仅供自查参考，以主管部门审核认定为准。`),
    ]);
  }
}

// ---------------------------------------------------------------- attach

function attach() {
  const root = document.getElementById("ce-checker");
  if (app.view && (!root || app.view.root !== root || !root.isConnected)) {
    app.view.destroy();
    app.view = null;
  }
  if (root && !app.view) app.view = new View(root);
}

// On a page of the checker, site_src/hooks/checker.py also loads this module from <head>
// with `async` (same URL: one module instance per document), so it runs while the page
// is still parsing: the engine and the form's data start loading right away.
// Elsewhere it runs at the end of the page; a pointer or focus on a link to the checker
// starts the engine then (instant navigation keeps it for the checker page).
function warmOnIntent(build) {
  const warm = (event) => {
    const a = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!a || app.engine || !isCheckerURL(a.href, build)) return;
    loadAssets();
  };
  for (const type of ["pointerover", "focusin", "touchstart"]) {
    document.addEventListener(type, warm, { passive: true, capture: true });
  }
}

if (!app.started) {
  app.started = true;
  const build = pageBuild();
  if (build && isCheckerURL(location.href, build)) loadAssets();
  else if (build) warmOnIntent(build);
  const subscribe = () => {
    const doc$ = window.document$;
    if (doc$ && typeof doc$.subscribe === "function") doc$.subscribe(() => attach());
    else attach();
  };
  // Material's document$ exists once its bundle has run, before DOMContentLoaded.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", subscribe, { once: true });
  else subscribe();
}
