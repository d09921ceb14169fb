/**
 * The evaluation backends a backend-independent test runs on, and what deciding threw written as
 * text, so that two ways of deciding the same input can be compared with one `toBe`.
 */
import type { EvaluationBackend } from '../../engine/backend.js';
import { compiledBackend } from '../../engine/backends/compiled.js';
import { jsonRulesEngineBackend } from '../../engine/backends/json-rules-engine.js';
import { defaultBackend } from '../../engine/decide.js';
import type { CaseValidationError } from '../../engine/errors.js';

/** The reference, the compiled backend, and the compiled one falling back to the reference (the service's). */
export const BACKENDS: [string, EvaluationBackend][] = [
  ['json-rules-engine', jsonRulesEngineBackend],
  ['compiled', compiledBackend],
  ['compiled, else json-rules-engine', defaultBackend],
];

/** An error deciding threw: its name, message and the problems of a refused case. */
export const failureText = (e: unknown) =>
  `threw ${(e as Error).name}: ${(e as Error).message} ${JSON.stringify((e as CaseValidationError).issues ?? null)}`;

/** The decision a promise gives as JSON, or the text of what it threw. */
export const settledText = (decided: Promise<unknown>): Promise<string> =>
  decided.then((d) => JSON.stringify(d), failureText);
