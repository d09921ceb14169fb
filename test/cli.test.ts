/**
 * The command line as the contract fixes it: `npm run --silent evaluate -- CASE.json` (or `-`)
 * prints the decision on stdout with exit 0, or a problem document with every issue's JSON path
 * (at most 50, with the count of the rest) on stderr with exit 2; `--backend json-rules-engine` cross-checks on the reference engine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dyslexiaCase, mijovAllocation } from './support/factories.js';

function evaluate(arg: string, stdin?: string, options: string[] = []) {
  const result = spawnSync('npm', ['run', '--silent', 'evaluate', '--', ...options, arg], {
    input: stdin,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024, // a batch's answer
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function caseFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'case-'));
  const file = join(dir, 'case.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('npm run evaluate', () => {
  it('prints the decision of a valid case as JSON and exits 0', () => {
    const { status, stdout } = evaluate(caseFile(dyslexiaCase({ referral: { referrer: 'huisarts' } })));
    expect(status).toBe(0);
    const decision = JSON.parse(stdout);
    expect(decision.outcome).toBe('rejected');
    expect(decision.reasons.map((r: { code: string }) => r.code)).toContain('REFERRER_NOT_ALLOWED');
    expect(decision.ruleSets.map((r: { id: string }) => r.id)).toEqual(['ijsselland', 'zwolle']);
  });

  it('reads the case from standard input with -', () => {
    const { status, stdout } = evaluate('-', JSON.stringify(mijovAllocation()));
    expect(status).toBe(0);
    expect(JSON.parse(stdout).tariff).toMatchObject({ model: 'effort', units: 52, unit: 'uur' });
  });

  it('prints a problem document with every issue and its path on stderr, exit 2', () => {
    const bad = { ...mijovAllocation(), colour: 'blue', referenceDate: '2026-02-30', municipality: 'amsterdam' };
    const { status, stdout, stderr } = evaluate(caseFile(bad));
    expect(status).toBe(2);
    expect(stdout).toBe('');
    const problem = JSON.parse(stderr);
    expect(problem).toMatchObject({ status: 400, code: 'INVALID_CASE', type: expect.stringContaining('invalid-case') });
    const paths = problem.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['$.colour', '$.referenceDate', '$.municipality']));
  });

  it('refuses a product the rule sets do not know, at its path', () => {
    const { status, stderr } = evaluate(caseFile(mijovAllocation({ request: { product: 'paardrijden' } })));
    expect(status).toBe(2);
    expect(JSON.parse(stderr).issues).toEqual([expect.objectContaining({ path: '$.request.product' })]);
  });

  it('refuses text that is not JSON with exit 2', () => {
    const { status, stderr } = evaluate(caseFile('{ "type": '));
    expect(status).toBe(2);
    expect(JSON.parse(stderr).issues[0].path).toBe('$');
  });

  it('decides byte for byte the same with --backend json-rules-engine as with the default compiled backend', () => {
    const file = caseFile(mijovAllocation());
    const byDefault = evaluate(file);
    const reference = evaluate(file, undefined, ['--backend', 'json-rules-engine']);
    const compiled = evaluate(file, undefined, ['--backend', 'compiled']);
    expect([byDefault.status, reference.status, compiled.status]).toEqual([0, 0, 0]);
    expect(reference.stdout).toBe(byDefault.stdout);
    expect(compiled.stdout).toBe(byDefault.stdout);
  });

  it('refuses a backend it does not know, naming the ones it does, with exit 2', () => {
    const { status, stdout, stderr } = evaluate(caseFile(mijovAllocation()), undefined, ['--backend', 'drools']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Onbekende backend drools');
    expect(stderr).toContain('json-rules-engine|compiled');
  });

  it('lists at most 50 issues and counts the rest', () => {
    // 100 allocations (the bound), each with an unknown field and no start date: 200 issues
    const allocations = Array.from({ length: 100 }, () => ({ colour: 'blauw' }));
    const { status, stdout, stderr } = evaluate(caseFile(mijovAllocation({ existingAllocations: allocations })));
    expect(status).toBe(2);
    expect(stdout).toBe('');
    const problem = JSON.parse(stderr);
    expect(problem.issues).toHaveLength(50);
    expect(problem.omittedIssues).toBe(150);
    expect(problem.detail).toContain('nog 150 problemen');
  });
});

describe('npm run evaluate -- --batch', () => {
  const lines = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown> & { line: number });

  it('decides a file of cases line by line, in order, a problem for each bad line, and logs nothing', () => {
    const input = [
      JSON.stringify(mijovAllocation()),
      '{niet-json',
      '',
      JSON.stringify({ ...dyslexiaCase(), colour: 'blauw' }),
      JSON.stringify(dyslexiaCase({ referral: { referrer: 'huisarts' } })),
    ].join('\n');
    const { status, stdout } = evaluate(caseFile(input), undefined, ['--batch']);
    expect(status).toBe(2); // some lines were problems
    const out = lines(stdout);
    expect(out.map((l) => l.line)).toEqual([1, 2, 4, 5]);
    expect(out[0]).toMatchObject({ id: null, tariff: { model: 'effort', units: 52 } });
    expect(out[0]).not.toHaveProperty('trace');
    expect(out[1]).toMatchObject({ problem: { status: 400, code: 'INVALID_JSON' } });
    expect(out[2]).toMatchObject({ problem: { code: 'INVALID_CASE', issues: [{ path: '$.colour' }] } });
    expect(out[3]).toMatchObject({ outcome: 'rejected' });
    // the same decision as the single-case command gives
    const single = JSON.parse(evaluate(caseFile(mijovAllocation())).stdout);
    const { line: _line, id: _id, ...decided } = out[0]!;
    const { trace: _trace, ...expected } = single;
    expect(decided).toEqual(expected);
  });

  it('reads standard input with -, answers the trace with --trace, and reports progress on long runs', () => {
    const traced = evaluate('-', JSON.stringify(mijovAllocation()), ['--trace', '--batch']);
    expect(traced.status).toBe(0);
    expect((lines(traced.stdout)[0]!.trace as unknown[]).length).toBeGreaterThan(0);
    const many = Array.from({ length: 40_000 }, () => JSON.stringify(mijovAllocation())).join('\n');
    const { status, stdout, stderr } = evaluate('-', many, ['--batch']);
    expect(status).toBe(0);
    const out = lines(stdout);
    expect(out).toHaveLength(40_000);
    expect(out.at(-1)).toMatchObject({ line: 40_000, id: null });
    // progress lines while it runs (every second), and a closing line with the totals
    expect(stderr).toMatch(/batch: 40000 regels, \d+ per seconde, klaar in [\d.]+ s, 0 met een probleem\n$/);
  }, 120_000);
});
