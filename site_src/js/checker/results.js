// The result document on the page: the verdict on the title application, notices, the
// years table, multi-year periods, the detail table, each activity's row (shown in its
// card) and the print header; with them the numbers under other readings (解读), the marks
// of a non-default reading, the 补足建议 block (plan.js) and the 解读 section (readings.js).
// Every part remembers the key of what it shows and is rebuilt only when that changes, so
// an edit re-renders one card, one year row and one detail row, not the whole page.
import { sourceHref } from "./assets.js";
import { fmt, h, num, patch, patchChildren } from "./dom.js";
import { PlanView } from "./plan.js";
import {
  alternativeLines,
  NON_DEFAULT,
  nonDefaultBadge,
  ReadingState,
  ReadingsSection,
  subjectNumbers,
  switchLink,
} from "./readings.js";
import { enumLabel } from "./vocab.js";

// The detail table's columns after the subjects' and their widths (a fixed layout shared
// by its blocks), and how many rows a block holds.
const SUBJECT_COL_WIDTH = "11%"; // the subject labels of the schema (公需科目) fit on one line
const DETAIL_BLOCK = 8;
const TOTAL = ["total", "合计"];

export class Results {
  // vocab: the Vocabulary; getCase(): the case being edited; actions: {chooseReading(id,
  // option, reading), dropReading(field), addActivities(activities, year)}.
  constructor(vocab, getCase, actions) {
    this.vocab = vocab;
    this.getCase = getCase;
    this.readingState = new ReadingState(null);
    this.readingsSection = new ReadingsSection(vocab, {
      choose: actions.chooseReading,
      drop: actions.dropReading,
    });
    this.planView = new PlanView(vocab, actions.addActivities);
    this.el = h("div", { class: "ce-results__body" });
    this.printHeadEl = h("div", { class: "ce-print-head" });
    // The verdict bar: kept in view on a narrow screen while the form is edited (checker.css).
    this.barTextEl = h("p", { class: "ce-vbar__text" });
    this.barEl = h(
      "div",
      { class: "ce-vbar", role: "region", "aria-label": "核算结论" },
      this.barTextEl,
      h(
        "button",
        { type: "button", class: "ce-vbar__jump", dataset: { action: "jump" }, onclick: () => this.jump() },
        "查看结果 ↓",
      ),
    );
    const subjects = vocab.subjects.map(([, label]) => [label, SUBJECT_COL_WIDTH]);
    this.detailCols = [["序号", "6%"], ["活动", "16%"], ["年度", "8%"], ...subjects, ["说明", "30%"], ["依据", "18%"]];
  }

  link(source, text = "查看条款") {
    const href = sourceHref(source);
    return href ? h("a", { href, class: "ce-source" }, text) : null;
  }

  citeLabel(row) {
    return this.vocab.policyName(row.cite) ?? "查看条款";
  }

  // What the next result says about readings; set before its rows are rendered.
  setResult(result) {
    this.readingState = new ReadingState(result);
    this.years = result?.years || {};
  }

  // The key of an activity's outcome in its card (what renderRow shows depends on).
  rowKey(row, unit) {
    return `${unit}${this.readingState.rowAffected(row) ? "!" : ""}${JSON.stringify(row)}`;
  }

  // One activity's converted outcome (shown in its card), in the unit of its year.
  renderRow(row, unit) {
    const p = `activities.${row.index}`;
    const subjects = this.vocab.subjects;
    const out = [];
    const zero = subjects.every(([key]) => !row[key]);
    const cut = (row.caps || []).length > 0;
    out.push(
      h(
        "p",
        { class: `ce-credit${zero ? " ce-credit--zero" : ""}` },
        h("span", { class: "ce-credit__label" }, "计入："),
        subjects.map(([key, zh], k) => [
          k ? "，" : "",
          `${zh} `,
          h("strong", {}, num(`${p}.${key}`, row[key])),
          ` ${unit}`,
        ]),
        cut && row.before_caps
          ? h(
              "span",
              { class: "ce-credit__before" },
              "（上限核减前：",
              subjects.map(([key, zh], k) => [
                k ? "，" : "",
                `${zh} `,
                num(`${p}.before_caps.${key}`, row.before_caps[key]),
              ]),
              "）",
            )
          : null,
        this.readingState.rowAffected(row) ? [" ", nonDefaultBadge(this.readingState)] : null,
      ),
    );
    out.push(
      alternativeLines(this.readingState, row.alternatives, (alt, k) =>
        subjectNumbers(this.vocab, `${p}.alternatives.${k}`, alt, unit),
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
            subjects
              .filter(([key]) => v[key])
              .map(([key, zh], m) => [m ? "、" : "", `${zh} `, num(`${p}.by_year.${y}.${key}`, v[key])]),
            subjects.every(([key]) => !v[key]) ? "0" : "",
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
            h(
              "li",
              {},
              h("span", { class: "ce-tag ce-tag--cap" }, "上限"),
              " ",
              c.explanation || `核减 ${fmt(c.cut)} ${unit}`,
              h("span", { class: "ce-visually-hidden" }, num(`${p}.caps.${k}.cut`, c.cut)),
              " ",
              this.link(c.source, "依据"),
            ),
          ),
        ),
      );
    }
    if (row.warnings?.length) {
      const items = row.warnings.map((w) => h("li", {}, h("span", { class: "ce-tag ce-tag--warn" }, "注意"), " ", w));
      out.push(h("ul", { class: "ce-warnings" }, items));
    }
    for (const d of row.deemed_complete || []) {
      out.push(
        h(
          "p",
          { class: "ce-row__deemed" },
          h("span", { class: "ce-tag ce-tag--ok" }, "视同完成"),
          " ",
          d.explanation || "",
          d.years?.length ? `（${d.years.join("、")} 年）` : "",
        ),
      );
    }
    if (row.explanation && !(row.warnings || []).includes(row.explanation)) {
      out.push(h("p", { class: "ce-row__explain" }, row.explanation));
    }
    const key = (text) => h("span", { class: "ce-row__key" }, text);
    if (row.evidence) out.push(h("p", { class: "ce-row__evidence" }, key("需留存："), row.evidence));
    for (const note of row.notes || []) out.push(h("p", { class: "ce-row__note" }, key("说明："), note));
    if (row.source) {
      out.push(
        h(
          "p",
          { class: "ce-row__source" },
          key("依据："),
          this.link(row.source, this.citeLabel(row)),
          row.checked
            ? h(
                "span",
                { class: "ce-row__checked", title: "本站最后一次对照原文核对这条规则的日期" },
                ` 核对于 ${row.checked}`,
              )
            : null,
          row.clause
            ? h("details", { class: "quote ce-clause" }, h("summary", {}, "条款原文"), h("p", {}, row.clause))
            : null,
        ),
      );
    }
    return out;
  }

  // Scrolls to the results and moves the focus there (the heading of the results section).
  jump(event) {
    event?.preventDefault();
    const heading = document.getElementById("ce-h-results");
    if (!heading) return;
    heading.setAttribute("tabindex", "-1");
    heading.scrollIntoView({ block: "start" });
    heading.focus({ preventScroll: true });
  }

  // The bar's words: the application's verdict and the years still short, else the years met.
  renderBar(result) {
    const a = result?.application;
    const years = Object.entries(result?.years || {});
    let state = "unknown";
    const parts = [];
    if (a) {
      state = a.met === true ? "ok" : a.met === false ? "bad" : "unknown";
      parts.push(h("strong", {}, `申报职称：${{ ok: "符合", bad: "尚不符合", unknown: "政策未规定" }[state]}`));
      if (a.window) parts.push(`已达标 ${a.qualifying_years?.length || 0}/${a.years_required ?? "—"} 年`);
      if (a.met === false && a.missing_years?.length) parts.push(`未达标：${a.missing_years.join("、")}`);
    } else if (years.length) {
      const short = years.filter(([, y]) => y.met === false).map(([year]) => year);
      parts.push(h("strong", {}, short.length ? `未达标：${short.join("、")}` : "各年度均达标或不按年考核"));
      state = short.length ? "bad" : "ok";
    } else {
      parts.push(result ? "添加活动后显示核算结论" : "选择地区后显示核算结论");
    }
    if (this.readingState.any) parts.push(NON_DEFAULT);
    const key = JSON.stringify([state, parts.map((p) => (typeof p === "string" ? p : p.textContent))]);
    patch(this.barTextEl, key, () => parts.map((p, i) => [i ? " · " : "", p]));
    this.barEl.dataset.state = state;
  }

  // The results column as keyed sections; a section whose key is unchanged keeps its node.
  render(result) {
    this.renderBar(result);
    const sections = [];
    const state = this.readingState;
    const marks = state.any ? state.summary() : "";
    if (result) {
      if (state.any) {
        sections.push([`nondefault${marks}`, () => this.renderNonDefault(state)]);
      }
      if (result.application) {
        sections.push([
          `app${marks}${JSON.stringify(result.application)}`,
          () => this.renderApplication(result.application),
        ]);
      }
      if (result.plan) {
        sections.push([`plan${marks}${JSON.stringify(result.plan)}`, () => this.planView.render(result.plan, state)]);
      }
      (result.notices || []).forEach((n, k) => {
        sections.push([
          `notice${k}${JSON.stringify(n)}`,
          () => h("div", { class: "ce-alert ce-alert--info" }, n.message || "", " ", this.link(n.source, "依据")),
        ]);
      });
      const years = Object.entries(result.years || {});
      if (years.length) {
        this.yearsEl ??= this.makeYears();
        this.updateYears(years);
        sections.push(["years", () => this.yearsEl]);
      } else {
        sections.push(["noyears", () => h("p", { class: "ce-empty" }, "添加活动后，这里按年度汇总学时。")]);
      }
      (result.periods || []).forEach((period, k) => {
        const [from, to] = period.years;
        const affected = Object.entries(result.years || {}).some(
          ([year, y]) => Number(year) >= from && Number(year) <= to && state.yearAffected(year, y),
        );
        sections.push([
          `period${k}${affected ? marks : ""}${JSON.stringify(period)}`,
          () => this.renderPeriod(period, k, affected),
        ]);
      });
      const readings = this.readingsSection.render(result);
      if (readings) sections.push(["readings", () => readings]);
      if ((result.activities || []).length) {
        this.detailEl ??= this.makeDetail();
        this.updateDetail(result);
        sections.push(["detail", () => this.detailEl]);
      }
    }
    patchChildren(this.el, sections);
    this.renderPrintHead();
  }

  // The banner of a result computed under a non-default reading: which readings, where to switch.
  renderNonDefault(state) {
    return h(
      "div",
      { class: "ce-alert ce-alert--reading", dataset: { nondefault: "true" } },
      h("strong", {}, NON_DEFAULT),
      "：本结果按下列解读的非默认理解计算，与本站默认（不会多算学时的）理解的结果可能不同。",
      h(
        "ul",
        {},
        state.nonDefault.map((r) =>
          h(
            "li",
            {},
            r.question,
            " 本次采用：",
            h("strong", {}, r.options.find((o) => o.id === r.used)?.label ?? r.used),
            " ",
            switchLink(r.id, "切换"),
          ),
        ),
      ),
    );
  }

  renderPeriod(period, k, affected = false) {
    return h(
      "div",
      {
        class: `ce-alert ${period.met ? "ce-alert--ok" : "ce-alert--warn"}`,
        dataset: { nondefault: affected ? "true" : null },
      },
      affected ? [nonDefaultBadge(this.readingState), " "] : null,
      `${period.years[0]}—${period.years[1]} 年合计 `,
      num(`periods.${k}.total`, period.total),
      " / ",
      num(`periods.${k}.required`, period.required),
      ` ${this.vocab.unitLabel(period.unit)}：${period.met ? "达到要求" : "未达到要求"}。`,
      period.explanation || "",
      " ",
      this.link(period.source, "依据"),
    );
  }

  renderApplication(a) {
    const state = a.met === true ? "ok" : a.met === false ? "bad" : "unknown";
    const head = { ok: "符合学时要求", bad: "尚不符合学时要求", unknown: "政策未规定" }[state];
    const chips = (years, cls) =>
      h(
        "span",
        { class: "ce-chips" },
        years.map((y) => h("span", { class: cls }, String(y))),
      );
    const items = [];
    if (a.window) {
      items.push(
        h(
          "li",
          {},
          "核查年度：",
          num("application.window.0", a.window[0]),
          "—",
          num("application.window.1", a.window[1]),
          " 年",
        ),
      );
    }
    if (a.years_required != null) {
      items.push(
        h(
          "li",
          {},
          `需达标年度：${a.consecutive ? "连续 " : ""}`,
          num("application.years_required", a.years_required),
          " 个",
        ),
      );
    }
    if (a.window) {
      const met = a.qualifying_years?.length ? chips(a.qualifying_years, "ce-chip ce-chip--ok") : "无";
      items.push(h("li", {}, "已达标年度：", met));
    }
    if (a.missing_years?.length) {
      items.push(h("li", {}, "未达标（或未填写）年度：", chips(a.missing_years, "ce-chip")));
    }
    const readings = this.readingState;
    const verdictOf = (met) => (met === true ? "符合" : met === false ? "尚不符合" : "政策未规定");
    return h(
      "div",
      {
        class: `ce-verdict ce-verdict--${state}`,
        dataset: { met: String(a.met), nondefault: String(readings.any) },
      },
      h(
        "h3",
        { class: "ce-verdict__head" },
        `申报职称：${head}`,
        readings.any ? [" ", nonDefaultBadge(readings)] : null,
      ),
      a.explanation ? h("p", {}, a.explanation) : null,
      items.length ? h("ul", { class: "ce-verdict__list" }, items) : null,
      alternativeLines(
        readings,
        a.alternatives,
        (alt) => [
          `${verdictOf(alt.met)}学时要求；已达标年度：`,
          alt.qualifying_years?.length ? chips(alt.qualifying_years, "ce-chip") : "无",
        ],
        " ce-alt--verdict",
      ),
      (a.exemptions || []).map((e) =>
        h(
          "p",
          { class: "ce-verdict__note" },
          h("span", { class: "ce-tag ce-tag--ok" }, "适用"),
          " ",
          e.explanation || "",
          " ",
          this.link(e.source, "依据"),
        ),
      ),
      (a.notes || []).map((n) => h("p", { class: "ce-verdict__note" }, n)),
      a.source ? h("p", { class: "ce-verdict__note" }, this.link(a.source, "申报年限依据")) : null,
    );
  }

  bar(value, required) {
    const fillEl = h("span", { class: "ce-bar__fill" });
    const ratio = required > 0 ? Math.min(1, Math.max(0, value / required)) : value > 0 ? 1 : 0;
    fillEl.style.width = `${(ratio * 100).toFixed(1)}%`;
    return h("span", { class: `ce-bar${ratio >= 1 ? " ce-bar--full" : ""}`, "aria-hidden": "true" }, fillEl);
  }

  // The years table: one persistent element, its rows patched by key.
  makeYears() {
    this.yearsBodyEl = h("tbody");
    const cols = ["年度", ...this.vocab.subjects.map(([, label]) => label), TOTAL[1], "结论"];
    return h(
      "div",
      { class: "ce-table-wrap" },
      h(
        "table",
        { class: "ce-years" },
        h("caption", {}, "各年度学时（已计入 / 应完成）"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            cols.map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        this.yearsBodyEl,
      ),
    );
  }

  updateYears(years) {
    const state = this.readingState;
    const rows = years.flatMap(([year, y]) => {
      const affected = state.yearAffected(year, y);
      return [
        [JSON.stringify([year, y, affected]), () => this.renderYearRow(year, y, affected)],
        ...(y.alternatives || []).map((alt, k) => [
          JSON.stringify(["alt", year, k, alt, y.unit]),
          () => this.renderYearAlternative(year, y, alt, k),
        ]),
      ];
    });
    patchChildren(this.yearsBodyEl, rows, { inPlace: true });
  }

  // A row under a year's row: its numbers under another reading.
  renderYearAlternative(year, y, alt, k) {
    const p = `years.${year}.alternatives.${k}`;
    const unit = this.vocab.unitLabel(y.unit);
    const met = alt.met === true ? "达标" : alt.met === false ? "未达标" : "不按年考核";
    return h(
      "tr",
      { class: "ce-years__alt", dataset: { altYear: year } },
      h(
        "td",
        { colspan: String(this.vocab.subjects.length + 3) },
        alternativeLines(this.readingState, [alt], () => [subjectNumbers(this.vocab, p, alt, unit, true), `，${met}`]),
      ),
    );
  }

  renderYearRow(year, y, affected = false) {
    const p = `years.${year}`;
    const unit = this.vocab.unitLabel(y.unit);
    const cell = ([key, label]) => {
      const req = y.required ? y.required[key] : null;
      const deemed = key !== TOTAL[0] && y.deemed_complete?.[key];
      return h(
        "td",
        { class: "ce-years__cell", dataset: { label } },
        h(
          "span",
          { class: "ce-years__nums" },
          num(`${p}.${key}`, y[key]),
          req != null ? [" / ", num(`${p}.required.${key}`, req)] : null,
        ),
        deemed ? h("span", { class: "ce-tag ce-tag--ok" }, "视同完成") : null,
        req != null ? this.bar(y[key], req) : null,
      );
    };
    const columns = [...this.vocab.subjects, TOTAL];
    let verdict;
    if (y.required == null) {
      verdict = h(
        "td",
        { class: "ce-years__verdict ce-years__verdict--na", dataset: { label: "结论" } },
        y.covered === false ? "未覆盖" : "不按年考核",
        y.explanation ? h("span", { class: "ce-years__why" }, y.explanation) : null,
      );
    } else if (y.met) {
      verdict = h("td", { class: "ce-years__verdict ce-years__verdict--ok", dataset: { label: "结论" } }, "✓ 达标");
    } else {
      const gaps = columns
        .filter(([k]) => y.shortfall && y.shortfall[k] > 0)
        .map(([k, zh], i) => [i ? "，" : "", `${zh}差 `, num(`${p}.shortfall.${k}`, y.shortfall[k])]);
      verdict = h(
        "td",
        { class: "ce-years__verdict ce-years__verdict--bad", dataset: { label: "结论" } },
        "未达标：",
        gaps,
        ` ${unit}`,
      );
    }
    return h(
      "tr",
      {
        dataset: { year, nondefault: affected ? "true" : null },
        class: [y.met ? "ce-years__row--ok" : "", y.alternatives?.length ? "ce-years__row--alt" : ""]
          .filter(Boolean)
          .join(" "),
      },
      h(
        "th",
        { scope: "row" },
        `${year}`,
        h("span", { class: "ce-years__unit" }, `（${unit}）`),
        affected ? h("span", { class: "ce-years__badge" }, nonDefaultBadge(this.readingState)) : null,
        y.source ? h("span", { class: "ce-years__src" }, this.link(y.source, "要求依据")) : null,
      ),
      columns.map(cell),
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
    const cols = h(
      "colgroup",
      {},
      this.detailCols.map(([, width]) => h("col", { style: `width:${width}` })),
    );
    const head =
      k === 0
        ? h(
            "thead",
            {},
            h(
              "tr",
              {},
              this.detailCols.map(([t]) => h("th", { scope: "col" }, t)),
            ),
          )
        : null;
    const body = h("tbody");
    const table = h(
      "table",
      { class: "ce-detail__table", "aria-label": k ? "活动明细（续）" : null },
      cols,
      head,
      body,
    );
    const el = h("div", { class: "ce-detail__block" }, table);
    el.body = body;
    return el;
  }

  // Rows are keyed by what they show but their number: a row that only moved (an activity
  // deleted or inserted before it) keeps its element, renumbered, even into another block.
  // Blocks left over stay, empty: taking an element with content-visibility out of the
  // document costs Chromium a restyle of the whole page.
  updateDetail(result) {
    const acts = Array.isArray(this.getCase().activities) ? this.getCase().activities : [];
    const rows = result.activities || [];
    const head = `活动明细（${rows.length} 项）`;
    if (this.detailHeadEl.textContent !== head) this.detailHeadEl.textContent = head;
    const wrap = this.detailWrapEl;
    const blocks = Math.ceil(rows.length / DETAIL_BLOCK);
    while (wrap.children.length < blocks) wrap.append(this.detailBlock(wrap.children.length));
    const old = new Map();
    for (const block of wrap.children) {
      for (const tr of block.body.children) {
        if (!old.has(tr.__ceKey)) old.set(tr.__ceKey, []);
        old.get(tr.__ceKey).push(tr);
      }
    }
    const wanted = rows.map((row) => {
      const act = acts[row.index] || {};
      const affected = this.readingState.rowAffected(row);
      const key = JSON.stringify([{ ...row, index: undefined }, act.title ?? null, act.kind ?? null, affected]);
      return { row, act, affected, key, tr: old.get(key)?.shift() };
    });
    for (const list of old.values()) for (const tr of list) tr.remove();
    [...wrap.children].forEach((block, k) => {
      const part = wanted.slice(k * DETAIL_BLOCK, (k + 1) * DETAIL_BLOCK);
      part.forEach((w, i) => {
        if (!w.tr) {
          w.tr = this.renderDetailRow(w.row, w.act, w.affected);
          w.tr.__ceKey = w.key;
        }
        const at = block.body.children[i];
        if (at !== w.tr) block.body.insertBefore(w.tr, at || null);
        const cell = w.tr.firstElementChild;
        const n = String(w.row.index + 1);
        if (cell.textContent !== n) cell.textContent = n;
      });
      while (block.body.children.length > part.length) block.body.lastElementChild.remove();
    });
  }

  renderDetailRow(row, act, affected = false) {
    const notes = [...(row.caps || []).map((c) => c.explanation), ...(row.warnings || [])].filter(Boolean);
    const unit = this.vocab.unitLabel(this.years?.[String(row.year)]?.unit);
    return h(
      "tr",
      {
        class: row.valid === false ? "ce-detail__row--invalid" : null,
        dataset: { nondefault: affected ? "true" : null },
      },
      h("td", { class: "ce-detail__num" }, String(row.index + 1)),
      h(
        "td",
        { class: "ce-detail__kind" },
        row.kind_label || this.vocab.kindLabel(row.kind),
        act.title ? h("div", { class: "ce-detail__title" }, String(act.title)) : null,
      ),
      h("td", { class: "ce-detail__year", dataset: { label: "年度" } }, fmt(row.year)),
      this.vocab.subjects.map(([key, label]) => h("td", { class: "ce-num-cell", dataset: { label } }, fmt(row[key]))),
      h(
        "td",
        { class: "ce-detail__notes", dataset: { label: "说明" } },
        row.explanation || "",
        notes.length
          ? h(
              "ul",
              {},
              notes.map((n) => h("li", {}, n)),
            )
          : null,
        affected ? h("div", {}, nonDefaultBadge(this.readingState)) : null,
        alternativeLines(this.readingState, row.alternatives, (alt) => subjectNumbers(this.vocab, null, alt, unit)),
      ),
      h(
        "td",
        { class: "ce-detail__cite", dataset: { label: "依据" } },
        row.source ? this.link(row.source, this.citeLabel(row)) : "—",
      ),
    );
  }

  // The header of the printed summary: the case's region and profile, and the date.
  renderPrintHead() {
    const c = this.getCase();
    const facts = [];
    const region = this.vocab.regionSpec;
    if (c.region) facts.push([region.title, enumLabel(region, c.region)]);
    for (const [name, spec] of this.vocab.profileFields()) {
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
    const readings = this.readingState;
    const marks = readings.any ? readings.summary() : "";
    patch(this.printHeadEl, JSON.stringify([facts, date, marks]), () => [
      h("h2", { class: "ce-print-head__title" }, "继续教育学时汇总"),
      h(
        "dl",
        { class: "ce-print-head__facts" },
        facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
      ),
      marks ? h("p", { class: "ce-print-head__reading" }, h("strong", {}, NON_DEFAULT), "：", marks, "。") : null,
      h(
        "p",
        { class: "ce-print-head__date" },
        `生成日期：${date} · 本汇总由本站自助核算工具按已发布政策计算，仅供自查参考，以主管部门审核认定为准。`,
      ),
    ]);
  }
}
