/**
 * Publishing is one transaction: a process killed (SIGKILL) in the middle of a publish loop
 * leaves every draft either still a draft or wholly published, never half of it, and the
 * database intact.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../engine/canonical.js';
import { openDataDir } from '../../server/db/open.js';

const DRAFTS = 400;

function killDuringPublishing(dataDir: string, afterPublishes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    // node itself (not npx), so that SIGKILL hits the process that is writing
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/server/fixtures/publish-loop.ts', dataDir, String(DRAFTS)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let published = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      published += chunk.split('\n').filter((l) => l === 'published').length;
      if (published >= afterPublishes) child.kill('SIGKILL');
    });
    child.on('exit', () => resolve(published));
    child.on('error', reject);
  });
}

describe('a process killed while publishing', () => {
  it.each([3, 25])(
    'leaves whole publishes or none (killed after %i)',
    async (after) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'crash-'));
      await killDuringPublishing(dataDir, after);

      const raw = new Database(join(dataDir, 'rules.sqlite'));
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();

      const store = openDataDir(dataDir);
      try {
        const published = (await store.ruleSets.versionsOf('zwolle')).filter((v) => v.publishedBy === 'crash-test');
        const remaining = await store.ruleSets.drafts('zwolle');
        // every draft is exactly one of: still a draft, or a published version
        expect(published.length + remaining.length).toBe(DRAFTS);
        expect(published.length).toBeGreaterThanOrEqual(after);
        for (const v of published) expect(v.contentHash).toBe(contentHash(v.document));
        const publishedChanges = new Set(published.map((v) => v.document.changes[0]));
        for (const d of remaining) expect(publishedChanges.has(d.document.changes[0])).toBe(false);
      } finally {
        await store.close();
      }
    },
    120_000,
  );
});
