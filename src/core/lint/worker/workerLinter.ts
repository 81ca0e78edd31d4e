import { Worker } from 'node:worker_threads';
import type { Catalogue } from '../../catalogue/catalogue';
import { limitDiagnostic } from '../limitCodes';
import type { LintOptions, LintResult } from '../ruleContext';
import { fromPlainModel, LintReply, LintRequest, PlainCatalogue } from './protocol';
import type { ComposeModel } from '../../compose/model';

/** A job was replaced by a newer one for the same document (or the linter was disposed). */
export class LintCancelledError extends Error {
  constructor() {
    super('analysis cancelled by a newer edit');
    this.name = 'LintCancelledError';
  }
}

export interface WorkerLinterOptions {
  /** dist/lintWorker.js */
  script: string;
  /** Parses the Document again on the host when a caller asks for model.doc. */
  parse: (text: string) => ComposeModel['doc'];
  /**
   * The shipped catalogue (from the checker's bundle, like `parse`): sent to the worker as the word
   * "default" instead of a copy. Taken as an option so the data is not part of activation.
   */
  defaultCatalogue?: () => Catalogue;
  /** A job taking longer is stopped and reported (the budgets make this a safety net only). */
  timeoutMs?: number;
  /** Heap of one worker: a runaway analysis ends the worker, never the extension host. */
  maxOldGenerationSizeMb?: number;
}

interface Slot {
  worker: Worker;
  catalogue?: Catalogue;
  job?: { id: number; resolve: (r: LintReply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
}

/**
 * Lints documents in worker threads, one worker per document key. A new request for a key
 * whose previous one is still running terminates that worker (the only way to stop synchronous
 * work) and rejects the old request with LintCancelledError; an idle worker is reused.
 */
export class WorkerLinter {
  private readonly slots = new Map<string, Slot>();
  private nextId = 1;

  constructor(private readonly options: WorkerLinterOptions) {}

  /** @param timeoutMs this job's time limit (default: the linter's, 20 s). */
  lint(key: string, text: string, options: LintOptions, timeoutMs = this.options.timeoutMs ?? 20_000): Promise<LintResult> {
    let slot = this.slots.get(key);
    if (slot?.job) {
      this.stop(key, new LintCancelledError());
      slot = undefined;
    }
    if (!slot) slot = this.start(key);
    const s = slot;
    const id = this.nextId++;
    const { catalogue, ...rest } = options;
    const req: LintRequest = { id, text, options: rest };
    if (s.catalogue !== catalogue) {
      req.catalogue = catalogue === this.options.defaultCatalogue?.() ? 'default' : ({ ...catalogue } as unknown as PlainCatalogue);
      s.catalogue = catalogue;
    }
    return new Promise<LintReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.stop(key);
        resolve({ id, ok: true, diagnostics: [tooSlow(text, timeoutMs)], model: emptyModel() });
      }, timeoutMs);
      s.job = { id, resolve, reject, timer };
      s.worker.postMessage(req);
    }).then((reply) => {
      if (!reply.ok) throw new Error(`the checker failed: ${reply.error}`);
      return { model: fromPlainModel(reply.model, text, this.options.parse), diagnostics: reply.diagnostics };
    });
  }

  /** Stops a document's job and worker (closed document). */
  cancel(key: string): void {
    this.stop(key, new LintCancelledError());
  }

  dispose(): void {
    for (const key of [...this.slots.keys()]) this.stop(key, new LintCancelledError());
  }

  /** Workers alive, for tests. */
  get size(): number {
    return this.slots.size;
  }

  private start(key: string): Slot {
    const worker = new Worker(this.options.script, { resourceLimits: { maxOldGenerationSizeMb: this.options.maxOldGenerationSizeMb ?? 1024 } });
    const slot: Slot = { worker };
    worker.on('message', (reply: LintReply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      clearTimeout(job.timer);
      slot.job = undefined;
      job.resolve(reply);
    });
    const fail = (err: Error) => {
      if (this.slots.get(key) === slot) this.slots.delete(key);
      const job = slot.job;
      slot.job = undefined;
      if (job) {
        clearTimeout(job.timer);
        job.reject(new Error(`the checker stopped: ${err.message}`));
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
    // An idle worker must not keep a process (the CLI, a test) alive.
    worker.unref();
    this.slots.set(key, slot);
    return slot;
  }

  private stop(key: string, reason?: Error): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    this.slots.delete(key);
    const job = slot.job;
    slot.job = undefined;
    if (job) {
      clearTimeout(job.timer);
      if (reason) job.reject(reason);
    }
    void slot.worker.terminate();
  }
}

function tooSlow(text: string, ms: number) {
  return limitDiagnostic('analysis-limit', { start: 0, end: Math.min(1, text.length) }, `Not checked: the analysis took longer than ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`} and was stopped.`);
}

function emptyModel() {
  return { services: [], shadowedServices: [], variables: [], declared: { networks: [], volumes: [] } };
}
