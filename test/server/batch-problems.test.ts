/**
 * A batch's problems are made where every problem is (`server/problems.ts`): a line too large,
 * one line too many, and the batch breaking off after its status was sent each read as a problem
 * document of the one `Problem` shape (without `instance`: a line's number says where), with the
 * bytes a line has always had.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Problem } from '../../server/api-schemas.js';
import { evaluateBatch } from '../../server/batch.js';
import { ijsselAllocation } from '../support/factories.js';
import { openServer } from './harness.js';

const s = await openServer();
afterAll(() => s.store.close());
afterEach(() => vi.restoreAllMocks());

/** A problem on a line: the API's `Problem` less `instance`, nothing more. */
const LineProblem = Problem.omit({ instance: true }).strict();

async function linesOf(body: string, options: { maxLineBytes?: number; maxLines?: number } = {}) {
  let out = '';
  for await (const text of evaluateBatch(s.service, new Response(body).body!, {
    dryRun: true,
    trace: false,
    by: 'test',
    maxLineBytes: 1000,
    ...options,
  }))
    out += text;
  return out.trim().split('\n');
}

describe('the problems of a batch', () => {
  it('answers a line over the limit with the problem document a line has always had, byte for byte', async () => {
    const [tooLarge] = await linesOf(`${'x'.repeat(2000)}\n${JSON.stringify(ijsselAllocation())}`);
    const { problem } = JSON.parse(tooLarge!);
    const message = problem.issues[0].message as string;
    expect(message).toMatch(/^Meer dan 1000 bytes \(\d+ of meer\); een casus per regel/);
    expect(tooLarge).toBe(
      JSON.stringify({
        line: 1,
        problem: {
          type: 'https://jeugdzorg-regels.nl/problems/line-too-large',
          title: 'Regel 1 is groter dan 1000 bytes.',
          status: 413,
          code: 'LINE_TOO_LARGE',
          detail: `$: ${message}`,
          issues: [{ path: '$', message, code: 'LINE_TOO_LARGE' }],
        },
      }),
    );
    expect(LineProblem.safeParse(problem).success).toBe(true);
  });

  it('answers the line after the last one it reads with a 413 of the same shape', async () => {
    const lines = await linesOf([1, 2, 3].map(() => JSON.stringify(ijsselAllocation())).join('\n'), { maxLines: 2 });
    const { line, problem } = JSON.parse(lines.at(-1)!);
    expect(line).toBe(3);
    expect(problem).toMatchObject({
      type: 'https://jeugdzorg-regels.nl/problems/too-many-lines',
      status: 413,
      code: 'TOO_MANY_LINES',
      issues: [{ path: '$', code: 'TOO_MANY_LINES' }],
    });
    expect(LineProblem.safeParse(problem).success).toBe(true);
  });

  it('ends a batch that breaks off after its status with an internal-error problem of the same shape', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const append = s.store.log.appendPrepared.bind(s.store.log);
    // the first chunk is logged, the second fails: its status (200) and the first lines are sent
    vi.spyOn(s.store.log, 'appendPrepared')
      .mockImplementationOnce(append)
      .mockRejectedValueOnce(new Error('de schijf is vol'));
    const body = Array.from({ length: 700 }, () => JSON.stringify(ijsselAllocation())).join('\n');
    const res = await s.app.request('/api/evaluate/batch', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body,
    });
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).toMatchObject({ line: 1, id: expect.any(String) });
    const last = lines.at(-1);
    expect(last).not.toHaveProperty('line');
    const title = 'De batch is afgebroken door een fout aan onze kant; de regels hierboven zijn beslist en gelogd.';
    expect(last.problem).toEqual({
      type: 'https://jeugdzorg-regels.nl/problems/internal-error',
      title,
      status: 500,
      code: 'INTERNAL_ERROR',
      detail: title,
      issues: [],
    });
    expect(LineProblem.safeParse(last.problem).success).toBe(true);
    expect(JSON.stringify(last)).not.toContain('schijf');
  }, 60_000);
});
