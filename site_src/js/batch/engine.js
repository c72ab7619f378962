// One worker of the batch page: the checker's worker script (checker-worker.js, methods batch_*;
// protocol described there), booted like the checker's (same standard library and wheel), then
// prepared for batches (batch_prepare: the few standard-library modules the batch needs beside the
// checker's, build info `batch_modules_url`, and openpyxl). The checker's Engine does the boot,
// the watchdog and the error reporting; this adds the preparation (the engine is ready once it is
// done), the batch's progress messages and the calls. The page runs several (pool.js).
import { Engine } from "../checker/engine.js";

export class BatchEngine extends Engine {
  spawn() {
    this.progress = new Map(); // call id -> fn({stage, done, total})
    this.prepared = false;
    super.spawn();
  }

  modulesURL() {
    return this.build.batch_modules_url ? new URL(this.build.batch_modules_url, this.root).href : undefined;
  }

  onMessage(msg) {
    if (msg?.type === "batch") {
      this.progress.get(msg.id)?.(msg);
      return;
    }
    if (msg?.type === "stage" && msg.stage === "ready" && !this.prepared) {
      // Ready for the page once the batch's own modules are in too.
      const worker = this.worker;
      this.call("batch_prepare", { modulesURL: this.modulesURL() }).then(
        () => {
          if (this.worker !== worker) return;
          this.prepared = true;
          super.onMessage(msg);
        },
        (err) => {
          if (this.worker === worker) this.fail(err.message);
        },
      );
      return;
    }
    super.onMessage(msg);
  }

  // Reads the file: {total, headers}; onProgress hears {stage: "read", done, total}. Rejects with a
  // Chinese message.
  async open(bytes, siteURL, token, onProgress) {
    const id = this.nextId;
    if (onProgress) this.progress.set(id, onProgress);
    try {
      return JSON.parse(await this.call("batch_open", { data: bytes, siteURL, token, modulesURL: this.modulesURL() }));
    } finally {
      this.progress.delete(id);
    }
  }

  // People start..stop-1: {people: [{row, years}], problems: [[…], …]}.
  async check(start, stop, token) {
    return JSON.parse(await this.call("batch_check", { start, stop, token }));
  }

  async problems(others, token) {
    return JSON.parse(await this.call("batch_problems", { arg: JSON.stringify(others), token }));
  }

  rendered(token) {
    return this.call("batch_rendered", { token });
  }

  async cases(indexes, token) {
    return JSON.parse(await this.call("batch_cases", { arg: JSON.stringify(indexes), token }));
  }

  // Uint8Array (xlsx) or [[table name, Uint8Array], …] (csv); parts: other workers' rendered().
  export(format, parts, token) {
    return this.call("batch_export", { format, parts, token });
  }

  cancel() {
    return this.call("batch_cancel").catch(() => {});
  }
}
