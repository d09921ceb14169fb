/**
 * One impact analysis as the editor follows it: start a job for a candidate (a draft or a
 * version), poll its progress until it ends, cancel it, and page through the decisions it
 * changes. The polling timer belongs to the reactive owner that created the job: disposing the
 * owner stops it, and an answer that arrives after that is dropped.
 */
import { createSignal, onCleanup } from 'solid-js';
import type { InferRequestType } from 'hono/client';
import { read, type ApiClient, type OkOf } from './api.js';

type ImpactEndpoint = ApiClient['api']['impact'];
/** The job as the API shows it: progress and one page of changed decisions. */
export type ImpactJob = OkOf<ImpactEndpoint[':id']['$get']>;
/** What to analyse: a draft or a published version of a rule set. */
export type ImpactCandidate = InferRequestType<ImpactEndpoint['$post']>['json']['candidate'];
/** Decision dates to analyse; an empty string means no bound, as an empty date input gives. */
export interface ImpactPeriod {
  from?: string;
  to?: string;
}

export interface ImpactJobOptions {
  /** Milliseconds between polls while the job runs. */
  pollMs?: number;
  /** Changed decisions per page. */
  pageSize?: number;
}

export function createImpactJob(client: ApiClient, options: ImpactJobOptions = {}) {
  const pollMs = options.pollMs ?? 250;
  const pageSize = options.pageSize ?? 50;
  const [job, setJob] = createSignal<ImpactJob | null>(null);
  const [offset, setOffset] = createSignal(0);
  const [error, setError] = createSignal<unknown>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Every start and the dispose begin a new generation; answers for an older one are dropped, so
  // a restarted or disposed job never schedules another poll or overwrites the newer job.
  let generation = 0;

  function stop() {
    clearTimeout(timer);
    timer = undefined;
    generation++;
  }
  onCleanup(stop);

  function fetchJob(id: string, at: number) {
    const query = { limit: String(pageSize), ...(at > 0 ? { offset: String(at) } : {}) };
    return read(client.api.impact[':id'].$get({ param: { id }, query }));
  }

  async function poll(id: string, gen: number) {
    try {
      const at = offset();
      const next = await fetchJob(id, at);
      if (gen !== generation) return;
      // a page chosen meanwhile wins; the next poll brings the job's state with that page
      if (at !== offset()) {
        timer = setTimeout(() => void poll(id, gen), pollMs);
        return;
      }
      setJob(next);
      if (next.status === 'running') timer = setTimeout(() => void poll(id, gen), pollMs);
    } catch (e) {
      if (gen === generation) setError(e);
    }
  }

  /** Starts a job and follows it until it is done, cancelled or failed. */
  async function start(candidate: ImpactCandidate, period: ImpactPeriod = {}) {
    stop();
    const gen = generation;
    setError(null);
    setOffset(0);
    const filter = { ...(period.from ? { from: period.from } : {}), ...(period.to ? { to: period.to } : {}) };
    try {
      const started = await read(client.api.impact.$post({ json: { candidate, filter } }));
      if (gen !== generation) return;
      setJob(started);
      await poll(started.id, gen);
    } catch (e) {
      if (gen === generation) setError(e);
    }
  }

  /** Asks the server to stop the running job; the next poll shows it cancelled. */
  async function cancel() {
    const current = job();
    if (current?.status !== 'running') return;
    try {
      await read(client.api.impact[':id'].$delete({ param: { id: current.id } }));
    } catch (e) {
      setError(e);
    }
  }

  /** Shows the changed decisions from `at` on; a running job keeps polling that page. */
  async function showChanges(at: number) {
    const current = job();
    if (!current) return;
    setOffset(at);
    const gen = generation;
    try {
      const next = await fetchJob(current.id, at);
      if (gen === generation && offset() === at) setJob(next);
    } catch (e) {
      if (gen === generation) setError(e);
    }
  }

  return {
    job,
    error,
    /** Index of the first changed decision shown. */
    offset,
    pageSize,
    running: () => job()?.status === 'running',
    start,
    cancel,
    showChanges,
  };
}
export type ImpactJobState = ReturnType<typeof createImpactJob>;
