// The batch page's engine: a worker of its own running the checker's worker script
// (checker-worker.js, methods batch_*; protocol described there), booted with the standard
// library the batch needs (build info `batch_stdlib_url`). The checker's Engine does the boot,
// the watchdog and the error reporting; this adds the batch's progress messages.
import { Engine } from "../checker/engine.js";

// A cancel the worker has not acknowledged in this time (it is reading the file, one long
// call into Python): the worker is ended and a fresh one boots.
export const CANCEL_GRACE_MS = 800;

export class BatchEngine extends Engine {
  constructor(build, options) {
    super({ ...build, stdlib_url: build.batch_stdlib_url || build.stdlib_url }, options);
  }

  spawn() {
    this.progress = new Map(); // call id -> fn({stage, done, total})
    super.spawn();
  }

  onMessage(msg) {
    if (msg?.type === "batch") {
      this.progress.get(msg.id)?.(msg);
      return;
    }
    super.onMessage(msg);
  }

  // The view of the file's batch (an object: see ruleset/batch/page.py view_json); onProgress
  // hears {stage: "read" | "check", done, total}. Rejects with a Chinese message.
  async start(bytes, siteURL, onProgress) {
    const id = this.nextId;
    this.progress.set(id, onProgress);
    try {
      return JSON.parse(await this.call("batch_start", { data: bytes, siteURL }));
    } finally {
      this.progress.delete(id);
    }
  }

  // Stops the running batch; resolves once it has stopped (a worker that does not answer in
  // CANCEL_GRACE_MS is replaced by a fresh one).
  async cancel(running) {
    this.call("batch_cancel").catch(() => {});
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => resolve("late"), CANCEL_GRACE_MS);
    });
    const settled = running.then(
      () => "done",
      () => "done",
    );
    const how = await Promise.race([settled, late]);
    clearTimeout(timer);
    if (how === "late") this.retry();
  }

  async cases(indexes) {
    return JSON.parse(await this.call("batch_cases", { arg: JSON.stringify(indexes) }));
  }

  // Uint8Array (xlsx) or [[table name, Uint8Array], …] (csv).
  export(format) {
    return this.call("batch_export", { format });
  }
}
