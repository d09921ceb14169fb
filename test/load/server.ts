/**
 * A real server for the load tests and the bench: `server/main.ts` in a process of its own (as in
 * production: a load generator must not share its event loop), on a loopback port the system picks, with
 * accounts (an admin token) and its data folder, signing key and checkpoint file inside one
 * temporary folder that `stop()` can remove. With `processes` (or WEB_CONCURRENCY in the
 * environment) it is a server of several processes: a primary and its workers. It runs from the
 * sources under tsx, or with `built` (or BENCH_SERVER=built in the environment) compiled, as
 * production runs it (`dist/server/main.js`, rebuilt first when older than the sources; see
 * test/load/build.ts): under tsx every worker thread loads its code through a loader thread of its
 * own, which costs memory and start-up time that production does not pay.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtServer } from './build.js';

/**
 * The Node flags `npm start` gives the server (package.json's start script: `--expose-gc`, so that
 * a batch starts from a collected heap, see server/batch.ts), read from there rather than written
 * out again, so that a server started here runs as production's does and its memory is production's.
 */
export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  return pkg.scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

/** `server/main.ts` from its sources, under tsx (as `npm start` runs it on a development install). */
const FROM_SOURCES = ['--import', 'tsx', 'server/main.ts'];

export interface RunningServer {
  base: string;
  /** The server's process: with several processes, their primary. */
  pid: number;
  /** The processes that serve requests: the workers of a server of several, else `pid` alone. */
  servingPids(): number[];
  /** The folder holding the data folder (`<root>/data`), the signing key and the checkpoints. */
  root: string;
  dataDir: string;
  /** Mints a token for an account (POST /api/tokens with the admin token). */
  token(name: string, role: string, scope?: string): Promise<string>;
  /** SIGTERM, and waits until the process has closed its database. */
  stop(): Promise<void>;
  /** Removes the temporary folder (after `stop`). */
  remove(): void;
}

/**
 * The address a server started as a child process listens on, read from its start line
 * ("… luistert op http://127.0.0.1:PORT …"); rejects when it exits first. Its standard output
 * is read on (and dropped) after that, so that it never fills the pipe.
 */
export function listeningAt(child: ChildProcess, exited: Promise<unknown>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let seen: string | undefined = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      if (seen === undefined) return;
      seen += chunk;
      const at = /luistert op (http:\/\/\S+)/.exec(seen);
      if (at) {
        seen = undefined;
        resolve(at[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`de server stopte bij het starten (exit ${String(code)})`)));
  });
}

/** A fresh temporary root for a server's data, or the given one. */
export function serverRoot(prefix = 'jz-bench-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Starts `server/main.ts` on `root/data` and resolves once it listens.
 * `nodeArgs` go to Node (e.g. `--cpu-prof --cpu-prof-dir=prof`), `env` to its environment (undefined: unset).
 */
export async function startServer(
  options: {
    root?: string;
    nodeArgs?: string[];
    /** More environment for the server (DATABASE_URL, LOG_SIGNING_KEY, FOUR_EYES for several nodes). */
    env?: Record<string, string | undefined>;
    /** The admin token (RULES_ADMIN_TOKEN); nodes on one database are given the same one. */
    adminToken?: string;
    /** How many processes serve (WEB_CONCURRENCY); unset: WEB_CONCURRENCY of this environment, else 1. */
    processes?: number;
    /** Compiled (`dist/server/main.js`) instead of the sources under tsx; unset: BENCH_SERVER=built. */
    built?: boolean;
  } = {},
): Promise<RunningServer> {
  const root = options.root ?? serverRoot();
  const dataDir = join(root, 'data');
  const admin = options.adminToken ?? `bench-admin-${Math.random().toString(36).slice(2)}`;
  const built = options.built ?? process.env.BENCH_SERVER === 'built';
  const program = built ? ['--enable-source-maps', builtServer()] : FROM_SOURCES;
  const child = spawn(process.execPath, [...startFlags(), ...(options.nodeArgs ?? []), ...program], {
    env: {
      ...process.env,
      // a port the system picks, read back from the start line: a random one could be taken
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      RULES_ADMIN_TOKEN: admin,
      // started from a test: the editor it builds on a first start is built as `npm start` would
      // (vite.config.ts reads VITEST to pick the repository as its root instead of editor/)
      VITEST: '',
      ...(options.processes === undefined ? {} : { WEB_CONCURRENCY: String(options.processes) }),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = await listeningAt(child, exited);
  return {
    base,
    pid: child.pid!,
    servingPids() {
      const workers = childrenOf(child.pid!);
      return workers.length > 0 ? workers : [child.pid!];
    },
    root,
    dataDir,
    async token(name, role, scope) {
      const res = await fetch(`${base}/api/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, role, ...(scope ? { scope } : {}) }),
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`token ${name}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * `npm start`'s server from its sources, with `env` added to this environment (PORT 0 unless
 * given), run until it stops: for a start the server refuses, with what it printed (one Dutch line
 * on standard error) and its exit code. Killed after a minute if it started after all.
 */
export function runRefusedServer(env: Record<string, string>): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const run = spawnSync(process.execPath, [...startFlags(), ...FROM_SOURCES], {
    env: { ...process.env, PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * The child processes of `pid` that run the same program as it (Node: a primary's workers, not a
 * helper such as esbuild's service), from Linux's /proc (none elsewhere). A process's stat line is
 * `pid (name) state ppid …`; the name may hold spaces, so the fields after its closing
 * parenthesis are read.
 */
export function childrenOf(pid: number): number[] {
  let entries: string[];
  let program: string;
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
    program = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === pid && readlinkSync(`/proc/${entry}/exe`) === program ? [Number(entry)] : [];
    } catch {
      return []; // ended meanwhile
    }
  });
}
