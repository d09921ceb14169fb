/**
 * What the diff view compares: any published version (left) against the draft's current text
 * or another version (right), as pretty-printed JSON.
 */
import { createMemo, createResource, createSignal, on } from 'solid-js';
import type { ApiClient } from './api.js';
import { fetchVersion } from './ruleset-versions.js';

export function createVersionDiff(
  client: ApiClient,
  ruleSetId: string,
  options: { left: number; right?: 'draft' | number; draftText: () => string },
) {
  const [left, setLeft] = createSignal(options.left);
  const [right, setRight] = createSignal<'draft' | number>(options.right ?? 'draft');
  const version = (v: number) => fetchVersion(client, ruleSetId, v);
  const [leftDoc] = createResource(left, version);
  const [rightDoc] = createResource(right, (v) => (v === 'draft' ? Promise.resolve(null) : version(v)));

  /**
   * The two texts once both sides are loaded, null before. It follows the loaded documents, not
   * the choice itself, so switching sides never shows the old document against the new choice.
   */
  const texts = createMemo(
    on([leftDoc, rightDoc, options.draftText], ([a, b, text]) => {
      if (!a || (right() !== 'draft' && !b)) return null;
      return { original: JSON.stringify(a, null, 2), modified: b ? JSON.stringify(b, null, 2) : text };
    }),
  );

  return { left, setLeft, right, setRight, texts };
}
