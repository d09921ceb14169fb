/**
 * The engine's public surface: what `server/`, the command line and the scripts import (lint
 * refuses deep imports into `engine/` from `server/` and `editor/`). Node only: content hashes use
 * `node:crypto` and the loader reads `rules/`; the editor imports `engine/browser.ts` instead.
 */
export * from './browser.js';
export { canonicalJson, contentHash } from './canonical.js';
export { asVersioned, compose, inForce, refOf, regionOf, RuleSetRepository, versioned } from './compose.js';
export type { Composition, EffectiveRuleSet, Versioned, VersionInput } from './compose.js';
export { composeCandidate, nextVersion, recordedComposition } from './candidate.js';
export { compareDecisions, diffDocuments } from './compare.js';
export { deriveFacts } from './facts.js';
export type { Facts, FactValue } from './facts.js';
export { computeTariff, totalUnits } from './tariff.js';
export { fitsCaseSchema, issuesAgainst, parseCase, validateCase } from './validate-case.js';
export type { ParsedCase, ValidationResult } from './validate-case.js';
export {
  BACKENDS,
  COMPILED_CACHE_LIMIT,
  DecisionEngine,
  defaultBackend,
  fallbackBackend,
  outcomeOf,
  reasonsOfRuleIds,
} from './decide.js';
export type { BackendName, DecideOptions, DecisionEngineOptions, DecisionText } from './decide.js';
export type { EvaluationBackend, CompiledRuleSet, TraceText } from './backend.js';
export { jsonRulesEngineBackend } from './backends/json-rules-engine.js';
export { compiledBackend, compileRuleSet } from './backends/compiled.js';
export type { SyncCompiledRuleSet, TextCompiledRuleSet } from './backends/compiled.js';
export type { DecisionDifference, DocumentChange } from './compare.js';
export { LruCache } from './cache.js';
export { generatedJsonSchemas, JSON_SCHEMAS, jsonSchemaOf } from './json-schema.js';
export {
  DEFAULT_RULES_DIR,
  loadRepository,
  loadRuleSetFiles,
  loadTestSuites,
  pathFromModule,
  TEST_SUITE_FILE,
} from './loader.js';
export type { LoadedRuleSet, LoadedTestSuite } from './loader.js';
export {
  caseToJw315,
  Jw301Allocation,
  Jw315Answer,
  Jw315Request,
  jw315Answer,
  jw315ToCase,
  SERVICE_CATEGORIES,
  WJ759_OF_REASON,
} from './ijw.js';
export type { Jw315Result } from './ijw.js';
export { DMN_NAMESPACE, ruleSetToDmn } from './dmn.js';
export { decideLine, decisionMembers, decisionTail } from './batch.js';
export type { DecisionMembers, LineOutcome, LineProblem } from './batch.js';
