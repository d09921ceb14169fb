/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` properties dropped. Two
 * documents with the same content give the same text, whatever order their keys were written in.
 * Pure (no hashing), so the browser entry can compare documents with it too.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
