/**
 * A server of several processes on one port (`WEB_CONCURRENCY=N`): the primary forks N workers
 * with node:cluster, which all listen on the same address (the primary accepts connections and
 * hands them to the workers in turn, so each keep-alive connection stays with one worker). The
 * primary serves nothing itself. It restarts a worker that stops unexpectedly, and on SIGTERM or
 * SIGINT passes SIGTERM on to every worker, whose own handler ends gracefully (its waiting log
 * appends committed, a last checkpoint signed), before it lets go of what it holds itself.
 */
import cluster, { type Worker } from 'node:cluster';
import { wholeNumberFromEnv } from './env.js';

/** More processes than this serve no machine this runs on better, and a typo (80 for 8) is caught. */
export const MAX_PROCESSES = 64;

/** `WEB_CONCURRENCY` as a number of processes (unset: 1); undefined when it is not one. */
export function parseConcurrency(value: string | undefined): number | undefined {
  return wholeNumberFromEnv(value, { min: 1, max: MAX_PROCESSES, fallback: 1 });
}

export interface SuperviseOptions {
  workers: number;
  /** Once every worker of the start listens: the address they share (for the start line). */
  onListening(address: { address: string; port: number }): void;
  /** After the last worker has exited at a stop: lets go of what the primary holds. */
  onStopped(): Promise<void>;
  /** How long workers get to end gracefully at a stop before they are killed (ms). */
  stopTimeoutMs?: number;
}

/**
 * Runs the primary: forks the workers (each runs this same program, as `cluster.isWorker`) and
 * supervises them until SIGTERM or SIGINT, then exits. A worker that stops before it ever
 * listened stops the whole server with exit 1 — it said why on standard error, and a new one
 * would fail the same way.
 */
export function supervise(options: SuperviseOptions): void {
  const live = new Set<Worker>();
  const listened = new WeakSet<Worker>();
  let announced = false;
  let stopping: { code: number } | undefined;

  const fork = () => {
    const worker = cluster.fork();
    live.add(worker);
    worker.once('listening', (address) => {
      listened.add(worker);
      if (announced || [...live].some((w) => !listened.has(w))) return;
      announced = true;
      options.onListening({ address: address.address ?? '', port: address.port });
    });
    worker.once('exit', (code, signal) => {
      live.delete(worker);
      if (stopping) {
        if (live.size === 0) void finish(stopping.code);
      } else if (!listened.has(worker)) {
        stop(1);
      } else {
        console.error(
          `Werkproces ${worker.process.pid} stopte onverwacht (${signal ?? `exitcode ${code}`}); er wordt een nieuw gestart.`,
        );
        fork();
      }
    });
  };

  const stop = (code: number) => {
    if (stopping) return;
    stopping = { code };
    if (live.size === 0) return void finish(code);
    for (const worker of live) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of live) worker.process.kill('SIGKILL');
    }, options.stopTimeoutMs ?? 30_000).unref();
  };

  const finish = async (code: number) => {
    await options.onStopped();
    process.exit(code);
  };

  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(0));
  for (let i = 0; i < options.workers; i++) fork();
}
