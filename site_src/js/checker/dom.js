// DOM helpers of the checker: element creation, keyed patching, shown numbers.

// An element with its properties and children: `class`, `text`, `dataset`, `on<event>`
// handlers, other keys as attributes (true as "", null/false left out); null/false
// children left out, arrays flattened.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Number.POSITIVE_INFINITY)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// Resolves in a later task: long work split at it never holds the page in one task.
export function nextTask() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

// Resolves in a task after the next frame has been produced (what the page changed before is
// on screen), or after 100 ms when no frame comes (a hidden page draws none).
export function afterPaint() {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0),
    );
  });
}

// replaceChildren() without the null/false placeholders that h() also skips.
export function fill(el, ...children) {
  el.replaceChildren(...children.flat(Number.POSITIVE_INFINITY).filter((c) => c != null && c !== false));
}

// fill() only when key differs from the key of what el shows now.
export function patch(el, key, render) {
  if (el.__ceKey === key) return;
  el.__ceKey = key;
  fill(el, ...render());
}

// Keyed children: el's children become nodes[i] for each [key, render] of `items`, a child
// whose key is unchanged is kept (by key anywhere, or only in its place when `inPlace`).
// (The item's key is kept in its own property: a node may also be patch()ed, with a key of its own.)
// Children no item keeps go first: left in place, each new node would go in before them, and
// every kept node after them would be moved (taken out and put back: restyled and laid out
// again, as after an edit that changed the first section).
export function patchChildren(el, items, { inPlace = false } = {}) {
  const old = new Map();
  if (!inPlace) {
    const keys = new Set(items.map(([key]) => key));
    for (const child of [...el.children]) {
      if (keys.has(child.__ceItem) && !old.has(child.__ceItem)) old.set(child.__ceItem, child);
      else child.remove();
    }
  }
  items.forEach(([key, render], i) => {
    const at = el.children[i];
    let node = inPlace ? (at && at.__ceItem === key ? at : null) : old.get(key);
    if (!node) {
      node = render();
      node.__ceItem = key;
    }
    if (at !== node) {
      if (inPlace && at) at.replaceWith(node);
      else el.insertBefore(node, at || null);
    }
  });
  while (el.children.length > items.length) el.lastElementChild.remove();
}

// A JSON value as the page prints it ("—" for none).
export function fmt(value) {
  if (value == null) return "—";
  return String(value);
}

// A number of the result document, tagged with its path in it (data-ce-num).
export function num(path, value) {
  return h("span", { class: "ce-num", dataset: { ceNum: path } }, fmt(value));
}

let uid = 0;

// An element id unique in the document.
export function uniqueId(base) {
  uid += 1;
  return `${base}-${uid}`;
}
