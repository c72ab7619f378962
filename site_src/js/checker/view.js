// The checker on its page: mounts the form and the results into <div id="ce-checker">
// once the schema and metadata are there, runs the toolbar (import, export, share, print,
// clear) and the edits of activities, and computes every change at once. A `#case=` link
// (share.js) shows its case without saving it until the person chooses to.
import { loadAssets, startEngine } from "./assets.js";
import { fragmentValue } from "./casefragment.js";
import { afterPaint, fill, h, nextTask } from "./dom.js";
import { copyActivity, firstToType, newActivity, withKind, yearlyCopies } from "./edit.js";
import { Form } from "./form.js";
import { chooseReading, dropReading } from "./readings.js";
import { Results } from "./results.js";
import { LinkBar, ShareDialog, takeLink } from "./share.js";
import { siteScriptsLoaded } from "./sitescripts.js";
import { app } from "./state.js";
import { renderEngineStatus, renderLoadFailure, resultsStatusText } from "./status.js";
import { StorageAlert } from "./storage.js";
import {
  caseFile,
  download,
  emptyCase,
  forgetCase,
  isEmptyCase,
  loadStoredCase,
  parseCaseFile,
  saveCase,
} from "./store.js";
import { Vocabulary } from "./vocab.js";

// Above this many activities, the results column is drawn in a task after the cards'.
const SPLIT_ABOVE = 100;
// Up to this many activities, a kept result is drawn before Material's bundle runs (mount()).
const SITE_LATE_UP_TO = 100;

// The case as the engine gets it: with the current year (as_of_year: which years of the
// 补足建议 are past), never stored in the saved or exported case. The inline boot script
// (site_src/inline/checker-boot.js) sends the saved case the same way.
function withAsOfYear(caseData) {
  return { ...caseData, as_of_year: new Date().getFullYear() };
}

export class View {
  constructor(root) {
    this.root = root;
    this.disposers = [];
    this.seq = 0;
    this.result = null;
    this.lastDeleted = null;
    this.load();
  }

  // The form's data (and a `#case=` link in the address bar, taken out of it at once), then
  // the form; on failure the reason with 重试.
  load() {
    this.root.dataset.ceMounted = "loading";
    fill(this.root, h("p", { class: "ce-checker__boot", role: "status" }, "正在加载核算表单……"));
    this.link ??= takeLink();
    Promise.all([loadAssets(), this.link]).then(
      ([assets, link]) => this.mount(assets, link),
      (err) => {
        siteScriptsLoaded();
        if (this.dead || !this.root.isConnected) return;
        renderLoadFailure(this.root, err, () => this.load());
      },
    );
  }

  destroy() {
    this.dead = true;
    this.form?.stop();
    for (const d of this.disposers) d();
    this.disposers = [];
  }

  get caseData() {
    return app.caseData;
  }

  mount({ build, schema, metadata }, link) {
    if (this.dead || !this.root.isConnected) return;
    this.vocab = new Vocabulary(schema, metadata);
    if (!app.caseData) {
      // What went wrong reading the saved case is told once per visit (kept for instant navigation).
      const { data, problem } = loadStoredCase();
      app.caseData = data;
      app.storeProblem = problem;
    }
    this.storage = new StorageAlert(app.storeProblem ?? null);
    this.storage.onSavesReleased = () => this.changed();
    this.storage.onDismiss = () => {
      app.storeProblem = null;
    };
    startEngine(build);
    // The form's first fields are painted first. Material's bundle and site.js (sitescripts.js)
    // take ~0.3 s of main thread and restyle the whole page several times as they start. For a
    // short case (SITE_LATE_UP_TO activities) they wait for its first result, the one kept from
    // the last visit or else the engine's: on a first visit they would compete with the engine's
    // start for the processor (measured: the first result 0.1-0.2 s later), and those restyles
    // take ~0.1 s after it. A long case has them before its cards, while the page is small (at
    // 2,000 activities they took 0.6 s twice). At the latest they run after 3 s
    // (site_src/inline/site-after-form.js).
    const acts = Array.isArray(this.caseData.activities) ? this.caseData.activities : [];
    const site = () => siteScriptsLoaded();
    this.drawRest = afterPaint();
    const stored = !!app.engine.storedResult(JSON.stringify(withAsOfYear(this.caseData)));
    // The form's first fields, and the result kept from the last visit if there is one, are on the
    // page: a return visit's engine starts then (engine.js openGate()).
    const keptShown = this.drawRest.then(() => (stored ? this.storedShown : null));
    const open = () => app.engine.openGate();
    keptShown.then(open, open);
    if (acts.length > SITE_LATE_UP_TO) {
      this.drawRest = this.drawRest.then(siteScriptsLoaded).then(afterPaint);
    } else {
      const first = stored
        ? keptShown
        : new Promise((resolve) => {
            this.resolveFirstShown = resolve; // by compute(), once a result (or none) is shown
          });
      first
        .then(() => this.form.settled())
        .then(afterPaint)
        .then(site, site);
    }
    const getCase = () => app.caseData;
    this.form = new Form(this.vocab, getCase, {
      changed: () => this.changed(),
      add: (kind) => this.addActivity(kind),
      duplicate: (index) => this.duplicateActivity(index),
      remove: (index) => this.deleteActivity(index),
      changeKind: (index, kind) => this.changeKind(index, kind),
      repeat: (index, until) => this.repeatActivity(index, until),
      start: this.drawRest,
    });
    this.results = new Results(this.vocab, getCase, {
      chooseReading: (id, option, reading) => this.chooseReading(id, option, reading),
      dropReading: (field) => this.dropReading(field),
      addActivities: (activities, year) => this.addActivities(activities, year),
    });
    this.linkBar = new LinkBar(this.vocab, {
      replaceCase: (data) => this.replaceCase(data),
      notice: (text, action, isError) => this.notice(text, action, isError),
      saveError: (message) => this.storage.setSaveError(message),
    });
    this.share = new ShareDialog(this.vocab, {
      caseData: () => this.caseData,
      result: () => (this.root.dataset.ceDirty === "false" ? this.result : null),
      exportFile: () => this.exportFile(),
    });
    this.root.dataset.ceMounted = "ready";
    fill(this.root, this.renderShell());
    // Leaving by a link (a clause of a policy page): the way back returns to this place.
    const leave = (event) => {
      const a = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!a || a.getAttribute("href").startsWith("#")) return;
      // The card the link is in, and where it was on screen: the place to return to.
      const card = a.closest(".ce-act");
      const index = card ? Number(card.dataset.index) : null;
      app.returnTo = {
        path: location.pathname,
        y: window.scrollY,
        open: this.form.cards.openCard?.index,
        anchor: card && Number.isInteger(index) ? { index, top: card.getBoundingClientRect().top } : null,
      };
    };
    this.root.addEventListener("click", leave, true);
    this.disposers.push(() => this.root.removeEventListener("click", leave, true));
    this.link = null;
    if (link && !link.error) {
      this.linkBar.open(link); // renders the link's case
    } else {
      this.renderAll();
      if (link) this.linkBar.open(link); // says why the link cannot be opened
    }
    this.disposers.push(app.engine.subscribe((engine) => this.onEngine(engine)));
    // A link pasted into the address bar of the open page.
    const onHash = () => {
      if (fragmentValue(location.hash) != null) takeLink().then((l) => !this.dead && this.linkBar.open(l));
    };
    window.addEventListener("hashchange", onHash);
    this.disposers.push(() => window.removeEventListener("hashchange", onHash));
  }

  // The form shows another case (a link's, or the saved one again).
  replaceCase(data) {
    app.caseData = data;
    this.result = null;
    this.lastDeleted = null;
    this.renderAll();
  }

  renderShell() {
    this.statusEl = h("div", { class: "ce-status", role: "status", "aria-live": "polite" });
    this.noticeEl = h("p", { class: "ce-notice", role: "status", "aria-live": "polite", hidden: true });
    this.fileInput = h("input", {
      type: "file",
      accept: ".json,application/json",
      class: "ce-visually-hidden",
      tabindex: "-1",
      "aria-hidden": "true",
    });
    this.fileInput.addEventListener("change", () => this.importFile());
    const button = (action, text, onclick, extra = "") =>
      h("button", { type: "button", class: `md-button ce-btn${extra}`, onclick, dataset: { action } }, text);
    const toolbar = h(
      "div",
      { class: "ce-toolbar", role: "group", "aria-label": "案例操作" },
      button("import", "导入 JSON", () => this.fileInput.click()),
      button("export", "导出 JSON", () => this.exportFile()),
      button("share", "复制链接", () => this.share.open()),
      button("print", "打印学时汇总", () => window.print()),
      button("clear", "清空", () => this.clearAll(), " ce-btn--danger"),
      h("a", { href: "#ce-h-results", class: "ce-jump", onclick: (e) => this.results.jump(e) }, "查看核算结果 ↓"),
      this.fileInput,
    );
    this.resultsStatusEl = h("p", { class: "ce-results__status", role: "status", "aria-live": "polite" });
    const { profileEl, caseErrorsEl, activitiesEl, addEl } = this.form;
    return h(
      "div",
      { class: "ce-app" },
      this.statusEl,
      this.storage.el,
      this.linkBar.el,
      toolbar,
      this.results.barEl,
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
            // (the page's first frame waits for this heading: FORM_DRAWN_ID of site_src/hooks/checker.py)
            h("h2", { id: "ce-h-profile" }, "基本信息"),
            profileEl,
            caseErrorsEl,
          ),
          h(
            "section",
            { class: "ce-card ce-activities", "aria-labelledby": "ce-h-acts" },
            h("h2", { id: "ce-h-acts" }, "继续教育活动"),
            activitiesEl,
            addEl,
          ),
        ),
        h(
          "section",
          { class: "ce-card ce-results", "aria-labelledby": "ce-h-results" },
          this.results.printHeadEl,
          h("h2", { id: "ce-h-results" }, "核算结果"),
          this.resultsStatusEl,
          this.results.el,
        ),
      ),
      this.share.el,
    );
  }

  onEngine(engine) {
    renderEngineStatus(this.statusEl, engine, () => app.engine.retry());
    if (engine.ready && (!this.result || this.provisional)) this.schedule();
    else if (!engine.ready) this.renderResultsStatus();
  }

  renderAll() {
    this.form.render();
    this.applyResult(this.result);
    this.renderResultsStatus();
    this.schedule();
  }

  // --- edits --------------------------------------------------------------

  addActivity(kind) {
    this.caseData.activities ??= [];
    const acts = this.caseData.activities;
    const act = newActivity(this.vocab, acts, kind);
    acts.push(act);
    this.form.renderActivities({ index: acts.length - 1, name: firstToType(this.vocab, act) });
    this.changed();
    this.notice(`已添加第 ${acts.length} 项活动：${this.vocab.kindLabel(kind)}`);
  }

  duplicateActivity(index) {
    const acts = this.caseData.activities;
    acts.splice(index + 1, 0, copyActivity(acts[index]));
    this.form.renderActivities({ index: index + 1 });
    this.changed();
    this.notice(`已复制为第 ${index + 2} 项活动`);
  }

  // 每年一次: copies of an activity for each later year up to `until`, right after it.
  repeatActivity(index, until) {
    const acts = this.caseData.activities;
    const copies = yearlyCopies(acts[index], until);
    if (!copies.length) return;
    acts.splice(index + 1, 0, ...copies);
    this.form.renderActivities({ index: index + copies.length });
    this.changed();
    this.notice(
      `已按每年一次复制：${acts[index].year + 1}—${until} 年各一项（第 ${index + 2}—${index + 1 + copies.length} 项），可逐项修改。`,
    );
  }

  deleteActivity(index) {
    const acts = this.caseData.activities;
    const [removed] = acts.splice(index, 1);
    this.lastDeleted = { index, act: removed };
    const next = Math.min(index, acts.length - 1);
    this.form.renderActivities(next >= 0 ? { index: next } : null);
    if (next < 0) this.form.focusAdd();
    this.changed();
    this.notice(`已删除第 ${index + 1} 项活动（${this.vocab.kindLabel(removed?.kind)}）。`, {
      label: "撤销",
      run: () => {
        if (!this.lastDeleted) return;
        const { index: i, act } = this.lastDeleted;
        this.lastDeleted = null;
        this.caseData.activities.splice(Math.min(i, this.caseData.activities.length), 0, act);
        this.form.renderActivities({ index: i });
        this.changed();
        this.notice("已撤销删除");
      },
    });
  }

  changeKind(index, kind) {
    const acts = this.caseData.activities;
    if (!kind || acts[index].kind === kind) return;
    acts[index] = withKind(this.vocab, acts[index], kind);
    this.form.renderActivities({ index, name: "kind" });
    this.changed();
  }

  // Adds the activities of a 补足建议 suggestion as new cards.
  addActivities(activities, year) {
    this.caseData.activities ??= [];
    const acts = this.caseData.activities;
    const first = acts.length;
    for (const act of activities) acts.push(copyActivity(act));
    this.form.renderActivities({ index: first });
    this.changed();
    this.notice(
      `已加入 ${activities.length} 项活动（${year} 年，第 ${first + 1}—${acts.length} 项）：请按实际参加的活动核对名称、学时或天数。`,
    );
  }

  // Switches a reading (解读) for the whole case; choosing the default removes it from the case.
  chooseReading(id, option, reading) {
    chooseReading(this.caseData, id, option, reading.default);
    this.changed();
    const label = reading.options.find((o) => o.id === option)?.label ?? option;
    this.notice(`已切换解读：${label}${option === reading.default ? "（默认）" : ""}，正在重新核算。`);
  }

  dropReading(field) {
    dropReading(this.caseData, field);
    this.changed();
    this.notice("已删除该项解读选择。");
  }

  clearAll() {
    if (isEmptyCase(this.caseData)) return;
    // While a link's case is shown, the saved case is not this one: clearing leaves it.
    const holding = this.linkBar.holding;
    const question = holding
      ? "确定清空链接中的案例吗？本机保存的案例不受影响。"
      : "确定清空全部填写内容吗？本机保存的数据也将删除，此操作无法撤销。（如需留存，请先导出 JSON。）";
    if (!window.confirm(question)) return;
    app.caseData = emptyCase();
    if (!holding) forgetCase();
    this.result = null;
    this.renderAll();
    this.notice("已清空");
  }

  exportFile() {
    download(caseFile(this.caseData));
    this.notice("已导出 JSON 文件（可用命令行 python -m ruleset check 文件名 核对）。");
  }

  async importFile() {
    const file = this.fileInput.files?.[0];
    this.fileInput.value = "";
    if (!file) return;
    const name = file.name;
    const { data, error, changes, changed } = parseCaseFile(new Uint8Array(await file.arrayBuffer()), name);
    if (error) {
      this.notice(error, null, true);
      return;
    }
    if (
      changes &&
      !window.confirm(
        `“${name}”中有 ${changed} 个数值网页无法精确保存，导入后会改变：${changes}。\n仍要导入吗？（取消则不导入，当前内容不变。）`,
      )
    ) {
      this.notice(`未导入“${name}”：${changed} 个数值网页无法精确保存（${changes}）。当前内容不变。`, null, true);
      return;
    }
    const replace = this.linkBar.holding
      ? `导入“${name}”将替换本机保存的案例（当前显示的是链接中的案例），是否继续？`
      : `导入“${name}”将替换当前填写的内容，是否继续？`;
    if ((this.linkBar.holding || !isEmptyCase(this.caseData)) && !window.confirm(replace)) return;
    // Saved first: a case the browser cannot store is not shown as imported.
    const saveError = saveCase(data);
    if (
      saveError &&
      !window.confirm(
        `“${name}”无法保存到本机：${saveError}。\n仍在本页打开它吗？（不会保存：刷新或关闭页面后，将恢复为之前保存的内容。取消则不导入。）`,
      )
    ) {
      this.notice(`未导入“${name}”：无法保存到本机（${saveError}）。当前内容不变。`, null, true);
      return;
    }
    this.linkBar.leave();
    app.caseData = data;
    this.result = null;
    this.renderAll();
    this.storage.setSaveError(saveError);
    const count = Array.isArray(data.activities) ? data.activities.length : 0;
    if (saveError) {
      this.notice(
        `已在本页打开“${name}”（${count} 项活动），但未保存到本机：刷新或关闭页面后将恢复为之前保存的内容，请用“导出 JSON”保存。`,
        null,
        true,
      );
    } else {
      this.notice(`已导入“${name}”：${count} 项活动。${changes ? `以下数值已按网页能保存的值改变：${changes}。` : ""}`);
    }
  }

  notice(text, action, isError = false) {
    this.noticeEl.hidden = false;
    this.noticeEl.classList.toggle("ce-notice--error", isError);
    fill(
      this.noticeEl,
      text,
      action ? h("button", { type: "button", class: "ce-link-btn", onclick: action.run }, action.label) : null,
    );
  }

  changed() {
    // A link's case is not saved until the person chooses to (share.js).
    if (!this.linkBar.holding) this.storage.setSaveError(saveCase(this.caseData));
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
      engine.forgetResult();
      this.provisional = null;
      delete this.root.dataset.ceProvisional;
      this.result = null;
      this.applyResult(null);
      this.renderResultsStatus();
      this.root.dataset.ceDirty = "false";
      this.resolveFirstShown?.();
      return;
    }
    if (!engine.ready) {
      if (this.provisional && this.provisional !== JSON.stringify(withAsOfYear(this.caseData))) this.dropStored();
      this.renderResultsStatus();
      if (!this.result && !this.triedStored) this.storedShown = this.showStored(engine);
      return; // onEngine() computes when the engine is ready
    }
    this.seq += 1;
    const seq = this.seq;
    this.root.dataset.ceComputing = "true";
    this.inflight = true;
    let result;
    try {
      result = await engine.check(withAsOfYear(this.caseData));
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
    // The cards first; for a long case the results column in a task of its own (its result
    // is megabytes: parsing it and drawing both in one task held the page too long).
    this.showCards(result);
    if ((result.activities?.length || 0) > SPLIT_ABOVE) {
      await nextTask();
      if (this.dead || seq !== this.seq) return;
    }
    this.results.render(result);
    this.renderResultsStatus();
    await this.form.settled(); // a long case's cards are drawn in chunks
    if (this.dead || seq !== this.seq) return;
    this.linkBar.onResult(result, this.caseData);
    // Marked once the result is on the page (tests and `make bench` wait for these).
    this.provisional = null;
    delete this.root.dataset.ceProvisional; // (the engine's own result: confirmed)
    this.root.dataset.ceComputing = "false";
    this.root.dataset.ceSeq = String(seq);
    this.root.dataset.ceDirty = "false";
    this.resolveFirstShown?.();
    const back = app.returnTo;
    if (back && back.path === location.pathname) {
      app.returnTo = null;
      const open = back.open != null && this.form.cards.cards[back.open];
      if (open) this.form.cards.open(open);
      this.restoreScroll(back);
    }
  }

  // Scrolls back to where the person left: the card the followed link was in at the same
  // place on screen (else the same scroll offset). Cards near the new viewport draw their
  // controls and outcome after the scroll (cards.js), which moves what is below them; so
  // scroll, let them draw, and scroll again until the place holds (a few rounds).
  async restoreScroll(back) {
    const target = () => {
      const card = back.anchor && this.form.cards.cards[back.anchor.index]?.el;
      return card?.isConnected ? window.scrollY + card.getBoundingClientRect().top - back.anchor.top : back.y;
    };
    for (let round = 0; round < 4 && !this.dead; round++) {
      window.scrollTo(0, target());
      await this.form.settled();
      await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
      if (Math.abs(target() - window.scrollY) < 2 && round > 0) break;
    }
    this.root.dataset.ceReturned = "true"; // (tests wait for it)
  }

  // A return visit, before the engine is ready: the result kept for exactly this case and
  // this build (lastresult.js), shown marked as such (data-ce-provisional, the status line)
  // until the engine's own result replaces it; dropped at the first edit. It is drawn with the
  // cards, after the form's first fields have been painted (they take input meanwhile).
  async showStored(engine) {
    this.triedStored = true;
    const text = JSON.stringify(withAsOfYear(this.caseData));
    const value = engine.storedResult(text);
    if (!value) return;
    await this.drawRest;
    if (this.dead || engine.ready || this.result) return;
    if (JSON.stringify(withAsOfYear(this.caseData)) !== text) return; // edited meanwhile
    let result;
    try {
      result = JSON.parse(value);
    } catch {
      return;
    }
    this.provisional = text;
    this.result = result;
    this.showCards(result); // as compute() draws: a long case's results column in a task of its own
    if ((result.activities?.length || 0) > SPLIT_ABOVE) {
      await nextTask();
      if (this.dead || this.result !== result) return;
    }
    this.results.render(result);
    this.renderResultsStatus();
    await this.form.settled();
    if (this.dead || engine.ready || this.result !== result || this.provisional !== text) return;
    this.seq += 1;
    this.root.dataset.ceProvisional = "true";
    this.root.dataset.ceSeq = String(this.seq);
    this.root.dataset.ceDirty = "false";
  }

  dropStored() {
    this.provisional = null;
    delete this.root.dataset.ceProvisional;
    this.result = null;
    this.applyResult(null);
  }

  renderResultsStatus() {
    const text = resultsStatusText({
      region: this.caseData.region,
      engine: app.engine,
      result: this.result,
      provisional: !!this.provisional,
    });
    const el = this.resultsStatusEl;
    if (el.textContent !== text) el.textContent = text;
    if (el.hidden !== !text) el.hidden = !text;
  }

  // Shows a result by touching only what changed since the last one (each part of the
  // page remembers the key of what it shows).
  applyResult(result) {
    this.showCards(result);
    this.results.render(result);
  }

  // The result's messages and rows in the cards (drawn in chunks), with its readings.
  showCards(result) {
    this.results.setResult(result);
    this.form.showResult(
      result,
      (row, unit) => this.results.renderRow(row, unit),
      (row, unit) => this.results.rowKey(row, unit),
    );
  }
}
