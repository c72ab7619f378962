// The batch page's workers: a main one (its state is what the page shows as the engine's) and,
// on a machine with more cores, helpers, booted with it. Each worker that is ready reads the
// whole file; the people are then checked in chunks handed to whichever worker is free (a helper
// that becomes ready during a batch joins it), and each chunk's rows come back as it is done.
// The main worker makes the problems' list and the exports (with the helpers' chunks as they
// render them; a chunk it cannot get, it checks again), and gives the cases.
import { BatchEngine } from "./engine.js";

// A cancel the main worker has not acknowledged in this time (it is reading the file, one long
// call into Python): it is ended and a fresh one boots.
export const CANCEL_GRACE_MS = 800;
export const MAX_WORKERS = 3;
// Device memory (GB, as the browser reports it) a worker may count on: each holds a Pyodide and
// its own copy of the file, a few hundred MB for a large unit; a 2 GB phone runs one.
const GB_A_WORKER = 2;

// How many workers this device runs: one a core, at most MAX_WORKERS, fewer where the browser says
// memory is short (navigator.deviceMemory; where it says nothing, the cores decide).
function workerCount(nav = navigator) {
  const cores = nav.hardwareConcurrency || 1;
  const memory = Number(nav.deviceMemory);
  const byMemory = memory > 0 ? Math.max(1, Math.floor(memory / GB_A_WORKER)) : Number.POSITIVE_INFINITY;
  return Math.max(1, Math.min(MAX_WORKERS, cores, byMemory));
}
const CHUNKS_A_WORKER = 8; // chunks per worker in a batch (so that a late or slow one still helps)
const CHUNK_MIN = 10;
const CHUNK_MAX = 200; // people a call: about 0.1 s of Python in a phone's browser
const IN_FLIGHT = 2; // calls queued at each worker, so that it never waits for the next chunk
// A helper whose chunk takes this long is taken for dead: ended (and booted afresh), its chunk redone.
const HELPER_CHUNK_MS = 30_000;

function timed(promise, ms) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// Resolves once the engine is ready; rejects if it fails first.
function whenReady(engine) {
  return new Promise((resolve, reject) => {
    let off = null;
    const seen = (e) => {
      if (e.ready) resolve(e);
      else if (e.stage === "error") reject(new Error(e.error));
      else return;
      off?.();
    };
    off = engine.subscribe(seen);
    if (engine.ready || engine.stage === "error") off();
  });
}

export class BatchPool {
  constructor(build, options) {
    this.main = new BatchEngine(build, options);
    const n = workerCount();
    this.helpers = Array.from({ length: n - 1 }, () => new BatchEngine(build, options));
    this.runs = 0;
    this.current = null; // {token, cancelled, owners: Set of helpers that checked chunks}
  }

  get engines() {
    return [this.main, ...this.helpers];
  }

  // The page's engine status is the main worker's.
  subscribe(fn) {
    return this.main.subscribe(fn);
  }

  retry() {
    this.main.retry();
  }

  // fn hears how many of the workers are ready, whenever one's state changes; returns an unsubscribe.
  subscribeReady(fn) {
    const offs = this.engines.map((e) => e.subscribe(() => fn(this.engines.filter((x) => x.ready).length)));
    return () => {
      for (const off of offs) off();
    };
  }

  destroy() {
    for (const e of this.engines) e.worker.terminate();
  }

  // The batch's view {headers, people, problems, workers} (see ruleset/batch/page.py); people are
  // made by entry(headers, {row, years}, index) as their chunk comes in; onProgress hears {stage:
  // "read" | "check", done, total}. Rejects with a Chinese message.
  async start(bytes, siteURL, onProgress, entry = (_headers, p) => p) {
    if (this.current) this.current.cancelled = true;
    const run = { token: `b${++this.runs}`, cancelled: false, finished: false, owners: new Set() };
    this.current = run;
    const stale = () => run.cancelled || this.current !== run;
    const idle = () => stale() || run.finished;

    // Every ready worker reads the file at once (a helper still booting does once it is ready).
    const opened = this.main.open(bytes, siteURL, run.token, onProgress);
    const helpersOpened = this.helpers.map((helper) =>
      whenReady(helper).then(() => (idle() ? null : helper.open(bytes, siteURL, run.token))),
    );
    for (const o of helpersOpened) o.catch(() => null);
    const { total, headers } = await opened;
    if (stale()) throw new Error("已取消");
    const people = new Array(total);
    const others = []; // the helpers' chunks' problems
    const workers = Math.max(1, this.engines.length);
    const size = Math.min(CHUNK_MAX, Math.max(CHUNK_MIN, Math.ceil(total / (workers * CHUNKS_A_WORKER))));
    const redo = []; // chunks a helper failed to check
    let next = 0;
    let done = 0;
    const take = () => {
      if (redo.length) return redo.pop();
      if (next >= total) return null;
      const chunk = [next, Math.min(total, next + size)];
      next = chunk[1];
      return chunk;
    };
    onProgress({ stage: "check", done, total });
    const loop = async (engine, isMain) => {
      for (let chunk = take(); chunk && !stale(); chunk = take()) {
        let part;
        try {
          const call = engine.check(chunk[0], chunk[1], run.token);
          part = await (isMain ? call : timed(call, HELPER_CHUNK_MS));
        } catch (err) {
          if (isMain) throw err;
          redo.push(chunk); // a helper's failure: another worker checks it
          run.owners.delete(engine); // (its other chunks are checked again for the exports)
          if (err.message === "timeout") engine.retry();
          return;
        }
        if (stale()) return;
        part.people.forEach((p, i) => {
          people[chunk[0] + i] = entry(headers, p, chunk[0] + i);
        });
        if (!isMain) {
          others.push(part.problems);
          run.owners.add(engine);
        }
        done += chunk[1] - chunk[0];
        onProgress({ stage: "check", done, total });
      }
    };
    // Helpers read the file too (in parallel with the main worker's reading, or once ready).
    const helping = this.helpers.map((helper, i) =>
      helpersOpened[i]
        .then((ok) =>
          ok && !idle() ? Promise.all(Array.from({ length: IN_FLIGHT }, () => loop(helper, false))) : null,
        )
        .catch(() => null),
    );
    try {
      await Promise.all(Array.from({ length: IN_FLIGHT }, () => loop(this.main, true)));
      // The main worker is out of chunks: what the helpers still hold comes in, or is redone here.
      while (!stale() && done < total) {
        await Promise.race([Promise.all(helping), new Promise((r) => setTimeout(r, 50))]);
        if (redo.length) await loop(this.main, true);
      }
    } catch (err) {
      run.cancelled = true; // (the helpers stop)
      throw err;
    }
    run.finished = true;
    if (stale()) throw new Error("已取消");
    const problems = await this.main.problems(others, run.token);
    if (stale()) throw new Error("已取消");
    return { headers, people, problems, workers: 1 + run.owners.size };
  }

  // Stops the running batch; resolves once it has stopped (a main worker that does not answer in
  // CANCEL_GRACE_MS is replaced by a fresh one).
  async cancel(running) {
    if (this.current) this.current.cancelled = true;
    for (const e of this.engines) e.cancel();
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
    if (how === "late") this.main.retry();
  }

  async cases(indexes) {
    return this.main.cases(indexes, this.current?.token);
  }

  // Uint8Array (xlsx) or [[table name, Uint8Array], …] (csv) of the last batch, from the main
  // worker with the helpers' chunks.
  async export(format) {
    const run = this.current;
    const parts = await Promise.all([...(run?.owners || [])].map((h) => h.rendered(run.token).catch(() => null)));
    return this.main.export(
      format,
      parts.filter((p) => p),
      run?.token,
    );
  }
}
