/**
 * Every text and every list a case or a rule set may hold has an upper bound, and its description
 * says what it is: a test that fails when someone adds an unbounded field. Walks the generated
 * JSON Schemas (`engine/generated/`, kept current by another test).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pathFromModule } from '../engine/index.js';

const FILES = ['case.schema.json', 'ruleset.schema.json', 'ruleset-draft.schema.json'];

type Node = Record<string, unknown>;

/** Every place in a JSON Schema where a text, a list or a record is unbounded, or its bound unstated. */
function unbounded(schema: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}/${i}`));
    if (node === null || typeof node !== 'object') return;
    const n = node as Node;
    const types = [n.type].flat();
    const description = String(n.description ?? '');
    const fixed = n.enum !== undefined || n.const !== undefined;
    if (types.includes('string') && !fixed && n.maxLength === undefined) found.push(`${path}: text without maxLength`);
    if (types.includes('array') && n.maxItems === undefined) found.push(`${path}: list without maxItems`);
    const record = types.includes('object') && n.additionalProperties !== undefined && n.additionalProperties !== false;
    if (record && n.maxProperties === undefined) found.push(`${path}: record without maxProperties`);
    for (const key of ['maxLength', 'maxItems', 'maxProperties'])
      if (n[key] !== undefined && !description.includes(String(n[key])))
        found.push(`${path}: ${key} ${String(n[key])} not in its description "${description}"`);
    for (const [key, child] of Object.entries(n)) walk(child, `${path}/${key}`);
  };
  walk(schema, '#');
  return found;
}

describe('bounds in the generated JSON Schemas', () => {
  it.each(FILES)('%s bounds every text, list and record, and says so in its description', (file) => {
    const schema: unknown = JSON.parse(
      readFileSync(pathFromModule(`../engine/generated/${file}`, import.meta.url), 'utf8'),
    );
    expect(unbounded(schema)).toEqual([]);
  });

  it('notices an unbounded text, list or record', () => {
    expect(
      unbounded({
        properties: {
          a: { type: 'string' },
          b: { type: 'array', items: { type: 'number' } },
          c: { type: 'object', additionalProperties: {} },
          d: { type: 'string', maxLength: 10 },
          e: { type: 'string', enum: ['x'] },
        },
      }),
    ).toEqual([
      '#/properties/a: text without maxLength',
      '#/properties/b: list without maxItems',
      '#/properties/c: record without maxProperties',
      '#/properties/d: maxLength 10 not in its description ""',
    ]);
  });
});
