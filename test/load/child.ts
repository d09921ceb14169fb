/**
 * Runs one of the bench's client programs (the load generator, the batch client, the log store
 * module) as a process of its own and reads the one JSON object it prints last on standard
 * output; its progress goes straight to our standard error. Its standard input stays open until
 * `stop()` closes it (what the load generator's `--seconds=0` waits for); `ready` resolves when
 * it prints a line "measuring".
 */
import { spawn } from 'node:child_process';

export interface ChildRun<T> {
  pid: number;
  result: Promise<T>;
  ready: Promise<void>;
  stop(): void;
}

export function runChild<T = Record<string, unknown>>(script: string, args: string[]): ChildRun<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  let measuring: () => void = () => {};
  const ready = new Promise<void>((resolve) => (measuring = resolve));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    if (/^measuring$/m.test(out)) measuring();
  });
  // a child that already ended must not make our writes throw
  child.stdin.on('error', () => {});
  const result = new Promise<T>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      measuring(); // a child that ended without measuring: its result says why
      const last = out.trim().split('\n').at(-1) ?? '';
      try {
        const parsed = JSON.parse(last) as T;
        if (code !== 0) reject(new Error(`${script} stopte met exit ${code}: ${last}`));
        else resolve(parsed);
      } catch {
        reject(new Error(`${script} stopte (exit ${code}) zonder JSON op de laatste regel: ${last.slice(0, 500)}`));
      }
    });
  });
  return {
    pid: child.pid!,
    result,
    ready,
    stop: () => child.stdin.end(),
  };
}

/** Runs a child to its end. */
export function child<T = Record<string, unknown>>(script: string, args: string[]): Promise<T> {
  const run = runChild<T>(script, args);
  run.stop();
  return run.result;
}
