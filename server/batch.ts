/**
 * Batches: `POST /api/evaluate/batch` decides a stream of cases (NDJSON, one a line) and answers
 * a stream of results in input order, each a decision with its id in the log or a problem for
 * that line. Memory stays flat however long the stream, because every stage is bounded and pulls
 * from the one before:
 *
 * 1. the request body is read as a stream and split into lines (a line over `maxLineBytes` is
 *    skipped up to its end, never buffered) and the lines into chunks of `CHUNK_LINES` (or
 *    `CHUNK_CHARS`);
 * 2. chunks are decided in worker threads (`batchWorkers`: one per core but one), at most one per
 *    worker and `EXTRA_IN_FLIGHT` more at once: the body is read no faster than it is decided;
 * 3. the oldest chunk is logged in one transaction (`store.log.appendPrepared`), and only then are its
 *    results written to the response, which the client's reading paces in turn.
 *
 * The workers decide with the versions published when the batch started (a snapshot), whatever
 * is published while it runs: each decision records the versions it used, so a batch that
 * started before a publish reads as a batch of that moment. A client that goes away stops the
 * batch: the chunk being logged is finished, nothing after it is logged.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LineProblem, RuleSetDocument } from '../engine/index.js';
import { answerOf, readFrame, type ResultFrame } from './batch-frame.js';
import type { PreparedEntry } from './db/log.js';
import { problemOf, ProblemError } from './problems.js';
import type { RulesService } from './service.js';
import { MAX_WORKERS, WORKER_BOOT } from './worker-pool.js';

/** At most this many lines in one request (the README says so); line 1,000,001 is a 413 line. */
export const MAX_BATCH_LINES = 1_000_000;
/** Lines per chunk: one message to a worker, one transaction in the log. */
export const CHUNK_LINES = 500;
/**
 * A chunk is also sent on once its lines hold this many characters: with lines of up to the body
 * limit (1 MiB), 500 of them would be half a gigabyte in one message, far beyond a worker's heap.
 * Cases of ~1 KB fill a chunk by its line count long before.
 */
export const CHUNK_CHARS = 4 * 1024 * 1024;
/** A partial chunk is sent on when no more of the body has come for this long. */
const FLUSH_MS = 10;
/**
 * Each worker's old generation at most: its engine and a chunk or two in hand (at most
 * `CHUNK_CHARS` of text each) need far less. V8 lets a heap grow toward its limit before it
 * collects in earnest, so the limit is what a worker holds: over 1,000,000 lines the server's peak
 * memory was 421 MB with 96 MB here and a 32 MB young generation, 370 MB with 48 and 16, at the
 * same rate (a built server, one after the other; BENCHMARKS.md).
 */
const WORKER_HEAP_MB = 48;
/**
 * Each worker's young generation: a chunk's results (about 2.5 KB a line) live until the chunk is
 * posted, so every scavenge copies them; with 8 MB a worker scavenged every ~240 lines, ~2.5 s of
 * GC per 50,000 lines, with 32 MB a quarter as often (~1 s); 16 MB keeps most of that gain.
 * Measured again with one worker (a compiled server, 1,000,000 logged lines): 8 MB lowered the
 * peak by only 5–10 MB (256–258 MB against 260–268) for ~4% more CPU a case.
 */
const WORKER_YOUNG_MB = 16;
/**
 * Chunks decided or waiting to be logged, beyond one per worker: enough that no worker idles
 * while the oldest chunk is logged, few enough that decided chunks do not pile up in memory
 * while the log is the slower stage.
 */
const EXTRA_IN_FLIGHT = 1;

/**
 * The lines every batch in this process has read from its body, and answered (written to the
 * response, which waits while the client does not read), so far: their difference is what the
 * batches hold, which the stages above bound however slowly a client reads
 * (test/server/batch.test.ts holds it so for a client that stops reading).
 */
export const batchLines = { read: 0, answered: 0 };

/**
 * Chunks a batch holds at most, read and not yet answered: one deciding per worker,
 * `EXTRA_IN_FLIGHT` more, and the one being logged and written.
 */
export const maxChunksHeld = (workers: number) => workers + EXTRA_IN_FLIGHT + 1;

/**
 * The frames every batch in this process has had decided, and the buffers their workers made to
 * write them into (`FrameWriter.buffersMade`): the buffers go round (each is given back once its
 * chunk is answered), so the second stays at a few per worker however many chunks a batch has.
 */
export const batchFrames = { decided: 0, buffersMade: 0 };

/** What a batch worker is given (see batch-worker.ts). */
export interface BatchTask {
  documents: RuleSetDocument[];
  /** Published versions (`id@version`) changed after publishing: never decided with. */
  tampered: string[];
  trace: boolean;
  /** Whether results carry what the log needs (not on a dry run). */
  log: boolean;
}

/** A line as the reader found it: its text, or a problem already (too long). */
export type BatchItem = { line: number; text: string } | { line: number; problem: LineProblem };
export interface WorkerChunk {
  seq: number;
  items: BatchItem[];
}
/** What a batch worker is sent: a chunk to decide, or a frame's buffer given back (`FrameWriter.reuse`). */
export type WorkerRequest = WorkerChunk | { reuse: ArrayBuffer };
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'chunk'; seq: number; frame: ResultFrame; buffersMade: number }
  | { type: 'failed'; seq: number; message: string };

export interface BatchOptions {
  dryRun: boolean;
  trace: boolean;
  /** Who logs the decisions (`decidedBy`), as for a single evaluation. */
  by: string;
  /** Bytes per line at most: the single evaluation's body limit. */
  maxLineBytes: number;
  /** At most this many lines (default `MAX_BATCH_LINES`). */
  maxLines?: number;
  /** Worker threads (default: `batchWorkers()`). */
  workers?: number;
}

/**
 * The problem for a line the batch refuses before deciding it, too large or one too many (413):
 * made where every problem is (`problemOf`), so it reads like a refused request's.
 */
function lineProblem(code: string, title: string, message: string): LineProblem {
  return problemOf(new ProblemError(413, code, title, [{ path: '$', message, code }]));
}

/**
 * The body's lines, in chunks: a full chunk as soon as it is there, a partial one when the body
 * pauses (`FLUSH_MS`), so that a client that sends a line and waits for its answer gets it.
 * Blank lines are skipped (their numbers still count); a line over `maxLineBytes` becomes a
 * problem and is skipped to its end; after `maxLines` lines a last problem says the rest was not
 * read, and reading stops.
 */
export async function* chunksOf(
  body: ReadableStream<Uint8Array>,
  maxLineBytes: number,
  maxLines: number,
): AsyncGenerator<BatchItem[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let items: BatchItem[] = [];
  /** The characters of the lines in `items` (see `CHUNK_CHARS`). */
  let itemChars = 0;
  let line = 0;
  /** The current line's bytes so far (it may span reads). */
  let parts: Uint8Array[] = [];
  let partBytes = 0;
  let skipping = false;
  const TIMEOUT = Symbol('timeout');
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  try {
    for (;;) {
      pending ??= reader.read();
      let timer: NodeJS.Timeout | undefined;
      const next =
        items.length > 0
          ? await Promise.race([
              pending,
              new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), FLUSH_MS))),
            ])
          : await pending;
      clearTimeout(timer);
      if (next === TIMEOUT) {
        yield items;
        items = [];
        itemChars = 0;
        continue;
      }
      pending = undefined;
      const end = (bytes: Uint8Array | undefined) => {
        line++;
        if (skipping) {
          skipping = false;
          return;
        }
        const all = parts.length === 0 ? (bytes ?? new Uint8Array()) : Buffer.concat(bytes ? [...parts, bytes] : parts);
        parts = [];
        partBytes = 0;
        let text = decoder.decode(all);
        if (text.endsWith('\r')) text = text.slice(0, -1);
        if (text.trim() !== '') {
          items.push({ line, text });
          itemChars += text.length;
        }
      };
      if (next.done) {
        if (partBytes > 0 || skipping) end(undefined);
        break;
      }
      const chunk = next.value;
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, nl);
        if (!skipping && partBytes + piece.length > maxLineBytes) tooLong(piece.length);
        end(skipping ? undefined : piece);
        start = nl + 1;
        if (line >= maxLines) {
          if (start < chunk.length || !(await reader.read()).done) {
            items.push({ line: line + 1, problem: tooManyLines(maxLines) });
            yield items;
            return;
          }
        }
        if (items.length >= CHUNK_LINES || itemChars >= CHUNK_CHARS) {
          yield items;
          items = [];
          itemChars = 0;
        }
      }
      const rest = chunk.subarray(start);
      if (rest.length > 0 && !skipping) {
        if (partBytes + rest.length > maxLineBytes) tooLong(rest.length);
        else {
          parts.push(rest);
          partBytes += rest.length;
        }
      }
    }
    if (items.length > 0) yield items;
  } finally {
    // a batch stopped early (too many lines, the client gone): the rest of the body is not read
    void reader.cancel().catch(() => undefined);
  }

  function tooLong(bytes: number) {
    items.push({
      line: line + 1,
      problem: lineProblem(
        'LINE_TOO_LARGE',
        `Regel ${line + 1} is groter dan ${maxLineBytes} bytes.`,
        `Meer dan ${maxLineBytes} bytes (${partBytes + bytes} of meer); een casus per regel, zoals bij POST /api/evaluate.`,
      ),
    });
    parts = [];
    partBytes = 0;
    skipping = true;
  }
}

function tooManyLines(maxLines: number): LineProblem {
  return lineProblem(
    'TOO_MANY_LINES',
    `Een batch heeft hoogstens ${maxLines} regels; de rest is niet gelezen.`,
    `Regel ${maxLines + 1} en verder zijn niet gelezen en niet beslist. Stuur ze in een volgende batch.`,
  );
}

/** A chunk decided: its results, and its sequence number (which worker wrote them). */
interface Decided {
  seq: number;
  frame: ResultFrame;
}

/** Worker threads that decide chunks; each chunk's result comes back by its sequence number. */
class DecisionPool {
  private readonly waiting = new Map<number, { resolve: (r: ResultFrame) => void; reject: (e: Error) => void }>();
  private next = 0;
  private failure: Error | undefined;
  /** Per worker, the buffers it has made so far (its last reply's `buffersMade`). */
  private readonly buffersMade: number[];

  /** Resolved as each worker has built its engine. */
  private readonly ready: Promise<void>[] = [];
  private onFailure: ((error: Error) => void) | undefined;

  // listeners stay for the workers' lives: `removeAllListeners` on a Worker would also remove
  // Node's own, which keep its message port running
  private constructor(private readonly workers: Worker[]) {
    this.buffersMade = workers.map(() => 0);
    for (const [index, worker] of workers.entries()) {
      let started!: () => void;
      this.ready.push(new Promise<void>((resolve) => (started = resolve)));
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') return started();
        const waiter = this.waiting.get(reply.seq);
        this.waiting.delete(reply.seq);
        if (reply.type === 'chunk') {
          batchFrames.decided++;
          this.buffersMade[index] = reply.buffersMade;
          waiter?.resolve(reply.frame);
        } else waiter?.reject(new Error(`De beslissing van een deel van de batch mislukte: ${reply.message}`));
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => code !== 0 && this.fail(new Error(`Een batchworker stopte (exit ${code}).`)));
    }
  }

  /** Starts `size` workers over `task` and resolves once each has built its engine. */
  static async start(task: BatchTask, size: number): Promise<DecisionPool> {
    const workers = Array.from(
      { length: size },
      () =>
        new Worker(WORKER_BOOT, {
          workerData: { entry: './batch-worker.ts', task },
          // a worker holds its engine and a chunk or two: a small old generation, collected early,
          // keeps the process's memory flat (V8 would otherwise let each worker's heap grow far larger)
          resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
        }),
    );
    const pool = new DecisionPool(workers);
    try {
      await Promise.race([Promise.all(pool.ready), new Promise((_, reject) => (pool.onFailure = reject))]);
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Decides a chunk on the next worker in turn. */
  decide(items: BatchItem[]): Promise<Decided> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.next++;
    const promise = new Promise<ResultFrame>((resolve, reject) => this.waiting.set(seq, { resolve, reject }));
    this.workerOf(seq).postMessage({ seq, items } satisfies WorkerRequest);
    return promise.then((frame) => ({ seq, frame }));
  }

  /** Gives a decided chunk's buffer back to the worker that wrote it, once nothing reads it any more. */
  giveBack({ seq, frame }: Decided) {
    const buffer = frame.bytes.buffer as ArrayBuffer;
    this.workerOf(seq).postMessage({ reuse: buffer } satisfies WorkerRequest, [buffer]);
  }

  private workerOf(seq: number): Worker {
    return this.workers[seq % this.workers.length]!;
  }

  private fail(error: Error) {
    this.failure ??= error;
    this.onFailure?.(error);
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }

  async close() {
    if (!this.failure) for (const made of this.buffersMade) batchFrames.buffersMade += made;
    this.failure ??= new Error('De batch is gestopt.');
    this.onFailure = undefined;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * The workers a batch uses: one per core but one, at least one and up to `MAX_WORKERS`. The main
 * thread is a stage of the pipeline too — it chains, hashes and inserts each chunk and writes its
 * answer (about as much CPU a case as a worker spends deciding it) — so the core it runs on is
 * not free for another worker: on two cores a second worker only took turns with the main thread,
 * at the same rate and ~40 MB more (BENCHMARKS.md).
 */
export const batchWorkers = (cores = availableParallelism()) => Math.max(1, Math.min(cores - 1, MAX_WORKERS));

/**
 * A full collection of this thread's heap before a batch, where Node exposes it (`--expose-gc`,
 * which `npm start` gives). A server that has been answering evaluations carries tens of MB of dead
 * objects in its old generation, which V8 collects only once that has grown far larger; a batch's
 * memory came on top of them. After the bench's load tests the old generation held ~90 MB, ~45 of
 * them live, and 1,000,000 logged lines peaked at 313–318 MB, against 256–270 MB collected first
 * (BENCHMARKS.md). It holds this thread for tens of milliseconds, once per batch.
 */
export function collectBeforeBatch(): void {
  globalThis.gc?.();
}

/**
 * Decides a batch: yields the answer's NDJSON (UTF-8) chunk by chunk, in input order, each chunk
 * after it is logged. Stop iterating (`return()`) to stop the batch: the workers are ended and
 * nothing after the chunk being logged is logged.
 */
export async function* evaluateBatch(
  service: RulesService,
  body: ReadableStream<Uint8Array>,
  options: BatchOptions,
): AsyncGenerator<Uint8Array> {
  // the snapshot the workers decide with: the versions published now (see the module comment)
  await service.engine();
  const task: BatchTask = {
    documents: (await service.store.ruleSets.versions()).map((v) => v.document),
    tampered: (await service.tamperedVersions()).map((t) => `${t.ruleSet}@${t.version}`),
    trace: options.trace,
    log: !options.dryRun,
  };
  const size = options.workers ?? batchWorkers();
  collectBeforeBatch();
  const pool = await DecisionPool.start(task, size);
  const chunks = chunksOf(body, options.maxLineBytes, options.maxLines ?? MAX_BATCH_LINES);
  const inFlight: Promise<Decided>[] = [];
  // settled promises are awaited later; keep an early rejection from counting as unhandled
  const track = (p: Promise<Decided>) => (p.catch(() => undefined), p);
  try {
    let reading: Promise<IteratorResult<BatchItem[]>> | undefined;
    let ended = false;
    while (!ended || inFlight.length > 0) {
      if (!ended && !reading && inFlight.length < size + EXTRA_IN_FLIGHT) reading = chunks.next();
      const head = inFlight[0];
      // the oldest chunk first when it is ready, so that answers are never held back by reading
      const next = await Promise.race([
        ...(head ? [head.then(() => 'head' as const)] : []),
        ...(reading ? [reading] : []),
      ]);
      if (next === 'head') {
        inFlight.shift();
        const { answer, lines } = await commit(service, pool, await head!, options);
        yield answer;
        // resumed: the consumer has written it
        batchLines.answered += lines;
      } else if (next !== undefined) {
        reading = undefined;
        if (next.done) ended = true;
        else {
          batchLines.read += next.value.length;
          inFlight.push(track(pool.decide(next.value)));
        }
      }
    }
  } finally {
    await chunks.return(undefined);
    await pool.close();
  }
}

/**
 * Logs a chunk's decisions in one transaction (unless a dry run), then gives its answer's bytes
 * and how many lines it answers; the chunk's buffer goes back to its worker. The frame is read only
 * now, as it is logged, and nothing of it is held while the answer is written: its strings die
 * young (see batch-frame.ts).
 */
async function commit(
  service: RulesService,
  pool: DecisionPool,
  decided: Decided,
  options: BatchOptions,
): Promise<{ answer: Buffer; lines: number }> {
  const frame = readFrame(decided.frame);
  const entries: PreparedEntry[] = [];
  for (const l of frame.lines) if (l.entry) entries.push(l.entry);
  let ids: string[] = [];
  if (!options.dryRun && entries.length > 0) {
    const appended = await service.store.log.appendPrepared(entries, options.by, service.clock.now());
    ids = appended.ids;
    service.checkpointer.appended(appended.head);
  }
  // the answer is a copy of the frame's bytes: the buffer is free to write another chunk into
  const answer = answerOf(frame, ids);
  pool.giveBack(decided);
  return { answer, lines: frame.lines.length };
}
