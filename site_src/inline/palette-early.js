// Inlined by site_src/hooks/checker.py on the pages that hold the checker, right after Material's
// own palette script (which applies a palette the reader chose and Material stored). With none
// stored, Material's bundle applies the scheme whose media query matches; on these pages the
// bundle runs after the form (site-after-form.js), so this applies it first, as the bundle would
// (the first matching palette, else the first): a reader whose system prefers dark never sees
// the light page first.
(() => {
  try {
    if (window.__md_get?.("__palette")?.color) return;
    const inputs = [...document.querySelectorAll("[data-md-component=palette] input[data-md-color-media]")];
    const input = inputs.find((i) => matchMedia(i.getAttribute("data-md-color-media")).matches) ?? inputs[0];
    if (!input) return;
    for (const key of ["media", "scheme", "primary", "accent"]) {
      document.body.setAttribute(`data-md-color-${key}`, input.getAttribute(`data-md-color-${key}`));
    }
  } catch {
    /* Material's bundle applies it when it runs */
  }
})();
