/**
 * The worker threads that impact analyses and verifications run in: started when a job first
 * needs them and kept, idle, until none has run for `IDLE_MS`. Starting a thread and loading the
 * code into it cost a job most of a second of a core per thread under tsx (a quarter of that
 * compiled), and its code ran cold each time; a kept thread runs the next job at once, on code the
 * JIT has already optimised. But an idle thread holds its isolate (its heap grown by the last job,
 * its code: 60–100 MB under tsx, 30–40 compiled), which a server that runs a job now and then
 * should not carry for hours: an officer's analyses come in bursts, and the next burst pays one
 * start. One pool per process, shared by every server in it (tests start many).
 *
 * Each thread takes the lowest scheduling priority (`background`, see server/worker.boot.mjs): these
 * jobs run beside the API, whose answers must not wait for a core behind them; with nothing else
 * to run, they still get every core.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** The jobs a pooled thread can run (see server/pool-worker.ts). */
export type PoolTaskKind = 'impact' | 'verify';

/** What a pooled thread posts: a task's own message, or that the task ended (with its error). */
export type PoolMessage = { type: 'message'; message: unknown } | { type: 'end'; error?: string };

/** One task running on a pooled thread. */
export interface PoolRun {
  /** The thread it runs on (`Worker.threadId`). */
  threadId: number;
  /** Resolves when the task ended or was stopped; rejects when it failed or its thread died. */
  done: Promise<void>;
  /** Stops the task at once: its thread is ended (a task in the middle of a read has no other way out). */
  stop(): void;
}

/** Every worker thread's entry (it loads `workerData.entry`, see worker.boot.mjs). */
export const WORKER_BOOT = new URL('./worker.boot.mjs', import.meta.url);
/** Worker threads one job or batch uses at most, whatever the cores. */
export const MAX_WORKERS = 4;
/** An idle thread is ended after this long without a task (see the module comment). */
export const IDLE_MS = 30_000;

export class WorkerPool {
  /** The idle threads, the most recently used last, each with the timer that ends it (`idleMs`). */
  private readonly idle = new Map<Worker, NodeJS.Timeout>();
  private started = 0;

  /**
   * `keep`: idle threads kept at most; more, started while many jobs ran at once, are ended.
   * `idleMs`: how long a thread is kept without a task.
   */
  constructor(
    private readonly keep: number,
    private readonly idleMs = IDLE_MS,
  ) {}

  /** Runs a task on an idle thread, or a new one; `onMessage` gets the messages the task posts. */
  run<M>(kind: PoolTaskKind, task: unknown, onMessage: (message: M) => void): PoolRun {
    const worker = this.takeIdle() ?? this.start();
    worker.ref();
    let stopped = false;
    const done = new Promise<void>((resolve, reject) => {
      const detach = () => {
        worker.off('message', message);
        worker.off('error', error);
        worker.off('exit', exit);
      };
      const message = (m: PoolMessage) => {
        if (m.type === 'message') return onMessage(m.message as M);
        detach();
        this.release(worker);
        if (m.error === undefined) resolve();
        else reject(new Error(m.error));
      };
      const error = (e: Error) => {
        detach();
        reject(e);
      };
      const exit = (code: number) => {
        detach();
        if (stopped) resolve();
        else reject(new Error(`Een rekenthread stopte onverwacht (code ${code}).`));
      };
      worker.on('message', message);
      worker.on('error', error);
      worker.on('exit', exit);
    });
    worker.postMessage({ kind, task });
    return {
      threadId: worker.threadId,
      done,
      stop: () => {
        if (stopped) return;
        stopped = true;
        void worker.terminate();
      },
    };
  }

  /**
   * Starts threads until `count` are idle, without waiting for them to load: a server that will
   * need them (a large log) pays for starting them when it starts, not in its first job. They are
   * idle threads like any: ended after `idleMs` without a task.
   */
  warm(count: number): void {
    while (this.idle.size < Math.min(count, this.keep)) this.release(this.start());
  }

  private start(): Worker {
    this.started++;
    const worker = new Worker(WORKER_BOOT, { workerData: { entry: './pool-worker.ts', background: true } });
    // an idle thread that fails (loading its code, say) must not take the process with it: it
    // ends, and is no longer handed out; a task running on it learns by its own listeners
    worker.on('error', () => {});
    worker.on('exit', () => this.forget(worker));
    return worker;
  }

  /** The most recently used idle thread (its code the warmest), no longer idle. */
  private takeIdle(): Worker | undefined {
    const worker = [...this.idle.keys()].at(-1);
    if (worker) this.forget(worker);
    return worker;
  }

  private forget(worker: Worker) {
    clearTimeout(this.idle.get(worker));
    this.idle.delete(worker);
  }

  private release(worker: Worker) {
    if (this.idle.size >= this.keep) {
      void worker.terminate();
      return;
    }
    // idle, it does not keep the process alive, and neither does its timer
    worker.unref();
    const timer = setTimeout(() => {
      this.forget(worker);
      void worker.terminate();
    }, this.idleMs);
    timer.unref();
    this.idle.set(worker, timer);
  }

  /** How many threads wait for a task. */
  get idleThreads(): number {
    return this.idle.size;
  }

  /** How many threads the pool has started in its life (a kept thread runs a task without one). */
  get threadsStarted(): number {
    return this.started;
  }

  /** Ends the idle threads (the running ones end with their tasks). */
  async close(): Promise<void> {
    const idle = [...this.idle.keys()];
    for (const worker of idle) this.forget(worker);
    await Promise.all(idle.map((w) => w.terminate()));
  }
}

let shared: WorkerPool | undefined;

/** The process's pool: up to a thread per core kept idle between jobs. */
export function workerPool(): WorkerPool {
  return (shared ??= new WorkerPool(availableParallelism()));
}
