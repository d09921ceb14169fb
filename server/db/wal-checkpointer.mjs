// The WAL's checkpoints, on a thread and a connection of their own (see `startWalCheckpointer` in
// wal-checkpointer.ts): every `intervalMs` a PASSIVE checkpoint copies the committed pages from
// the WAL into the database file. PASSIVE never waits for readers or writers, so the server's
// connection goes on committing meanwhile; once a checkpoint has copied everything, the next
// commit starts the WAL again from its beginning. Asked to catch up (the server holds its appends
// back meanwhile), it checkpoints at once and answers with the request's id. Plain JavaScript, loaded without tsx: it
// starts in milliseconds with every server (and every test's server) that opens a data folder.
import { statSync } from 'node:fs';
import { clearTimeout, setTimeout } from 'node:timers';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file, intervalMs } = workerData;
const db = new Database(file, { fileMustExist: true });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

function walBytes() {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0; // no WAL file (yet)
  }
}

// `id`: the catch-up asked for (see `beforeAppend` in wal-checkpointer.ts), answered by its id
function run(id) {
  try {
    // { busy, log, checkpointed }: WAL frames in the log, and how many of them are in the file now
    const [result] = checkpoint.all();
    // and the WAL file's size, which the next start of the WAL cuts back towards its limit
    parentPort.postMessage({ type: 'checkpointed', id, ...result, walBytes: walBytes() });
  } catch (error) {
    // a locked or busy database is tried again at the next interval; anything else is the parent's
    parentPort.postMessage({ type: 'failed', id, message: String(error?.message ?? error), code: error?.code });
  }
  timer = setTimeout(run, intervalMs);
}

let timer = setTimeout(run, intervalMs);
parentPort.on('message', (message) => {
  if (message?.type === 'catch-up') {
    clearTimeout(timer);
    run(message.id);
    return;
  }
  if (message !== 'stop') return;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
