/**
 * Comparing things an auditor or advisor looks at side by side: two decisions (replay) and two
 * rule set documents (a structural diff between versions or a draft and its base).
 */
import { canonicalJson } from './canonical.js';
import type { Decision, DecisionInLog } from './schema.js';

export type DecisionDifference =
  | { field: 'engine'; before: string | null; after: string | null }
  | { field: 'outcome'; before: Decision['outcome']; after: Decision['outcome'] }
  | { field: 'reasons'; added: string[]; removed: string[] }
  | { field: 'tariff'; before: Decision['tariff']; after: Decision['tariff'] }
  | { field: 'ruleSets'; before: Decision['ruleSets']; after: Decision['ruleSets'] }
  | { field: 'illustrative'; added: string[]; removed: string[] }
  | { field: 'trace'; changedRules: string[] };

/**
 * What differs between an original decision and its replay, field by field. `engineChanged` says
 * that another engine version decided the replay (a log entry without `engine` predates the
 * field and counts as another version): its differences may come from the engine rather than
 * from the rules, and the `engine` difference names both versions.
 */
export function compareDecisions(
  before: DecisionInLog,
  after: DecisionInLog,
): { identical: boolean; engineChanged: boolean; differences: DecisionDifference[] } {
  const differences: DecisionDifference[] = [];
  const engineBefore = before.engine?.version ?? null;
  const engineAfter = after.engine?.version ?? null;
  const engineChanged = engineBefore !== engineAfter;
  if (engineChanged) differences.push({ field: 'engine', before: engineBefore, after: engineAfter });
  if (before.outcome !== after.outcome)
    differences.push({ field: 'outcome', before: before.outcome, after: after.outcome });
  const codes = (d: DecisionInLog) => d.reasons.map((r) => `${r.code}`);
  const added = codes(after).filter((c) => !codes(before).includes(c));
  const removed = codes(before).filter((c) => !codes(after).includes(c));
  if (added.length > 0 || removed.length > 0) differences.push({ field: 'reasons', added, removed });
  if (canonicalJson(before.tariff) !== canonicalJson(after.tariff))
    differences.push({ field: 'tariff', before: before.tariff, after: after.tariff });
  if (canonicalJson(before.ruleSets) !== canonicalJson(after.ruleSets))
    differences.push({ field: 'ruleSets', before: before.ruleSets, after: after.ruleSets });
  // a log entry from before `illustrative` existed has none to compare
  if (before.illustrative && after.illustrative) {
    const key = (i: { ruleSet: string; kind: string; id: string }) => `${i.ruleSet} ${i.kind} ${i.id}`;
    const was = before.illustrative.map(key);
    const is = after.illustrative.map(key);
    const addedValues = is.filter((k) => !was.includes(k));
    const removedValues = was.filter((k) => !is.includes(k));
    if (addedValues.length > 0 || removedValues.length > 0)
      differences.push({ field: 'illustrative', added: addedValues, removed: removedValues });
  }
  const traceOf = (d: DecisionInLog) => new Map(d.trace.map((t) => [t.ruleId, canonicalJson(t)]));
  const a = traceOf(before);
  const b = traceOf(after);
  const changedRules = [...new Set([...a.keys(), ...b.keys()])].filter((id) => a.get(id) !== b.get(id));
  if (changedRules.length > 0) differences.push({ field: 'trace', changedRules });
  return { identical: canonicalJson(before) === canonicalJson(after), engineChanged, differences };
}

export interface DocumentChange {
  /** JSON path of the changed value, e.g. `$.parameters['crisis.maxDays'].value`. */
  path: string;
  op: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const segment = (key: string | number) =>
  typeof key === 'number' ? `[${key}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `['${key}']`;

/** Arrays of objects with an `id` (rules) or `number`/`slug` (catalogue) are matched by that key. */
function keyOf(item: unknown): string | undefined {
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const o = item as Record<string, unknown>;
    for (const k of ['id', 'slug', 'number'])
      if (typeof o[k] === 'string' || typeof o[k] === 'number') return `${k}=${String(o[k])}`;
  }
  return undefined;
}

/** A structural diff of two JSON documents: every added, removed and changed value with its path. */
export function diffDocuments(before: unknown, after: unknown, path = '$'): DocumentChange[] {
  if (canonicalJson(before) === canonicalJson(after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      const p = path + segment(k);
      if (!(k in before)) return [{ path: p, op: 'added' as const, after: after[k] }];
      if (!(k in after)) return [{ path: p, op: 'removed' as const, before: before[k] }];
      return diffDocuments(before[k], after[k], p);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const keyed = before.every(keyOf) && after.every(keyOf);
    if (keyed) {
      const a = new Map(before.map((x) => [keyOf(x)!, x]));
      const b = new Map(after.map((x) => [keyOf(x)!, x]));
      const keys = [...new Set([...a.keys(), ...b.keys()])];
      return keys.flatMap((k) => {
        const p = `${path}[?(@.${k.replace('=', "=='")}')]`;
        if (!a.has(k)) return [{ path: p, op: 'added' as const, after: b.get(k) }];
        if (!b.has(k)) return [{ path: p, op: 'removed' as const, before: a.get(k) }];
        return diffDocuments(a.get(k), b.get(k), p);
      });
    }
    if (before.length === after.length) return before.flatMap((x, i) => diffDocuments(x, after[i], path + segment(i)));
  }
  return [{ path, op: 'changed', before, after }];
}
