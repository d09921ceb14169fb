/**
 * Every temporary file of a test run in one folder of the run's own, removed when the run ends
 * (vitest's `globalSetup`). The tests make hundreds of data folders, a SQLite database each, and
 * few of them removed theirs: every `npm test` left ~400 MB in the system's temporary folder.
 * `os.tmpdir()` reads `TMPDIR` at each call, and the test workers, and the servers and tools they
 * start, inherit it from this process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'jz-test-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = folder;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(folder, { recursive: true, force: true });
  };
}
