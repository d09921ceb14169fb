/**
 * A decision's texts as a batch writes them (engine/batch.ts): its answer's tail and the members
 * it is written from are `JSON.stringify` of the decision, byte for byte, with and without its
 * trace — also when decisions share their reasons and rule sets, whose texts are written once.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decisionMembers, decisionTail, type Decision } from '../engine/index.js';
import { anyValidCase } from './support/arbitraries.js';
import { engine } from './support/factories.js';

/** Random valid cases decided with both backends, traced. */
let decided: Decision[];
beforeAll(async () => {
  decided = [];
  for (const backend of ['compiled', 'json-rules-engine'] as const) {
    const e = engine(backend);
    for (const c of fc.sample(anyValidCase, { numRuns: 200, seed: 41 })) decided.push(await e.decide(c));
  }
  // what makes texts differ: reasons (shared, one object per rule) and none, tariffs and none
  expect(decided.some((d) => d.reasons.length > 1)).toBe(true);
  expect(decided.some((d) => d.reasons.length === 0)).toBe(true);
  expect(decided.some((d) => d.tariff === null)).toBe(true);
  expect(decided.some((d) => d.tariff !== null)).toBe(true);
});

describe("a batch's decision text", () => {
  it('is JSON.stringify of the decision without its opening brace, with its trace', () => {
    for (const d of decided) expect(decisionTail(d, true)).toBe(JSON.stringify(d).slice(1));
  });

  it('leaves the trace out when not asked for it, as JSON.stringify leaves out an undefined member', () => {
    for (const d of decided) expect(decisionTail(d, false)).toBe(JSON.stringify({ ...d, trace: undefined }).slice(1));
  });

  it("has each member's text as JSON.stringify writes the member", () => {
    for (const d of decided) {
      const members = decisionMembers(d, false);
      expect(Object.keys(members)).toEqual(Object.keys(d).filter((k) => k !== 'trace'));
      for (const [key, text] of Object.entries(members)) expect(text).toBe(JSON.stringify(d[key as keyof Decision]));
    }
  });

  it('leaves out an undefined member and keeps the order of the members it is given', () => {
    const d = decided[0]!;
    const reordered = {
      engine: d.engine,
      outcome: d.outcome,
      tariff: undefined,
      reasons: d.reasons,
    } as unknown as Decision;
    expect(decisionTail(reordered, false)).toBe(JSON.stringify(reordered).slice(1));
  });
});
