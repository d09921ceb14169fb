/**
 * A test run's temporary files go into one folder of the run's own (test/support/temp-folder.ts,
 * vitest's `globalSetup`), which the run removes at its end: not the system's temporary folder,
 * where every run used to leave hundreds of data folders.
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';

describe("a test run's temporary folder", () => {
  it('is one of its own, for the tests and for the processes they start', () => {
    expect(basename(tmpdir())).toMatch(/^jz-test-/);
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("node:os").tmpdir())'], {
      encoding: 'utf8',
    });
    expect(child.stdout).toBe(tmpdir());
  });
});
