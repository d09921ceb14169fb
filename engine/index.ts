/** The engine's public surface: what `server/`, the command line and tests import. */
export * from './schema.js';
export * from './errors.js';
export { canonicalJson, contentHash } from './canonical.js';
export { compose, inForce, refOf, regionOf, RuleSetRepository, validateOverlay, versioned } from './compose.js';
export type { EffectiveRuleSet, Versioned } from './compose.js';
export { deriveFacts } from './facts.js';
export type { Facts, FactValue } from './facts.js';
export { computeTariff, totalUnits } from './tariff.js';
export { DecisionEngine, fallbackBackend, outcomeOf } from './decide.js';
export type { ValidationResult } from './decide.js';
export type { EvaluationBackend, CompiledRuleSet } from './backend.js';
export { jsonRulesEngineBackend } from './backends/json-rules-engine.js';
export { compiledBackend, compileRuleSet } from './backends/compiled.js';
export type { SyncCompiledRuleSet } from './backends/compiled.js';
export { compareDecisions, diffDocuments } from './compare.js';
export type { DecisionDifference, DocumentChange } from './compare.js';
export { generatedJsonSchemas, jsonSchemaOf, JSON_SCHEMAS } from './json-schema.js';
