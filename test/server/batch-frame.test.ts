/**
 * The frame a batch worker sends a chunk's results in (server/batch-frame.ts): read back, every
 * line is what was added — problems as their JSON text, decided lines with their answer and their
 * prepared log entry, any well-formed text (multi-byte included), totals and none — however many
 * lines, frame after frame from one writer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LineProblem } from '../../engine/index.js';
import { answerOf, FrameWriter, readFrame, type LineResult, type ResultFrame } from '../../server/batch-frame.js';
import type { PreparedEntry } from '../../server/db/log.js';

// texts as they reach the frame: JSON text or plain words, Dutch and beyond Latin-1 included
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.constantFrom('', 'één € 🙂', '"\\'));
const entry: fc.Arbitrary<PreparedEntry> = fc.record({
  municipality: text,
  region: text,
  caseType: text,
  referenceDate: text,
  outcome: fc.constantFrom('granted', 'rejected', 'review'),
  reasonCodes: text,
  totalCents: fc.option(fc.maxSafeNat(), { nil: null }),
  caseJson: fc.string({ unit: 'grapheme', maxLength: 3000 }),
  decisionJson: text,
  ruleSets: text,
  hashed: fc.tuple(text, text, text),
});
const problem = fc.record({ code: text, title: text }).map((p) => p as unknown as LineProblem);
const result: fc.Arbitrary<LineResult> = fc.oneof(
  fc.record({ line: fc.nat(), problem }),
  fc.record({ line: fc.nat(), tail: text }),
  fc.record({ line: fc.nat(), tail: text, entry }),
);

/** A result as the main thread reads it: a problem as its JSON text. */
const read = (r: LineResult) =>
  'problem' in r
    ? { line: r.line, problemJson: JSON.stringify(r.problem) }
    : r.entry
      ? r
      : { line: r.line, tail: r.tail };

/** A frame's lines read back, with their answers' texts taken from the frame's bytes. */
function readBack(frame: ResultFrame) {
  const { bytes, lines } = readFrame(frame);
  return lines.map(({ line, problem, start, end, entry }) => {
    const text = bytes.toString('utf8', start, end);
    return problem ? { line, problemJson: text } : entry ? { line, tail: text, entry } : { line, tail: text };
  });
}

describe('a result frame', () => {
  it('reads back every line as it was added, frame after frame', () => {
    const writer = new FrameWriter();
    fc.assert(
      fc.property(fc.array(result, { maxLength: 60 }), (results) => {
        for (const r of results) writer.add(r);
        const { frame, transfer } = writer.finish();
        // one buffer crosses and comes back: the ends and the meta are views of the texts' buffer
        expect(transfer).toEqual([frame.bytes.buffer]);
        expect(frame.ends.buffer).toBe(frame.bytes.buffer);
        expect(frame.meta.buffer).toBe(frame.bytes.buffer);
        expect(readBack(frame)).toEqual(results.map(read));
      }),
      { numRuns: 300 },
    );
  });

  it('grows past its first buffer', () => {
    const writer = new FrameWriter();
    const big = 'é'.repeat(700_000); // 1.4 MB as UTF-8, beyond the first 1 MiB
    writer.add({ line: 1, tail: big });
    writer.add({ line: 2, tail: 'x' });
    const { frame } = writer.finish();
    expect(frame.bytes.byteLength).toBe(1_400_001);
    expect(readBack(frame)).toEqual([
      { line: 1, tail: big },
      { line: 2, tail: 'x' },
    ]);
  });

  it('writes the next frames into the buffers given back, and makes a buffer only when none is', () => {
    const writer = new FrameWriter();
    const first = writer.finish().frame;
    const second = writer.finish().frame;
    expect(second.bytes.buffer).not.toBe(first.bytes.buffer);
    expect(writer.buffersMade).toBe(3); // the two sent, and the one written into now
    // what the main thread does once it has answered a frame's lines: the buffer goes back
    const given = first.bytes.buffer as ArrayBuffer;
    writer.reuse(given);
    writer.add({ line: 7, tail: 'één' });
    writer.finish(); // written into the third buffer; the one given back is next
    writer.add({ line: 8, tail: 'twee' });
    const again = writer.finish().frame;
    expect(again.bytes.buffer).toBe(given);
    expect(readBack(again)).toEqual([{ line: 8, tail: 'twee' }]);
    expect(writer.buffersMade).toBe(4);
  });

  it('answers every line as the text the worker sent, with its id, a problem, or null on a dry run', () => {
    const writer = new FrameWriter();
    fc.assert(
      fc.property(fc.array(result, { maxLength: 40 }), (results) => {
        for (const r of results) writer.add(r);
        const ids = results.filter((r) => 'entry' in r && r.entry).map((_, i) => `id-${i}`);
        const answer = answerOf(readFrame(writer.finish().frame), ids).toString('utf8');
        let next = 0;
        const expected = results
          .map((r) =>
            'problem' in r
              ? `{"line":${r.line},"problem":${JSON.stringify(r.problem)}}\n`
              : `{"line":${r.line},"id":${r.entry ? `"${ids[next++]}"` : 'null'},${r.tail}\n`,
          )
          .join('');
        expect(answer).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
