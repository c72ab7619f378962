// Batch page (单位批量核算): the page script, bundled by esbuild into assets/js/batch.js
// (site_src/hooks/checker.py), which loads it only on pages with <div id="ce-batch">, inside
// the page content: Material's instant navigation runs a content script again when it swaps
// the page in, but a module runs once per document, so the view is attached on every
// `document$` emission that shows the batch page.
import { pageBuild } from "../checker/assets.js";
import { BatchView } from "./view.js";

const SCRIPT_URL = new URL(import.meta.url);
const ROOT = new URL("../../", SCRIPT_URL); // the site root (this script is assets/js/batch.js)

window.__ceBatch ??= { started: false, view: null };
const app = window.__ceBatch;

async function fetchJSON(path) {
  const response = await fetch(new URL(path, ROOT));
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function attach() {
  const el = document.getElementById("ce-batch");
  if (app.view && (!el || app.view.el !== el || !el.isConnected)) {
    app.view.destroy();
    app.view = null;
  }
  if (!el || app.view) return;
  const build = pageBuild();
  if (!build) {
    el.textContent = "页面缺少运行环境信息（ce-checker），无法启动批量核算。";
    return;
  }
  const metadata = fetchJSON(build.metadata_url).catch(() => null);
  const schema = fetchJSON(build.schema_url).catch(() => null);
  app.view = new BatchView(el, { build, root: ROOT, scriptURL: SCRIPT_URL, metadata, schema });
}

if (!app.started) {
  app.started = true;
  const subscribe = () => {
    const doc$ = window.document$;
    if (doc$ && typeof doc$.subscribe === "function") doc$.subscribe(() => attach());
    else attach();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", subscribe, { once: true });
  else subscribe();
}
