// The batch's results as the page shows them: one entry per person from the core's rows
// (ruleset/batch/report.py: the 人员汇总 row and the 年度核算 rows, cells exactly as the
// exports write them), and the filters and sort orders of the table. No DOM here.

// The cells of a row by their column header (the core's headers).
function byHeader(header, row) {
  const out = {};
  header.forEach((name, i) => {
    out[name] = row[i] ?? null;
  });
  return out;
}

// One person of the view as the page uses it: {index, person: {header: cell}, years: Map(year ->
// {header: cell})} (made as each chunk of people comes in: see pool.js).
export function personEntry(headers, entry, index) {
  const person = byHeader(headers.人员汇总, entry.row);
  const byYear = new Map();
  for (const row of entry.years) {
    const y = byHeader(headers.年度核算, row);
    if (y.年度 == null) continue; // not computed, or no year to check
    byYear.set(y.年度, y);
  }
  return { index, person, years: byYear };
}

// {people: [entry], problems, years, titles, headers}: the years and titles that occur, from the
// view the workers sent (its people as they came, or already made entries).
export function buildModel(view) {
  const years = new Set();
  const titles = new Set();
  const people = view.people.map((entry, index) => {
    const p = entry.person ? entry : personEntry(view.headers, entry, index);
    for (const y of p.years.keys()) years.add(y);
    if (p.person.拟申报职称层级) titles.add(p.person.拟申报职称层级);
    return p;
  });
  const problems = view.problems.map((row) => byHeader(view.headers.输入问题, row));
  return {
    people,
    problems,
    years: [...years].sort((a, b) => a - b),
    titles: [...titles],
    headers: view.headers,
  };
}

// Whether the person was computed.
export function computed(entry) {
  return !String(entry.person.核算状态 || "").startsWith("未核算");
}

// Whether the person needs attention: a year not met (the given year, or any), or not computed.
export function unmet(entry, year = null) {
  if (!computed(entry)) return true;
  if (year != null) return entry.years.get(year)?.结论 === "未达标";
  for (const y of entry.years.values()) if (y.结论 === "未达标") return true;
  return false;
}

// The people the filters keep: {unmetOnly, year (number or null), title (label or ""), text}.
export function filterPeople(people, { unmetOnly = false, year = null, title = "", text = "" } = {}) {
  const needle = text.trim();
  return people.filter(
    (p) =>
      (!unmetOnly || unmet(p, year)) &&
      (!title || p.person.拟申报职称层级 === title) &&
      (!needle || String(p.person.人员 ?? "").includes(needle)),
  );
}

const collator = new Intl.Collator("zh-CN", { numeric: true });

// The value a column sorts by: a column of the 人员汇总 row, or "year:<y>" (that year's total).
function sortValue(entry, key) {
  if (key.startsWith("year:")) return entry.years.get(Number(key.slice(5)))?.合计 ?? null;
  return entry.person[key] ?? null;
}

// A sorted copy; empty cells last in either direction.
export function sortPeople(people, key, descending = false) {
  if (!key) return people.slice();
  const sign = descending ? -1 : 1;
  return people.slice().sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x == null || x === "") return y == null || y === "" ? a.index - b.index : 1;
    if (y == null || y === "") return -1;
    const order = typeof x === "number" && typeof y === "number" ? x - y : collator.compare(String(x), String(y));
    return order ? sign * order : a.index - b.index;
  });
}

// A number as the page prints it (the exports' cells are exact: integers or decimals).
export function num(value) {
  return value == null ? "—" : String(value);
}

// One year of a person in words: [line, …] and whether the year is met.
// (done/required, or done alone in a year without a yearly requirement)
export function yearLines(y) {
  const required = y.要求合计 != null || y.要求公需 != null || y.要求专业 != null;
  const part = (done, need) => (required ? `${num(done)}/${num(need)}` : num(done));
  return [`公需 ${part(y.公需, y.要求公需)}`, `专业 ${part(y.专业, y.要求专业)}`, `合计 ${part(y.合计, y.要求合计)}`];
}

export function yearVerdict(y) {
  if (y.结论 === "未达标") return `未达标，差 ${num(y.差公需)}/${num(y.差专业)}/${num(y.差合计)}`;
  return y.结论 || "";
}
