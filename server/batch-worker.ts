/**
 * One batch worker: builds the engine over the published versions it is given (the snapshot the
 * batch started with, see server/batch.ts), then decides chunks of lines as they come and posts
 * each chunk's results back: the answer's text per line and, for a logged batch, the log's entry
 * prepared as text (`prepareEntry`). The main thread logs and answers in input order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  decideLine,
  decisionMembers,
  decisionTail,
  DecisionEngine,
  defaultBackend,
  regionOf,
  RuleSetRepository,
  type EffectiveRuleSet,
} from '../engine/index.js';
import type { BatchTask, WorkerChunk, WorkerReply, WorkerRequest } from './batch.js';
import { FrameWriter, type LineResult } from './batch-frame.js';
import { prepareEntry } from './db/log.js';
import { versionTamperedError } from './errors.js';

const { task } = workerData as { task: BatchTask };
// the same backend as the server's engine, so a batch decides exactly as POST /api/evaluate does
const engine = new DecisionEngine(new RuleSetRepository(task.documents), defaultBackend);
const tampered = new Set(task.tampered);
const port = parentPort!;
const frames = new FrameWriter();

/** A version changed after publishing is never decided with (as `RulesService.refuseTampered`). */
function refuse(effective: EffectiveRuleSet) {
  const ref = effective.ruleSets.find((r) => tampered.has(`${r.id}@${r.version}`));
  return ref && versionTamperedError(ref);
}

async function decide(item: WorkerChunk['items'][number]): Promise<LineResult> {
  if ('problem' in item) return item;
  // the log keeps no trace (compact entries): it is built only when the answer shows it
  const out = await decideLine(engine, item.text, tampered.size > 0 ? refuse : undefined, { trace: task.trace });
  if (!out.ok) return { line: item.line, problem: out.problem };
  const { decision } = out;
  // each member written once, for the answer and the log's compact text both
  const members = decisionMembers(decision, task.trace);
  const tail = decisionTail(decision, task.trace, members);
  if (!task.log) return { line: item.line, tail };
  // the log's entry made here, as text: the main thread only chains, hashes and inserts it
  const entry = prepareEntry(
    {
      municipality: out.case.municipality,
      region: regionOf(out.case.municipality),
      case: out.input,
      decision,
    },
    members,
  );
  return { line: item.line, tail, entry };
}

async function handle(chunk: WorkerChunk): Promise<void> {
  try {
    for (const item of chunk.items) frames.add(await decide(item));
    const { frame, transfer } = frames.finish();
    const reply = { type: 'chunk', seq: chunk.seq, frame, buffersMade: frames.buffersMade } satisfies WorkerReply;
    port.postMessage(reply, transfer);
  } catch (error) {
    frames.finish(); // what was added of this chunk goes
    port.postMessage({ type: 'failed', seq: chunk.seq, message: String(error) } satisfies WorkerReply);
  }
}

// one chunk at a time, each to its end: deciding awaits, and the next chunk's message may come
// meanwhile; the frame writer is the worker's one
let queue = Promise.resolve();
port.on('message', (message: WorkerRequest) => {
  // a buffer given back is there for the next frame, whichever chunk is being decided
  if ('reuse' in message) frames.reuse(message.reuse);
  else queue = queue.then(() => handle(message));
});
port.postMessage({ type: 'ready' } satisfies WorkerReply);
