/**
 * Pure operations on a rule's condition tree (json-rules-engine form), addressed by a path of
 * child indexes: [] is the top-level group, [1, 0] the first child of the second child. The
 * condition tree editor only calls these, so they are tested without a browser.
 */
import type { Condition, LeafCondition, TopLevelCondition } from '../../engine/browser.js';

export type Group = { all: Condition[] } | { any: Condition[] } | { not: Condition };
export type Path = number[];

export const isLeaf = (c: Condition): c is LeafCondition => 'fact' in c;
export const groupKind = (c: Condition): 'all' | 'any' | 'not' | null =>
  'all' in c ? 'all' : 'any' in c ? 'any' : 'not' in c ? 'not' : null;

export function children(c: Condition): Condition[] {
  if ('all' in c) return c.all;
  if ('any' in c) return c.any;
  if ('not' in c) return [c.not];
  return [];
}

function withChildren(c: Condition, next: Condition[]): Condition {
  if ('all' in c) return { all: next };
  if ('any' in c) return { any: next };
  if ('not' in c) return { not: next[0]! };
  return c;
}

export function at(root: Condition, path: Path): Condition {
  return path.reduce((c, i) => children(c)[i]!, root);
}

/** Replaces the node at `path`, returning a new tree (the old one is untouched). */
export function replaceAt(root: Condition, path: Path, node: Condition): Condition {
  if (path.length === 0) return node;
  const [head, ...rest] = path;
  const kids = children(root).slice();
  kids[head!] = replaceAt(kids[head!]!, rest, node);
  return withChildren(root, kids);
}

export function removeAt(root: Condition, path: Path): Condition {
  if (path.length === 0) return root;
  const parentPath = path.slice(0, -1);
  const parent = at(root, parentPath);
  if ('not' in parent) return root; // a "not" always keeps its one condition
  const kids = children(parent).filter((_, i) => i !== path[path.length - 1]);
  if (kids.length === 0) return root; // json-rules-engine needs at least one condition in a group
  return replaceAt(root, parentPath, withChildren(parent, kids));
}

export function appendAt(root: Condition, groupPath: Path, node: Condition): Condition {
  const group = at(root, groupPath);
  if (isLeaf(group) || 'not' in group) return root;
  return replaceAt(root, groupPath, withChildren(group, [...children(group), node]));
}

/** Switches a group between all / any / not (not keeps only the first condition). */
export function setGroupKind(root: Condition, path: Path, kind: 'all' | 'any' | 'not'): Condition {
  const group = at(root, path);
  const kids = children(group);
  if (kind === 'not') return replaceAt(root, path, { not: kids[0] ?? newLeaf() });
  return replaceAt(root, path, kind === 'all' ? { all: kids } : { any: kids });
}

export function newLeaf(): LeafCondition {
  return { fact: 'profile', operator: 'equal', value: 1 };
}

export function asTopLevel(c: Condition): TopLevelCondition {
  return isLeaf(c) ? { all: [c] } : (c as TopLevelCondition);
}
