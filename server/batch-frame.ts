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

/**
 * A line as the main thread reads it back: where its answer's text (a problem's JSON, or a
 * decided line's answer as sent) lies in the frame's bytes, and its log entry. The answer's text
 * is never made a string: it goes from the frame's bytes straight into the answer's (`answerOf`).
 */
export interface FramedLine {
  line: number;
  problem: boolean;
  start: number;
  end: number;
  entry?: PreparedEntry;
}

/** A frame as read: its bytes and its lines. */
export interface ReadFrame {
  bytes: Buffer;
  lines: FramedLine[];
}

/**
 * The frame: the bytes, where each text ends in them, and per line its number, kind and total —
 * three views of one buffer (`bytes.buffer`), the one that is transferred and given back.
 */
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

/** The size of a frame's first buffer; it grows when a chunk's texts need more. */
const FRAME_BYTES = 1 << 20;
/**
 * Buffers given back (`reuse`) that a writer keeps: a batch holds a few chunks at once
 * (`maxChunksHeld`), so a few buffers go round.
 */
const SPARE_BUFFERS = 4;

/**
 * Writes frames in a worker. A frame's bytes are the buffer they were written into, transferred
 * whole (not a copy of the part written); the main thread gives each buffer back once it has
 * answered the frame's lines (`reuse`), and the next frames are written into those. A batch of a
 * million lines then goes round a few buffers instead of making (and leaving to the main thread's
 * collector to free) two thousand of a megabyte each: those waited for the main thread's garbage
 * collections, which came far apart, and ~30 MB of them were held at a time.
 */
export class FrameWriter {
  /**
   * A Buffer over a buffer of its own (not Node's shared pool: it is transferred whole), so that
   * each text is written at its offset (`write`): `encodeInto` needs a view from the offset on,
   * a typed array made for every one of a line's dozen texts.
   */
  private scratch = Buffer.allocUnsafeSlow(FRAME_BYTES);
  private at = 0;
  private ends: number[] = [];
  private meta: number[] = [];
  private readonly spare: ArrayBuffer[] = [];
  private made = 1;

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

  /**
   * The frame of the lines added since the last one, with the buffer to transfer: the texts' ends
   * and the lines' meta go into the same buffer, after the texts, so that one buffer crosses and
   * comes back. Two small arrays of their own per frame (14 KB a chunk of 500 lines) were freed
   * only when the main thread's old generation was collected, which a batch seldom waits for: the
   * main thread's external memory (`process.memoryUsage().external`) grew from 5 to 28 MB over
   * 1,000,000 lines, and from 5 to 11 MB with the one buffer.
   */
  finish(): { frame: ResultFrame; transfer: ArrayBuffer[] } {
    const textBytes = this.at;
    // Float64Array's views start at a multiple of 8; the Uint32Array after it then at one of 4
    const metaAt = Math.ceil(textBytes / 8) * 8;
    const endsAt = metaAt + this.meta.length * 8;
    this.ensure(endsAt + this.ends.length * 4);
    const buffer = this.scratch.buffer as ArrayBuffer;
    const meta = new Float64Array(buffer, metaAt, this.meta.length);
    meta.set(this.meta);
    const ends = new Uint32Array(buffer, endsAt, this.ends.length);
    ends.set(this.ends);
    const frame = { bytes: this.scratch.subarray(0, textBytes), ends, meta };
    // the buffer goes with the frame: the next is one given back, or a new one
    const spare = this.spare.pop();
    if (spare) this.scratch = Buffer.from(spare);
    else {
      this.scratch = Buffer.allocUnsafeSlow(FRAME_BYTES);
      this.made++;
    }
    this.at = 0;
    this.ends = [];
    this.meta = [];
    return { frame, transfer: [buffer] };
  }

  /** Buffers this writer has made (the first one too): its other frames went into buffers given back. */
  get buffersMade(): number {
    return this.made;
  }

  /** Takes back a frame's buffer (`ResultFrame.bytes.buffer`) to write later frames into. */
  reuse(buffer: ArrayBuffer): void {
    if (this.spare.length < SPARE_BUFFERS) this.spare.push(buffer);
  }

  private text(text: string): void {
    // UTF-8 takes at most three bytes per UTF-16 code unit
    this.ensure(this.at + text.length * 3);
    // UTF-8, as `TextEncoder` writes it (only well-formed text comes here: see the module comment)
    this.at += this.scratch.write(text, this.at);
    this.ends.push(this.at);
  }

  /** Room for `bytes` in all: a larger buffer (at least twice the size) with the texts so far, if needed. */
  private ensure(bytes: number): void {
    if (this.scratch.length >= bytes) return;
    const larger = Buffer.allocUnsafeSlow(Math.max(this.scratch.length * 2, bytes));
    this.made++;
    this.scratch.copy(larger, 0, 0, this.at);
    this.scratch = larger;
  }
}

/** The lines of a frame, in the order they were added; only the log entries' texts are read as strings. */
export function readFrame(frame: ResultFrame): ReadFrame {
  const bytes = Buffer.from(frame.bytes.buffer, frame.bytes.byteOffset, frame.bytes.byteLength);
  const { ends, meta } = frame;
  let field = 0;
  const start = () => (field === 0 ? 0 : ends[field - 1]!);
  const next = () => bytes.toString('utf8', start(), ends[field++]);
  const lines: FramedLine[] = [];
  for (let i = 0; i < meta.length; i += META) {
    const line = meta[i]!;
    const kind = meta[i + 1];
    const at = start();
    const read: FramedLine = { line, problem: kind === PROBLEM, start: at, end: ends[field++]! };
    lines.push(read);
    if (kind !== LOGGED) continue;
    const total = meta[i + 2]!;
    const entry = { totalCents: Number.isNaN(total) ? null : total } as PreparedEntry;
    for (const key of ENTRY_TEXTS) (entry as Record<(typeof ENTRY_TEXTS)[number], string>)[key] = next();
    entry.hashed = [next(), next(), next()];
    read.entry = entry;
  }
  return { bytes, lines };
}

/**
 * The answer's NDJSON for a frame's lines, as bytes: per line `{"line":n,"problem":…}`, or
 * `{"line":n,"id":…,` and the decided line's answer; `ids` are the logged lines' ids in order
 * (a line without an entry has none: `null`). The answers' texts are copied from the frame as
 * they are: decoding them into strings and encoding them again for the socket cost the main
 * thread ~1 KB of short-lived strings a line, and the chunk's answer one string of a megabyte
 * in the large-object space, which only full collections free.
 */
export function answerOf({ bytes, lines }: ReadFrame, ids: readonly string[]): Buffer {
  let next = 0;
  // ASCII only (numbers, ids), so their lengths are their bytes
  const heads = lines.map((l) =>
    l.problem ? `{"line":${l.line},"problem":` : `{"line":${l.line},"id":${l.entry ? `"${ids[next++]}"` : 'null'},`,
  );
  let size = 0;
  lines.forEach((l, i) => (size += heads[i]!.length + (l.end - l.start) + (l.problem ? 2 : 1)));
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  lines.forEach((l, i) => {
    at += out.write(heads[i]!, at, 'latin1');
    at += bytes.copy(out, at, l.start, l.end);
    // a decided line's answer closes its own brace (it is the rest of the object)
    if (l.problem) out[at++] = 0x7d;
    out[at++] = 0x0a;
  });
  return out;
}
