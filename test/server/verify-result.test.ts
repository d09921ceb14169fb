/**
 * The verification's result from its parts (`verifyResult`): a signed checkpoint beyond the
 * entries the ranges read is a deleted tail only when the log ends before it too. With the log in
 * ranges side by side, the checkpoints can be read after the last range reached the end, and a
 * checkpoint signed meanwhile names an entry appended after it.
 */
import { describe, expect, it } from 'vitest';
import { verifyResult, type RangeVerification, type StoreVerification } from '../../server/audit.js';

const checkpoint = (seq: number) => ({
  seq,
  headHash: `sha256:${'1'.repeat(64)}`,
  at: '2026-11-26T09:00:00.000Z',
  keyId: 'k',
  signature: 's',
});

const rest = (seqs: number[]): StoreVerification => ({
  checkpoints: seqs.map(checkpoint),
  checkpointProblems: [],
  checkpointProblemCount: 0,
  versions: { checked: 0, tampered: [] },
  governance: { checked: 0, head: { seq: 0, hash: `sha256:${'0'.repeat(64)}` }, checkpoints: 0 },
  otherProblems: [],
  otherProblemCount: 0,
});

/** One range that read entries 1 to `last`, all holding. */
const readUpTo = (last: number): RangeVerification[] => [
  {
    checked: last,
    first: { seq: 1, id: 'e1', prevHash: `sha256:${'0'.repeat(64)}` },
    last: { seq: last, hash: `sha256:${'2'.repeat(64)}` },
    problems: [],
    problemCount: 0,
  },
];

describe('verifyResult: checkpoints beyond the entries read', () => {
  it('holds when the log has the entry a later checkpoint names (appended while verify ran)', () => {
    const result = verifyResult(rest([5, 12]), readUpTo(10), 12);
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.checked).toBe(10);
  });

  it('reports a deleted tail when the log ends before the checkpoint', () => {
    const result = verifyResult(rest([5, 12]), readUpTo(10), 10);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'truncated', seq: 12, message: expect.stringContaining('eindigt bij regel 10') }),
    ]);
  });

  it('without the log’s end, takes the last entry read (one range read after the checkpoints)', () => {
    expect(verifyResult(rest([12]), readUpTo(10)).problems.map((p) => p.kind)).toEqual(['truncated']);
    expect(verifyResult(rest([10]), readUpTo(10)).ok).toBe(true);
  });
});
