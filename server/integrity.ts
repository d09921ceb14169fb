/**
 * Evidence of the decision log that does not live in the database: its head (sequence number and
 * hash) signed with an Ed25519 key kept outside the data folder, as checkpoints stored in the
 * database and appended to a file an operator can keep elsewhere. A log rewritten with file
 * access (triggers dropped, rows changed and the chain recomputed, the last rows deleted) no
 * longer matches a signed head: `verify` (server/audit.ts) finds it.
 *
 * The key: `LOG_SIGNING_KEY` (an Ed25519 private key as PEM, or its 32-byte seed as hex or
 * base64), else the file `LOG_SIGNING_KEY_FILE` (default `<DATA_DIR>.log-signing.key`, beside
 * the data folder and never in it), created with a message on first start. Several servers on
 * one database (PostgreSQL, later) share the key through either.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Clock } from './clock.js';
import type { Checkpoint } from './db/checkpoints.js';
import type { Store } from './db/store.js';

export type { Checkpoint };

/** Which hash chain a checkpoint covers: the decision log, or the release governance chain. */
export type Chain = 'log' | 'governance';

/** The text a checkpoint's signature covers (the decision log's text is unchanged since v1). */
export function checkpointText(c: Pick<Checkpoint, 'seq' | 'headHash' | 'at'>, chain: Chain = 'log'): string {
  return `jeugdzorg-regels ${chain} checkpoint v1\nseq=${c.seq}\nhead=${c.headHash}\nat=${c.at}\n`;
}

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A key's id: `ed25519:` and the start of the SHA-256 of its raw public key. */
function keyIdOf(publicKey: KeyObject): string {
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return `ed25519:${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
}

/** Reads an Ed25519 private key: PEM (PKCS#8), or its 32-byte seed as hex or base64. */
export function privateKeyFrom(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.includes('BEGIN')) {
    const key = createPrivateKey(trimmed);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`geen Ed25519-sleutel maar ${key.asymmetricKeyType}`);
    return key;
  }
  const seed = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (seed.length !== 32) throw new Error('verwacht een Ed25519-sleutel als PEM, of 32 bytes als hex of base64');
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** What checks checkpoints: the public key, anywhere (a worker thread, an operator's machine). */
export class CheckpointVerifier {
  readonly keyId: string;
  readonly publicKeyPem: string;
  protected readonly publicKey: KeyObject;

  constructor(publicKey: KeyObject | string) {
    this.publicKey = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    this.keyId = keyIdOf(this.publicKey);
    this.publicKeyPem = this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  /** Whether a checkpoint carries a valid signature of this key. */
  valid(c: Checkpoint, chain: Chain = 'log'): boolean {
    if (c.keyId !== this.keyId) return false;
    try {
      return verify(null, Buffer.from(checkpointText(c, chain)), this.publicKey, Buffer.from(c.signature, 'base64'));
    } catch {
      return false;
    }
  }
}

/** Signs checkpoints with the private key. */
export class LogSigner extends CheckpointVerifier {
  constructor(private readonly privateKey: KeyObject) {
    super(createPublicKey(privateKey));
  }

  /** A fresh key, for tests and for a key file made on first start. */
  static generate(): LogSigner {
    return new LogSigner(generateKeyPairSync('ed25519').privateKey);
  }

  /** The private key as PEM, to write to a key file. */
  privateKeyPem(): string {
    return this.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }

  sign(head: { seq: number; hash: string }, at: string, chain: Chain = 'log'): Checkpoint {
    const text = checkpointText({ seq: head.seq, headHash: head.hash, at }, chain);
    return {
      seq: head.seq,
      headHash: head.hash,
      at,
      keyId: this.keyId,
      signature: sign(null, Buffer.from(text), this.privateKey).toString('base64'),
    };
  }
}

/** A key that cannot be read or made, as one line saying what to do. */
export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

/** Where the key file and the checkpoint file are by default: beside DATA_DIR, not in it. */
export function defaultIntegrityFiles(dataDir: string) {
  const base = resolve(dataDir);
  return { keyFile: `${base}.log-signing.key`, checkpointFile: `${base}.checkpoints.jsonl` };
}

/**
 * The signing key from `LOG_SIGNING_KEY`, else from `keyFile` — which is created (mode 0600)
 * when it does not exist yet, reported in `created`.
 */
export function loadSigningKey(options: { key?: string | undefined; keyFile: string }): {
  signer: LogSigner;
  source: string;
  created: boolean;
} {
  if (options.key) {
    try {
      return { signer: new LogSigner(privateKeyFrom(options.key)), source: 'LOG_SIGNING_KEY', created: false };
    } catch (error) {
      throw new SigningKeyError(
        `LOG_SIGNING_KEY is geen bruikbare sleutel (${(error as Error).message}). Zet er een Ed25519-sleutel in (PEM, of 32 bytes als hex of base64), of laat hem weg om ${options.keyFile} te gebruiken.`,
      );
    }
  }
  const file = resolve(options.keyFile);
  if (existsSync(file)) {
    try {
      return { signer: new LogSigner(privateKeyFrom(readFileSync(file, 'utf8'))), source: file, created: false };
    } catch (error) {
      throw new SigningKeyError(
        `Kan de sleutel voor het logboek niet lezen uit ${file}: ${(error as Error).message}. Herstel het bestand uit uw kopie, of kies met LOG_SIGNING_KEY_FILE een ander bestand.`,
      );
    }
  }
  const signer = LogSigner.generate();
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, signer.privateKeyPem(), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw new SigningKeyError(
      `Kan geen sleutel voor het logboek aanmaken in ${file}: ${(error as Error).message}. Kies met LOG_SIGNING_KEY_FILE een bestand buiten DATA_DIR waarin de server mag schrijven, of zet LOG_SIGNING_KEY.`,
    );
  }
  return { signer, source: file, created: true };
}

/** Reads a checkpoint file: one JSON checkpoint a line; lines that do not parse are reported. */
export function readCheckpointFile(file: string): { checkpoints: Checkpoint[]; unreadable: number[] } {
  if (!existsSync(file)) return { checkpoints: [], unreadable: [] };
  const checkpoints: Checkpoint[] = [];
  const unreadable: number[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const c = JSON.parse(line) as Checkpoint;
        if (typeof c.seq !== 'number' || typeof c.headHash !== 'string' || typeof c.signature !== 'string')
          throw new Error('not a checkpoint');
        checkpoints.push({ seq: c.seq, headHash: c.headHash, at: c.at, keyId: c.keyId, signature: c.signature });
      } catch {
        unreadable.push(i + 1);
      }
    });
  return { checkpoints, unreadable };
}

export interface CheckpointOptions {
  /** The append-only file checkpoints are also written to (none: the database only). */
  file?: string | undefined;
  /** A checkpoint after this many logged decisions… */
  everyAppends?: number;
  /** …or this long after the first decision not yet covered, whichever comes first. */
  intervalMs?: number;
}

/**
 * Writes checkpoints of the head the server itself appended: after every `everyAppends`
 * decisions, `intervalMs` after the first one not yet covered, at shutdown (`close`), and of the
 * head a verification found intact. Signing happens after the response (setImmediate), at most
 * once per `everyAppends` decisions: about 50 µs per hundred evaluations.
 */
export class LogCheckpointer {
  private head: { seq: number; hash: string } | undefined;
  /** The last sequence number signed: read from the store on first need. */
  private lastSigned: number | undefined;
  /** Closed: checkpoints after this would find the store closed under them. */
  private closed = false;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private fileFailed = false;
  private readonly everyAppends: number;
  private readonly intervalMs: number;

  constructor(
    private readonly store: Pick<Store, 'checkpoints'>,
    readonly signer: LogSigner,
    private readonly clock: Clock,
    readonly options: CheckpointOptions = {},
  ) {
    this.everyAppends = options.everyAppends ?? 100;
    this.intervalMs = options.intervalMs ?? 10_000;
  }

  /** A decision was logged: its entry is the head now. */
  appended(head: { seq: number; hash: string }) {
    this.head = head;
    if (head.seq - (this.lastSigned ?? 0) >= this.everyAppends) {
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.later();
        });
      }
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.later();
      }, this.intervalMs).unref();
    }
  }

  /** A checkpoint outside a request: never an uncaught error, nothing once the store is closed. */
  private async later() {
    if (this.closed) return;
    try {
      await this.checkpoint();
    } catch (error) {
      console.error(`Kan geen controlepunt van het logboek vastleggen: ${(error as Error).message}`);
    }
  }

  /**
   * Signs `head` (by default the last one this server appended) unless a checkpoint covers it
   * already; stores it and appends it to the file. Returns the checkpoint written.
   */
  async checkpoint(head = this.head): Promise<Checkpoint | undefined> {
    if (!head) return undefined;
    this.lastSigned ??= (await this.store.checkpoints.latest())?.seq ?? 0;
    if (head.seq <= this.lastSigned) return undefined;
    // taken before the store answers, so that a second call meanwhile does not sign it again
    const before = this.lastSigned;
    this.lastSigned = head.seq;
    const checkpoint = this.signer.sign(head, this.clock.now());
    try {
      // another node on the same database signed this head first (after a verify of its own):
      // the database keeps that one, and so does nobody's file twice
      if (!(await this.store.checkpoints.add(checkpoint))) return undefined;
    } catch (error) {
      this.lastSigned = before;
      throw error;
    }
    if (this.options.file) {
      try {
        appendFileSync(this.options.file, `${JSON.stringify(checkpoint)}\n`);
        this.fileFailed = false;
      } catch (error) {
        if (!this.fileFailed)
          console.error(
            `Kan het controlepunt van het logboek niet schrijven naar ${this.options.file}: ${(error as Error).message}. Het staat wel in de database; kies met LOG_CHECKPOINT_FILE een bestand waarin de server mag schrijven.`,
          );
        this.fileFailed = true;
      }
    }
    return checkpoint;
  }

  /** At shutdown: a last checkpoint of what this server appended, and no more timers. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.later();
    this.closed = true;
  }
}
