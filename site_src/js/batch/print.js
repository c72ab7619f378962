// The printable summary: one page per person (name, region, target title, each year against
// its requirement, the title-application verdict), shown only when printing (batch.css).
import { fill, h } from "../checker/dom.js";
import { num, yearVerdict } from "./model.js";

export function printPeople(el, people, fileName) {
  const printed = new Date().toLocaleDateString("zh-CN");
  fill(
    el,
    people.map((p) => {
      const person = p.person;
      const years = [...p.years.values()];
      return h(
        "section",
        { class: "ce-batch-print__person" },
        h("h2", {}, `继续教育学时核算汇总：${person.人员 ?? ""}`),
        h(
          "p",
          {},
          `地区：${person.地区 ?? "—"}　拟申报职称：${person.拟申报职称层级 ?? "—"}　申报年度：${person.申报年度 ?? "—"}　核查年度：${person.核查年度 ?? "—"}`,
        ),
        years.length
          ? h(
              "table",
              {},
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  ["年度", "单位", "公需", "专业", "合计", "要求（公需+专业=合计）", "结论"].map((t) => h("th", {}, t)),
                ),
              ),
              h(
                "tbody",
                {},
                years.map((y) =>
                  h(
                    "tr",
                    {},
                    h("td", {}, String(y.年度)),
                    h("td", {}, y.单位 ?? ""),
                    h("td", {}, num(y.公需)),
                    h("td", {}, num(y.专业)),
                    h("td", {}, num(y.合计)),
                    h("td", {}, y.要求合计 == null ? "—" : `${num(y.要求公需)}+${num(y.要求专业)}=${num(y.要求合计)}`),
                    h("td", {}, [yearVerdict(y), y.视同完成 ? `（${y.视同完成}视同完成）` : ""].join("")),
                  ),
                ),
              ),
            )
          : h("p", {}, person.核算状态 || "没有可核算的年度"),
        h(
          "p",
          {},
          h("strong", {}, `职称申报：${person.职称申报 ?? "—"}`),
          person.职称申报说明 ? `　${person.职称申报说明}` : "",
        ),
        h(
          "p",
          { class: "ce-batch-print__foot" },
          `来源文件：${fileName}　输入问题：${person.输入问题数 ?? 0} 处　打印日期：${printed}。`,
          "本汇总由“单位批量核算”按本站整理的政策条款计算，仅供参考，以主管部门审核认定为准。",
        ),
      );
    }),
  );
}
