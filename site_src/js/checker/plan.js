// 补足建议 (the result's `plan`, present when the title application is not met): for each
// year of the window that falls short, what the engine found could still close it: its
// suggestion (with a button that adds the suggested activities to the case), the common
// activities that would count with their gain per step and clause, the rules that deem a
// year complete, and the years that are already past.
import { sourceHref } from "./assets.js";
import { h, num } from "./dom.js";
import { NON_DEFAULT } from "./readings.js";

const TOTAL = ["total", "合计"];

export class PlanView {
  // vocab: the Vocabulary; addActivities(activities, year): appends them to the case.
  constructor(vocab, addActivities) {
    this.vocab = vocab;
    this.addActivities = addActivities;
  }

  link(source, text) {
    const href = sourceHref(source);
    return href ? h("a", { href, class: "ce-source" }, text) : null;
  }

  // The name of the notice a clause link (`policies/<id>/#<anchor>`) points into.
  policyOf(source) {
    return this.vocab.policyName((source || "").split("/")[1]) ?? "依据";
  }

  // The block for a result's plan; nonDefault: the reading state says a non-default reading was used.
  render(plan, readingState) {
    const years = (plan.years || []).map((y, k) => [y, k]);
    const past = years.filter(([y]) => y.past);
    return h(
      "section",
      { class: "ce-plan", "aria-labelledby": "ce-h-plan" },
      h(
        "h3",
        { id: "ce-h-plan", class: "ce-plan__head" },
        "补足建议",
        readingState.any
          ? [" ", h("span", { class: "ce-tag ce-tag--reading", title: readingState.summary() }, NON_DEFAULT)]
          : null,
      ),
      plan.explanation ? h("p", { class: "ce-plan__explain" }, plan.explanation) : null,
      years.filter(([y]) => !y.past).map(([y, k]) => this.renderYear(y, k)),
      past.length
        ? h(
            "div",
            { class: "ce-plan__past" },
            h("h4", { class: "ce-plan__year-head" }, "已过去、无法再补的年度"),
            h(
              "ul",
              {},
              past.map(([y, k]) => this.renderPastYear(y, k)),
            ),
          )
        : null,
      h(
        "p",
        { class: "ce-plan__note" },
        "以上建议由规则数据试算得出，仅说明还能按哪些条款计入多少学时；实际参加的活动以主办单位证明和审验部门认定为准。",
      ),
    );
  }

  shortfall(y, k) {
    const p = `plan.years.${k}.shortfall`;
    const parts = [...this.vocab.subjects, TOTAL]
      .filter(([key]) => y.shortfall?.[key] > 0)
      .map(([key, zh], i) => [i ? "，" : "", `${zh}差 `, num(`${p}.${key}`, y.shortfall[key])]);
    return parts.length ? [parts, ` ${this.vocab.unitLabel(y.unit)}`] : "未达标";
  }

  // A year that is over: said plainly, with what it lacks.
  renderPastYear(y, k) {
    return h(
      "li",
      { class: "ce-plan__year ce-plan__year--past", dataset: { year: String(y.year), past: "true" } },
      h("span", { class: "ce-tag ce-tag--past" }, "已过去"),
      " ",
      y.explanation || `${y.year} 年`,
      "（",
      this.shortfall(y, k),
      "）",
    );
  }

  renderYear(y, k) {
    const head = h("h4", { class: "ce-plan__year-head" }, `${y.year} 年：`, this.shortfall(y, k));
    const s = y.suggestion;
    return h(
      "div",
      { class: "ce-plan__year", dataset: { year: String(y.year), past: "false" } },
      head,
      s ? this.renderSuggestion(y, s) : h("p", { class: "ce-plan__none" }, y.explanation || ""),
      y.options?.length ? this.renderOptions(y, k) : null,
      y.deemed?.length ? this.renderDeemed(y) : null,
    );
  }

  renderSuggestion(y, s) {
    const add = () =>
      this.addActivities(
        s.activities.map((a) => a.activity),
        y.year,
      );
    return h(
      "div",
      { class: `ce-plan__suggest${s.closes ? " ce-plan__suggest--closes" : ""}` },
      h("p", {}, h("span", { class: `ce-tag ${s.closes ? "ce-tag--ok" : "ce-tag--warn"}` }, "建议"), " ", s.text),
      h(
        "p",
        { class: "ce-plan__actions" },
        h(
          "button",
          {
            type: "button",
            class: "md-button ce-btn",
            dataset: { action: "add-plan", year: String(y.year) },
            onclick: add,
          },
          "加入这些活动",
        ),
        h(
          "span",
          { class: "ce-plan__hint" },
          s.closes
            ? `加入后 ${y.year} 年即可达标；请按实际参加的活动修改名称、学时或天数。`
            : `加入后 ${y.year} 年仍未达标（受上限或科目限制）。`,
        ),
      ),
    );
  }

  renderOptions(y, k) {
    const unit = this.vocab.unitLabel(y.unit);
    return h(
      "details",
      { class: "ce-plan__options" },
      h("summary", {}, `该年度还可计入的常见活动（${y.options.length} 项）`),
      h(
        "ul",
        {},
        y.options.map((o, j) => {
          const p = `plan.years.${k}.options.${j}.per_step`;
          const scale = this.vocab.activitySpec(o.kind, o.scale);
          const gains = this.vocab.subjects
            .filter(([key]) => o.per_step?.[key])
            .map(([key, zh], i) => [i ? "，" : "", `${zh} `, num(`${p}.${key}`, o.per_step[key])]);
          return h(
            "li",
            { dataset: { kind: o.kind } },
            h("strong", {}, o.label),
            `：每 ${o.step} ${scale["x-unit"] || scale.title || ""} 计入 `,
            gains,
            ` ${unit}`,
            " ",
            this.link(o.source, this.policyOf(o.source)),
            (o.limited_by || []).map((text) =>
              h("span", { class: "ce-plan__limit" }, h("span", { class: "ce-tag ce-tag--cap" }, "上限"), " ", text),
            ),
            o.evidence ? h("span", { class: "ce-plan__evidence" }, `需留存：${o.evidence}`) : null,
          );
        }),
      ),
    );
  }

  renderDeemed(y) {
    return h(
      "details",
      { class: "ce-plan__deemed" },
      h("summary", {}, `视同完成的规定（${y.deemed.length} 项）`),
      h(
        "ul",
        {},
        y.deemed.map((d) =>
          h(
            "li",
            { dataset: { kind: d.kind } },
            h("strong", {}, d.label),
            "：",
            d.explanation || "",
            " ",
            this.link(d.source, this.policyOf(d.source)),
          ),
        ),
      ),
    );
  }
}
