// The batch page (单位批量核算) in <div id="ce-batch">: drop or choose a file, progress with
// 取消, the table of people (filters, sort, pages), the problems, exports and printing.
// Nothing of the file leaves the browser: it is read and checked in the page's own workers.
import { encodeCaseFragment } from "../checker/casefragment.js";
import { fill, h, nextTask } from "../checker/dom.js";
import { buildModel, filterPeople, personEntry, sortPeople, unmet, yearLines, yearVerdict } from "./model.js";
import { BatchPool } from "./pool.js";
import { printPeople } from "./print.js";

const PAGE_SIZE = 100; // people a page of the table
const PROBLEM_PAGE = 200; // problems shown before 显示更多
const CSV_TABLES = ["年度核算", "人员汇总", "各项活动", "输入问题"]; // the order of the download buttons

function megabytes(bytes) {
  return bytes < 1e6 ? `${Math.max(1, Math.round(bytes / 1e3))} KB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

function download(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export class BatchView {
  // build: the build info; root: the site root (URL); scriptURL: this script's URL.
  // metadata, schema: promises of metadata.json (the rule bundle's version) and schema.json (labels).
  constructor(el, { build, root, scriptURL, metadata, schema }) {
    this.el = el;
    this.build = build;
    this.root = root;
    this.metadata = metadata;
    this.schema = schema;
    this.engine = new BatchPool(build, { root, scriptURL }); // the page's workers (pool.js)
    this.run = 0; // the batch being shown (a later drop or cancel makes earlier replies stale)
    this.filters = { unmetOnly: false, year: null, title: "", text: "" };
    this.sort = { key: "", descending: false };
    this.page = 0;
    this.render();
    this.unsubscribe = this.engine.subscribe((engine) => this.showEngine(engine));
    this.el.dataset.poolSize = String(this.engine.engines.length); // the workers this device runs (pool.js)
    this.unsubscribeReady = this.engine.subscribeReady((n) => {
      this.el.dataset.readyWorkers = String(n); // (for tests and curious readers: how many can help)
    });
  }

  destroy() {
    this.unsubscribe?.();
    this.unsubscribeReady?.();
    this.engine.destroy();
    this.printEl.remove();
  }

  render() {
    this.input = h("input", {
      type: "file",
      id: "ce-batch-file",
      accept: ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv",
      class: "ce-batch__file",
      onchange: () => {
        const file = this.input.files?.[0];
        this.input.value = "";
        if (file) this.startFile(file);
      },
    });
    this.drop = h(
      "label",
      { class: "ce-batch__drop", for: "ce-batch-file", dataset: { ceDrop: "" } },
      h("strong", {}, "把填好的表格拖到这里，或点击选择文件"),
      h("span", {}, "支持 .xlsx（Excel、WPS）和 .csv（UTF-8 或 GBK 编码）；文件只在本机读取和核算，不会上传。"),
      this.input,
    );
    for (const type of ["dragenter", "dragover"]) {
      this.drop.addEventListener(type, (event) => {
        event.preventDefault();
        this.drop.classList.add("ce-batch__drop--over");
      });
    }
    this.drop.addEventListener("dragleave", () => this.drop.classList.remove("ce-batch__drop--over"));
    this.drop.addEventListener("drop", (event) => {
      event.preventDefault();
      this.drop.classList.remove("ce-batch__drop--over");
      const file = event.dataTransfer?.files?.[0];
      if (file) this.startFile(file);
    });
    this.engineEl = h("p", { class: "ce-batch__engine", role: "status" });
    this.statusEl = h("div", { class: "ce-batch__status", role: "status", "aria-live": "polite", hidden: true });
    this.resultsEl = h("div", { class: "ce-batch__results", hidden: true });
    this.printEl = h("div", { class: "ce-batch-print", "aria-hidden": "true" });
    fill(this.el, this.drop, this.engineEl, this.statusEl, this.resultsEl);
    document.body.append(this.printEl);
  }

  showEngine(engine) {
    let text = "";
    if (engine.stage === "error") text = `核算环境加载失败：${engine.error}`;
    else if (!engine.ready) text = "正在准备核算环境（首次约需十几秒）……可以先选择文件。";
    this.engineEl.textContent = text;
    this.engineEl.hidden = !text;
    this.engineEl.classList.toggle("ce-batch__engine--error", engine.stage === "error");
    if (engine.stage === "error" && !this.engineEl.querySelector("button")) {
      this.engineEl.append(
        " ",
        h("button", { type: "button", class: "md-button ce-btn", onclick: () => this.engine.retry() }, "重试"),
      );
    }
  }

  // --- a batch ------------------------------------------------------------------------
  async startFile(file) {
    const run = ++this.run;
    this.fileName = file.name;
    this.model = null;
    this.csv = null;
    this.resultsEl.hidden = true;
    fill(this.resultsEl);
    if (/\.xls$/i.test(file.name)) {
      this.showStatus("error", `不支持旧版 Excel 的 .xls 文件：请在 Excel 或 WPS 中“另存为” .xlsx 或 CSV 后再选择。`);
      return;
    }
    // Shown at once, before the file is even read.
    this.progress = h("progress", { class: "ce-batch__progress" });
    this.progressText = h("span", {}, `正在读取 ${file.name}（${megabytes(file.size)}）……`);
    const cancel = h(
      "button",
      { type: "button", class: "md-button ce-btn", dataset: { action: "cancel" }, onclick: () => this.cancel(run) },
      "取消",
    );
    this.showStatus("busy", this.progress, this.progressText, cancel);
    let bytes;
    try {
      bytes = await file.arrayBuffer();
    } catch (err) {
      if (run === this.run) this.showStatus("error", `无法读取文件 ${file.name}：${err.message}`);
      return;
    }
    if (run !== this.run) return;
    this.running = this.engine.start(
      bytes,
      this.root.href,
      (msg) => {
        if (run === this.run) this.showProgress(msg);
      },
      personEntry,
    );
    let view;
    try {
      view = await this.running;
    } catch (err) {
      if (run !== this.run) return;
      this.showStatus("error", `未能核算 ${file.name}：${err.message}`);
      return;
    } finally {
      if (run === this.run) this.running = null;
    }
    // The columns' labels, which are also the core's headers of those columns: from the schema.
    const schema = await this.schema;
    if (run !== this.run) return;
    this.labels = {
      region: schema?.properties?.region?.title,
      title: schema?.properties?.profile?.properties?.target_title?.title,
    };
    this.model = buildModel(view);
    this.el.dataset.workers = String(view.workers); // how many workers checked this batch
    this.page = 0;
    this.showResults();
  }

  showProgress({ stage, done, total }) {
    this.statusEl.dataset.stage = stage;
    if (stage === "read") {
      this.progress.removeAttribute("value");
      this.progressText.textContent = `正在读取 ${this.fileName}：已读 ${done.toLocaleString("zh-CN")} 行……`;
    } else {
      this.progress.max = Math.max(1, total);
      this.progress.value = done;
      this.progressText.textContent = `正在核算：${done.toLocaleString("zh-CN")} / ${total.toLocaleString("zh-CN")} 人`;
    }
  }

  async cancel(run) {
    if (run !== this.run) return;
    const running = this.running;
    this.run++;
    this.showStatus("info", "已取消。可以重新选择文件。");
    if (running) await this.engine.cancel(running);
  }

  showStatus(kind, ...children) {
    this.statusEl.hidden = false;
    this.statusEl.dataset.state = kind;
    delete this.statusEl.dataset.stage;
    fill(this.statusEl, ...children);
  }

  // --- results ----------------------------------------------------------------------------
  showResults() {
    const m = this.model;
    const computedCount = m.people.filter((p) => !String(p.person.核算状态).startsWith("未核算")).length;
    const unmetCount = m.people.filter((p) => unmet(p)).length;
    const errors = m.problems.filter((p) => p.类别 === "错误").length;
    this.showStatus(
      "done",
      h(
        "span",
        {},
        `${this.fileName}：共 ${m.people.length} 人，已核算 ${computedCount} 人，其中有未达标年度或未能核算的 ${unmetCount} 人；`,
        m.problems.length ? `输入问题 ${m.problems.length} 处（错误 ${errors} 处，见表格下方）。` : "没有输入问题。",
      ),
    );
    const yearSelect = h(
      "select",
      {
        id: "ce-batch-year",
        class: "ce-input",
        onchange: () => this.setFilter({ year: Number(yearSelect.value) || null }),
      },
      h("option", { value: "" }, "全部年度"),
      m.years.map((y) => h("option", { value: y }, `${y} 年`)),
    );
    const titleSelect = h(
      "select",
      { id: "ce-batch-title", class: "ce-input", onchange: () => this.setFilter({ title: titleSelect.value }) },
      h("option", { value: "" }, "全部职称层级"),
      m.titles.map((t) => h("option", { value: t }, t)),
    );
    const unmetBox = h("input", {
      type: "checkbox",
      id: "ce-batch-unmet",
      onchange: () => this.setFilter({ unmetOnly: unmetBox.checked }),
    });
    const search = h("input", {
      type: "search",
      id: "ce-batch-search",
      class: "ce-input",
      placeholder: "按姓名或工号查找",
      oninput: () => this.setFilter({ text: search.value }),
    });
    const filters = h(
      "div",
      { class: "ce-batch__filters" },
      h("label", { class: "ce-batch__check" }, unmetBox, " 只看未达标（含未能核算的人员）"),
      h("label", {}, "年度 ", yearSelect),
      h("label", {}, "拟申报职称 ", titleSelect),
      h("label", {}, search),
    );
    const exportsEl = h(
      "div",
      { class: "ce-batch__exports" },
      h("span", {}, "导出全部结果："),
      h(
        "button",
        {
          type: "button",
          class: "md-button md-button--primary ce-btn",
          dataset: { export: "xlsx" },
          onclick: () => this.exportXlsx(),
        },
        "Excel（.xlsx，四个工作表）",
      ),
      CSV_TABLES.map((name) =>
        h(
          "button",
          {
            type: "button",
            class: "md-button ce-btn",
            dataset: { export: "csv", table: name },
            onclick: () => this.exportCsv(name),
          },
          `${name}.csv`,
        ),
      ),
      h(
        "button",
        {
          type: "button",
          class: "md-button ce-btn",
          dataset: { action: "print" },
          onclick: () => this.print(this.shown()),
        },
        "打印汇总（当前筛选的人员，每人一页）",
      ),
    );
    this.countEl = h("p", { class: "ce-batch__count", role: "status" });
    this.tableEl = h("div", { class: "ce-batch__table-wrap" });
    this.pagerEl = h("nav", { class: "ce-batch__pager", "aria-label": "分页" });
    this.exportStatus = h("p", { class: "ce-batch__export-status", role: "status" });
    fill(
      this.resultsEl,
      filters,
      exportsEl,
      this.exportStatus,
      this.countEl,
      this.tableEl,
      this.pagerEl,
      this.renderProblems(),
    );
    this.resultsEl.hidden = false;
    this.drawTable();
  }

  setFilter(change) {
    Object.assign(this.filters, change);
    this.page = 0;
    this.drawTable();
  }

  shown() {
    const kept = filterPeople(this.model.people, this.filters);
    return sortPeople(kept, this.sort.key, this.sort.descending);
  }

  sortBy(key) {
    if (this.sort.key === key) this.sort.descending = !this.sort.descending;
    else this.sort = { key, descending: false };
    this.drawTable();
  }

  drawTable() {
    const m = this.model;
    const people = this.shown();
    const pages = Math.max(1, Math.ceil(people.length / PAGE_SIZE));
    this.page = Math.min(this.page, pages - 1);
    const slice = people.slice(this.page * PAGE_SIZE, (this.page + 1) * PAGE_SIZE);
    const years = this.filters.year ? [this.filters.year] : m.years;
    this.countEl.textContent = `显示 ${people.length} 人（共 ${m.people.length} 人）`;
    const head = (label, key) => {
      const sorted = this.sort.key === key;
      return h(
        "th",
        { scope: "col", "aria-sort": sorted ? (this.sort.descending ? "descending" : "ascending") : null },
        h(
          "button",
          { type: "button", class: "ce-batch__sort", dataset: { sort: key }, onclick: () => this.sortBy(key) },
          label,
          sorted ? (this.sort.descending ? " ▼" : " ▲") : "",
        ),
      );
    };
    const table = h(
      "table",
      { class: "ce-batch__table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          head("人员", "人员"),
          head(this.labels.region, this.labels.region),
          head(this.labels.title, this.labels.title),
          years.map((y) => head(`${y} 年`, `year:${y}`)),
          head("职称申报", "职称申报"),
          head("输入问题", "输入问题数"),
          h("th", { scope: "col" }, "自助核算"),
        ),
      ),
      h(
        "tbody",
        {},
        slice.map((p) => this.row(p, years)),
      ),
    );
    fill(this.tableEl, people.length ? table : h("p", {}, "没有符合筛选条件的人员。"));
    const go = (page) => {
      this.page = page;
      this.drawTable();
    };
    fill(
      this.pagerEl,
      pages > 1 && [
        h(
          "button",
          { type: "button", class: "md-button ce-btn", disabled: this.page === 0, onclick: () => go(this.page - 1) },
          "上一页",
        ),
        h("span", {}, ` 第 ${this.page + 1} / ${pages} 页 `),
        h(
          "button",
          {
            type: "button",
            class: "md-button ce-btn",
            disabled: this.page >= pages - 1,
            onclick: () => go(this.page + 1),
          },
          "下一页",
        ),
      ],
    );
    this.linkRows(slice);
  }

  row(p, years) {
    const person = p.person;
    const cells = years.map((y) => {
      const entry = p.years.get(y);
      if (!entry) return h("td", { class: "ce-batch__year ce-batch__year--none" }, "—");
      const state = entry.结论 === "达标" ? "met" : entry.结论 === "未达标" ? "unmet" : "neutral";
      return h(
        "td",
        { class: `ce-batch__year ce-batch__year--${state}`, dataset: { year: y } },
        yearLines(entry).map((line) => h("span", { class: "ce-batch__line" }, line)),
        h("span", { class: "ce-batch__verdict" }, yearVerdict(entry)),
      );
    });
    const link = h(
      "a",
      { class: "ce-batch__open", target: "_blank", rel: "noopener", "aria-disabled": "true" },
      "打开",
    );
    p.link = link;
    return h(
      "tr",
      { dataset: { person: p.index }, class: unmet(p) ? "ce-batch__row--unmet" : null },
      h("th", { scope: "row" }, String(person.人员 ?? "")),
      h("td", {}, person.地区 ?? "—"),
      h("td", {}, person.拟申报职称层级 ?? "—"),
      cells,
      h(
        "td",
        { class: "ce-batch__app", title: person.职称申报说明 || null },
        person.职称申报 ?? "",
        person.核算状态 && person.核算状态 !== "已核算" ? h("small", {}, person.核算状态) : null,
      ),
      h("td", { class: "ce-batch__num" }, String(person.输入问题数 ?? 0)),
      h(
        "td",
        {},
        link,
        " ",
        h("button", { type: "button", class: "ce-batch__mini", onclick: () => this.print([p]) }, "打印"),
      ),
    );
  }

  // The links "open in the checker" of the rows shown: each person's case in the link's
  // fragment (casefragment.js), opened in a new tab; the checker's saved case is not touched.
  async linkRows(slice) {
    const run = this.run;
    const todo = slice.filter((p) => !p.href);
    try {
      const bundle = (await this.metadata)?.bundle?.version;
      const cases = todo.length ? await this.engine.cases(todo.map((p) => p.index)) : [];
      const checker = new URL(this.build.pages?.[0] || "checker/", this.root);
      for (let i = 0; i < todo.length; i++) {
        if (run !== this.run) return;
        const fragment = await encodeCaseFragment(cases[i], bundle ? { bundle } : {});
        checker.hash = fragment;
        todo[i].href = checker.href;
        if (i % 20 === 19) await nextTask();
      }
    } catch (err) {
      for (const p of slice) p.link?.setAttribute("title", `无法生成链接：${err.message}`);
      return;
    }
    for (const p of slice) {
      if (!p.href || !p.link) continue;
      p.link.href = p.href;
      p.link.removeAttribute("aria-disabled");
      p.link.title = `在新标签页的自助核算中打开 ${p.person.人员} 的案例（不改动本页和自助核算中保存的案例）`;
    }
  }

  renderProblems() {
    const problems = this.model.problems;
    const section = h("section", { class: "ce-batch__problems", "aria-label": "输入问题" });
    if (!problems.length) return section;
    const anySheet = problems.some((p) => p.工作表);
    let limit = PROBLEM_PAGE;
    const draw = () => {
      const rows = problems
        .slice(0, limit)
        .map((p) =>
          h(
            "tr",
            { class: p.类别 === "错误" ? "ce-batch__problem--error" : null },
            anySheet && h("td", {}, p.工作表 ?? ""),
            h("td", { class: "ce-batch__num" }, p.行号 ?? "（全文件）"),
            h("td", {}, p.列 ?? ""),
            h("td", {}, p.人员 ?? ""),
            h("td", {}, p.问题),
            h("td", {}, p.类别),
          ),
        );
      fill(
        section,
        h("h3", {}, `输入问题（${problems.length} 处）`),
        h("p", {}, "有问题的行不计入；其他行和其他人员照常核算。改正原表格后重新选择文件即可。"),
        h(
          "table",
          { class: "ce-batch__table ce-batch__problem-table" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              anySheet && h("th", {}, "工作表"),
              h("th", {}, "行号"),
              h("th", {}, "列"),
              h("th", {}, "人员"),
              h("th", {}, "问题"),
              h("th", {}, "类别"),
            ),
          ),
          h("tbody", {}, rows),
        ),
        problems.length > limit &&
          h(
            "button",
            {
              type: "button",
              class: "md-button ce-btn",
              onclick: () => {
                limit += PROBLEM_PAGE * 5;
                draw();
              },
            },
            `显示更多（还有 ${problems.length - limit} 处）`,
          ),
      );
    };
    draw();
    return section;
  }

  // --- exports and printing ----------------------------------------------------------------
  stem() {
    return (this.fileName || "单位").replace(/\.[^.]*$/, "");
  }

  async exportXlsx() {
    this.exportStatus.textContent = "正在生成 Excel 文件……";
    try {
      const bytes = await this.engine.export("xlsx");
      download(
        bytes,
        `${this.stem()}-核算结果.xlsx`,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      );
      this.exportStatus.textContent = "";
    } catch (err) {
      this.exportStatus.textContent = `导出失败：${err.message}`;
    }
  }

  async exportCsv(name) {
    this.exportStatus.textContent = "正在生成 CSV 文件……";
    try {
      this.csv ??= new Map(await this.engine.export("csv"));
      download(this.csv.get(name), `${this.stem()}-${name}.csv`, "text/csv;charset=utf-8");
      this.exportStatus.textContent = "";
    } catch (err) {
      this.csv = null;
      this.exportStatus.textContent = `导出失败：${err.message}`;
    }
  }

  print(people) {
    printPeople(this.printEl, people, this.fileName);
    window.print();
  }
}
