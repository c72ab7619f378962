// The checker's state for the whole visit, kept on window.__ceChecker: Material's instant
// navigation swaps page content without reloading the document, and the engine (a worker
// running Pyodide), the loaded schema and metadata and the case being edited outlive it.
//   started   the module has set up its listeners (once per document)
//   engine    the Engine (engine.js), created the first time it is needed
//   assets    promise of {build, schema, metadata} (assets.js)
//   view      the View attached to the page's <div id="ce-checker">, if any
//   caseData  the case being edited (the object the form edits in place)
window.__ceChecker ??= { started: false, engine: null, assets: null, view: null, caseData: null };
export const app = window.__ceChecker;
