/**
 * A chunk's results as they cross from a batch worker to the main thread: every line's texts as
 * UTF-8 in one transferred buffer, not an object with a dozen strings per line.
 *
 * Why not plain objects: V8 deserialises a message larger than 100 KB straight into the old
 * generation (the pretenuring threshold of its ValueDeserializer), so each chunk's ~1.25 MB of
 * result strings became old garbage on the main thread the moment it arrived, and the main
 * thread's heap grew to ~150 MB between full collections (`--trace-gc`, a batch of 200,000). A
 * transferred buffer lives outside the heap and is freed with its small wrapper; the strings read
 * from it when the chunk is logged die young. It is also cheaper to pass: one copy of bytes
 * instead of the structured clone of 500 objects.
 *
 * UTF-8 holds well-formed text only: every text here is JSON text (which escapes a lone surrogate)
 * or a value the case's validation admitted (codes, dates, municipality ids).
 */
import type { LineProblem } from '../engine/index.js';
import type { PreparedEntry } from './db/log.js';

/** A line decided by a worker: its answer without the opening brace, and its log entry (not on a dry run). */
export type LineResult = { line: number; problem: LineProblem } | { line: number; tail: string; entry?: PreparedEntry };

/** A line as the main thread reads it back: a problem's JSON text, or a decided line as sent. */
export type FramedLine = { line: number; problemJson: string } | { line: number; tail: string; entry?: PreparedEntry };

/** The frame: the bytes, where each text ends in them, and per line its number, kind and total. */
export interface ResultFrame {
  bytes: Uint8Array;
  ends: Uint32Array;
  /** Per line: its number, its kind (`PROBLEM`, `DECIDED`, `LOGGED`), its entry's total in cents (NaN: none). */
  meta: Float64Array;
}

const PROBLEM = 0;
const DECIDED = 1;
const LOGGED = 2;
const META = 3;

/** The texts of an entry, in the order they are written (`totalCents` goes in `meta`). */
const ENTRY_TEXTS = [
  'municipality',
  'region',
  'caseType',
  'referenceDate',
  'outcome',
  'reasonCodes',
  'caseJson',
  'decisionJson',
  'ruleSets',
] as const satisfies readonly (keyof PreparedEntry)[];

const encoder = new TextEncoder();

/** Writes frames in a worker; its scratch buffer is reused from chunk to chunk and grows when needed. */
export class FrameWriter {
  private scratch = new Uint8Array(1 << 20);
  private at = 0;
  private ends: number[] = [];
  private meta: number[] = [];

  add(result: LineResult): void {
    if ('problem' in result) {
      this.meta.push(result.line, PROBLEM, NaN);
      this.text(JSON.stringify(result.problem));
      return;
    }
    const { entry } = result;
    this.meta.push(result.line, entry ? LOGGED : DECIDED, entry?.totalCents ?? NaN);
    this.text(result.tail);
    if (!entry) return;
    for (const key of ENTRY_TEXTS) this.text(entry[key]);
    for (const piece of entry.hashed) this.text(piece);
  }

  /** The frame of the lines added since the last one, with the buffers to transfer. */
  finish(): { frame: ResultFrame; transfer: ArrayBuffer[] } {
    const frame = {
      bytes: this.scratch.slice(0, this.at),
      ends: Uint32Array.from(this.ends),
      meta: Float64Array.from(this.meta),
    };
    this.at = 0;
    this.ends = [];
    this.meta = [];
    return { frame, transfer: [frame.bytes.buffer, frame.ends.buffer, frame.meta.buffer] as ArrayBuffer[] };
  }

  private text(text: string): void {
    // UTF-8 takes at most three bytes per UTF-16 code unit
    if (this.scratch.length - this.at < text.length * 3) {
      const larger = new Uint8Array(Math.max(this.scratch.length * 2, this.at + text.length * 3));
      larger.set(this.scratch.subarray(0, this.at));
      this.scratch = larger;
    }
    this.at += encoder.encodeInto(text, this.scratch.subarray(this.at)).written;
    this.ends.push(this.at);
  }
}

/** The lines of a frame, in the order they were added. */
export function readFrame(frame: ResultFrame): FramedLine[] {
  const bytes = Buffer.from(frame.bytes.buffer, frame.bytes.byteOffset, frame.bytes.byteLength);
  const { ends, meta } = frame;
  let field = 0;
  const next = () => bytes.toString('utf8', field === 0 ? 0 : ends[field - 1], ends[field++]);
  const lines: FramedLine[] = [];
  for (let i = 0; i < meta.length; i += META) {
    const line = meta[i]!;
    const kind = meta[i + 1];
    if (kind === PROBLEM) {
      lines.push({ line, problemJson: next() });
      continue;
    }
    const tail = next();
    if (kind === DECIDED) {
      lines.push({ line, tail });
      continue;
    }
    const total = meta[i + 2]!;
    const entry = { totalCents: Number.isNaN(total) ? null : total } as PreparedEntry;
    for (const key of ENTRY_TEXTS) (entry as Record<(typeof ENTRY_TEXTS)[number], string>)[key] = next();
    entry.hashed = [next(), next(), next()];
    lines.push({ line, tail, entry });
  }
  return lines;
}
