/**
 * The generated case validator against zod, on the same inputs: random valid cases and random
 * mutations of them (wrong types, unknown fields, impossible dates, out-of-range numbers, too-long
 * lists and strings, missing fields, control characters). Used by
 * test/validator-differential.test.ts (thousands) and test/bench/validator.bench.ts (millions).
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import isValidCaseInput from '../../engine/generated/case-validator.js';
import { LIMITS } from '../../engine/schema.js';
import { parseCase, parseCaseByZod } from '../../engine/validate-case.js';
import { anyValidCase } from './arbitraries.js';

type Json = unknown;
type Path = (string | number)[];

/** Every place in a value (objects and lists included), as paths from the root. */
function pathsOf(value: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, k], out);
  }
  return out;
}

function at(root: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k], root);
}

const WRONG_TYPES: Json[] = [null, 0, 1, -1, 1.5, '', 'x', true, false, [], {}, [1], { a: 1 }];
const IMPOSSIBLE_DATES = [
  '2026-02-30',
  '2023-02-29',
  '2025-13-01',
  '2025-00-10',
  '2025-04-31',
  '2026-1-01',
  '20260101',
];
const POSSIBLE_DATES = ['2024-02-29', '2000-02-29', '0000-02-29', '9999-12-31', '2026-12-31'];
const NUMBERS = [0, -0, -1, 1, 12, 13, 100, 100.5, 1e6, 1e6 + 1, 1e300, 0.1, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2];
const CONTROL = ['\u0000', '\u0007', '\u001f', '\u007f', '\u0085', '\u202e', '\u200b', '\ufeff', '\n', '\t', '😀'];
const OPTIONAL_LEVELS: Json[] = [[], ['basis'], ['basis', 'complex'], ['complex', 'complex'], ['basis', 'x'], 'basis'];
const OPTIONAL_TEXTS: Json[] = [
  '',
  ' ',
  'Meer aanbod\nin de regio',
  'x'.repeat(LIMITS.message),
  'x'.repeat(LIMITS.message + 1),
];
const OPTIONAL_WORDS: Json[] = ['top', 'midden', 'basis', 'complex', 'per-week', 'totaal', 'Top', null];
const LONG_LENGTHS = [
  10,
  11,
  LIMITS.id,
  LIMITS.id + 1,
  LIMITS.label,
  LIMITS.label + 1,
  LIMITS.message,
  LIMITS.message + 1,
];

const objectAt = (value: Json) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, Json>) : undefined;

/**
 * One mutation of a (copied) valid case, chosen by the numbers in `choices`; returns the new root.
 * Every kind of change the brief names, at a random place of the case.
 */
export function mutate(original: Json, choices: readonly number[]): Json {
  const root = structuredClone(original);
  const [kindChoice = 0, placeChoice = 0, valueChoice = 0, extra = 0] = choices;
  const paths = pathsOf(root);
  const path = paths[placeChoice % paths.length]!;
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const parent = at(root, parentPath) as Record<string | number, Json> | undefined;
  const here = at(root, path);
  const pick = <T>(list: readonly T[]) => list[valueChoice % list.length]!;
  const set = (value: Json) => {
    if (parent === undefined || key === undefined) return value;
    parent[key] = value;
    return root;
  };
  switch (kindChoice % 10) {
    case 0: // a wrong type
      return set(pick(WRONG_TYPES));
    case 1: {
      // an unknown field, on the object here or its parent
      const target = here !== null && typeof here === 'object' && !Array.isArray(here) ? here : parent;
      if (target && typeof target === 'object' && !Array.isArray(target)) {
        (target as Record<string, Json>)[pick(['extra', 'Type', 'endDate', 'profile', '__proto__', 'constructor'])] =
          extra % 2 ? 1 : 'x';
      }
      return root;
    }
    case 2: // a date that does not exist, or an edge one that does
      return set(extra % 3 === 0 ? pick(POSSIBLE_DATES) : pick(IMPOSSIBLE_DATES));
    case 3: // a number out of range (or just in it)
      return set(pick(NUMBERS) * (extra % 5 === 0 ? -1 : 1));
    case 4: {
      // a list longer than its bound (or right at it)
      if (!Array.isArray(here)) return set(Array.from({ length: 11 }, () => pick(['basis', 'BIG', 'lokaal-team'])));
      const bound = pick([LIMITS.enumList, LIMITS.existingAllocations, LIMITS.productGroups]) + (extra % 2);
      const fill = here.length > 0 ? here[0] : pick(['basis', 'x', 1]);
      return set(Array.from({ length: bound }, () => structuredClone(fill)));
    }
    case 5: {
      // a string longer than its bound, in code units or with characters outside the BMP
      const length = pick(LONG_LENGTHS);
      // zod counts code points: an emoji is one, in two UTF-16 code units
      const text = [`${'😀'.repeat(Math.ceil(length / 2))}`, '😀'.repeat(length), 'a'.repeat(length)][extra % 3]!;
      // the free texts (a provider's name and added value) are where length alone decides
      const provider = objectAt(objectAt(root)?.provider);
      if (provider && typeof here !== 'string') {
        provider[extra % 2 ? 'name' : 'addedValue'] = extra % 4 < 2 ? text : `${text}${'x'.repeat(1_500)}`;
        return root;
      }
      return set(typeof here === 'string' && extra % 2 ? here + text.slice(here.length) : text);
    }
    case 6: // a missing field
      if (parent !== undefined && key !== undefined && !Array.isArray(parent)) delete parent[key];
      else if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
      return root;
    case 7: // a control or invisible character in a text
      if (typeof here !== 'string') return set(pick(CONTROL));
      return set(here.slice(0, extra % (here.length + 1)) + pick(CONTROL) + here.slice(extra % (here.length + 1)));
    case 8: // a value that is undefined, NaN or infinite (a caller in JavaScript, not JSON)
      return set(pick([undefined, NaN, Infinity, -Infinity]));
    default: {
      // an optional field the generators leave out, with a value that fits or nearly does
      const provider = objectAt(objectAt(root)?.provider);
      const request = objectAt(objectAt(root)?.request);
      if (provider && extra % 2 === 0) provider.levels = pick(OPTIONAL_LEVELS);
      else if (provider) provider.addedValue = pick(OPTIONAL_TEXTS);
      else if (request) request[pick(['segment', 'level', 'frequency'])] = pick(OPTIONAL_WORDS);
      return root;
    }
  }
}

/** Valid cases and, about three in four, a mutation of one (sometimes two). */
export const differentialInput: fc.Arbitrary<Json> = fc.oneof(
  { weight: 1, arbitrary: anyValidCase },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        anyValidCase,
        fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
      )
      .map(([c, first, second, twice]) => (twice ? mutate(mutate(c, first), second) : mutate(c, first))),
  },
);

/** Whether zod accepts `input`, and what the generated path does differently (undefined: nothing). */
export function compareOn(input: Json): { accepted: boolean; difference: string | undefined } {
  const zod = parseCaseByZod(input);
  const accepted = zod.ok;
  // the generated validator's own verdict: parseCase hands a refusal to zod, which would hide a
  // validator stricter than zod (only slower, but not equal)
  const verdict = isValidCaseInput(input);
  if (verdict !== zod.ok) return { accepted, difference: `accept/refuse: generated ${verdict}, zod ${zod.ok}` };
  const fast = parseCase(input);
  if (fast.ok && zod.ok) {
    // the same value, key order included (what JSON.stringify shows) and undefined keys too
    if (JSON.stringify(fast.case) !== JSON.stringify(zod.case) || !isDeepStrictEqual(fast.case, zod.case)) {
      return {
        accepted,
        difference: `accepted case: generated ${JSON.stringify(fast.case)}, zod ${JSON.stringify(zod.case)}`,
      };
    }
  } else if (!fast.ok && !zod.ok && !isDeepStrictEqual(fast.issues, zod.issues)) {
    return {
      accepted,
      difference: `issues: generated ${JSON.stringify(fast.issues)}, zod ${JSON.stringify(zod.issues)}`,
    };
  }
  return { accepted, difference: undefined };
}

export interface DifferentialResult {
  inputs: number;
  accepted: number;
  mismatches: number;
  /** The first few mismatches, with the seed of their chunk. */
  examples: { seed: number; input: string; difference: string }[];
}

/** Compares `total` inputs, in chunks of fresh samples with a seed each so memory stays flat. */
export function runDifferential(
  total: number,
  options: { firstSeed?: number; chunk?: number; onChunk?: (checked: number) => void } = {},
): DifferentialResult {
  const { firstSeed = 1, chunk = 10_000, onChunk } = options;
  const result: DifferentialResult = { inputs: 0, accepted: 0, mismatches: 0, examples: [] };
  for (let seed = firstSeed; result.inputs < total; seed++) {
    for (const input of fc.sample(differentialInput, { numRuns: Math.min(chunk, total - result.inputs), seed })) {
      const { accepted, difference } = compareOn(input);
      if (accepted) result.accepted++;
      if (difference !== undefined) {
        result.mismatches++;
        if (result.examples.length < 10) {
          result.examples.push({ seed, input: JSON.stringify(input) ?? String(input), difference });
        }
      }
      result.inputs++;
    }
    onChunk?.(result.inputs);
  }
  return result;
}
