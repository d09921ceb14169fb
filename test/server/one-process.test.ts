/**
 * One server per data folder: a second one (in this process or another) is refused with a
 * clear message, a lock left by a process that is gone is taken over, and a busy database makes
 * a write wait rather than fail. A data folder the server cannot use stops `npm start` with one
 * readable line naming the path.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../server/db/lock.js';
import { DataDirError, openDataDir } from '../../server/db/open.js';
import type { Store } from '../../server/db/store.js';
import { runRefusedServer } from '../load/server.js';
import { apeldoornRenewal } from '../support/factories.js';
import { openServer } from './harness.js';

const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});
const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe('one process per data folder', () => {
  it('refuses a second store on the same folder in this process, and allows it again once closed', async () => {
    const dir = tempDir('lock-');
    const first = openDataDir(dir);
    expect(() => openDataDir(dir)).toThrow(DataDirError);
    expect(() => openDataDir(dir)).toThrow(/al in gebruik door een andere server \(pid \d+/);
    await first.close();
    opened.push(openDataDir(dir));
  });

  it('refuses a second server process with one line that names the folder', () => {
    const dir = tempDir('lock-');
    opened.push(openDataDir(dir));
    const { status, stderr } = runRefusedServer({ DATA_DIR: dir, LOG_SIGNING_KEY_FILE: `${dir}.key` });
    expect(status).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(dir);
    expect(lines[0]).toMatch(/al in gebruik door een andere server \(pid \d+/);
  }, 60_000);

  it('takes over a lock left by a process that is gone', async () => {
    const dir = tempDir('lock-');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(gone.stdout);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, since: '2026-01-01T00:00:00.000Z' }));
    const store = openDataDir(dir);
    opened.push(store);
    expect(await store.ruleSets.versions()).toEqual([]);
  });
});

describe('a busy database', () => {
  it('makes a logged evaluation wait for another writer instead of failing', async () => {
    const s = await openServer();
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/server/fixtures/hold-write-lock.ts', s.file, '400'],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => chunk.includes('locked') && resolve());
        child.on('error', reject);
      });
      const res = await s.request('POST', '/api/evaluate', apeldoornRenewal(12));
      expect(res.status).toBe(200);
      await new Promise((resolve) => child.on('exit', resolve));
      expect(await s.store.log.count({})).toBe(1);
    } finally {
      await s.store.close();
    }
  }, 30_000);
});

describe('start-up errors', () => {
  it('say in one line which data folder cannot be used and what to do', () => {
    const dir = tempDir('startup-');
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    const dataDir = join(file, 'data');
    const { status, stderr } = runRefusedServer({ DATA_DIR: dataDir, LOG_SIGNING_KEY_FILE: join(dir, 'key') });
    expect(status).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Kan de database niet openen in ${dataDir}: .*Kies met DATA_DIR`));
  }, 60_000);

  it('say in one line when the signing key cannot be made', () => {
    const dir = tempDir('startup-');
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    const { status, stderr } = runRefusedServer({
      DATA_DIR: join(dir, 'data'),
      LOG_SIGNING_KEY_FILE: join(file, 'key'),
    });
    expect(status).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Kan geen sleutel voor het logboek aanmaken in .*a-file\/key: .*LOG_SIGNING_KEY_FILE/);
  }, 60_000);
});
