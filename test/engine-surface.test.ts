/**
 * The engine's two surfaces: `engine/browser.ts` must load in a browser (nothing from Node in
 * its module graph), and carries what the editor needs.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as browser from '../engine/browser.js';
import * as node from '../engine/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every module specifier a file imports or re-exports (`import type` left out: erased in the build). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)(?! type)[^'";]*?from\s*'([^']+)'/gm)].map((m) => m[1]!);
}

function moduleGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string) => {
    if (graph.has(file)) return;
    const deps = specifiers(file);
    graph.set(file, deps);
    for (const d of deps) if (d.startsWith('.')) visit(join(dirname(file), d.replace(/\.js$/, '.ts')));
  };
  visit(join(root, entry));
  return graph;
}

describe('engine/browser.ts', () => {
  it('imports nothing from Node, however deep', () => {
    const fromNode = [...moduleGraph('engine/browser.ts')].flatMap(([file, deps]) =>
      deps.filter((d) => d.startsWith('node:')).map((d) => `${relative(root, file)} → ${d}`),
    );
    expect(fromNode).toEqual([]);
  });

  it('offers the overlay bounds check the server applies', () => {
    expect(browser.validateOverlay).toBe(node.validateOverlay);
    expect(browser.overrideIssues).toBe(node.overrideIssues);
  });

  it("tells a value outside a parameter's bounds with the contract's code and path", () => {
    const region = node
      .loadRuleSetFiles(node.DEFAULT_RULES_DIR)
      .map((f) => f.document)
      .find((d) => d.id === 'midden-ijssel-oost-veluwe' && d.version === 2) as browser.RegionRuleSet;
    const parameter = region.parameters['admission.minClientsPerYear']!;
    const { min } = parameter.municipalOverride;
    expect(browser.overrideIssues('admission.minClientsPerYear', parameter, min)).toEqual([]);
    expect(browser.overrideIssues('admission.minClientsPerYear', parameter, min! - 1)).toEqual([
      expect.objectContaining({ path: "$.parameters['admission.minClientsPerYear']", code: 'PARAMETER_OUT_OF_RANGE' }),
    ]);
  });
});
