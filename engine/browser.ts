/**
 * The engine's surface for the browser (the editor): the schema, the operators, the overlay
 * bounds check, dates, the error classes, the Dutch explanations (labels, condition sentences,
 * the motivation letter), the semantic diff of a draft and its static analysis — nothing that
 * needs Node (no `node:crypto` for
 * content hashes, no file system). A test walks this module's imports to keep it so.
 */
export * from './schema.js';
export * from './errors.js';
export { OPERATOR_TABLE, operatorOf } from './operators.js';
export type { OperatorDefinition, OperatorName } from './operators.js';
export { overrideIssues, validateOverlay } from './overlay.js';
export { addDays, addMonths, dateOf, dayNumber, isValidIsoDate, LAST_ISO_DATE, nextValidFrom } from './dates.js';
export { formatDate, formatDateTime, formatEuros } from './format.js';
export {
  allConditions,
  decisiveConditions,
  describeCase,
  describeCondition,
  EFFECT_LABELS,
  FACT_LABELS,
  factInWords,
  OPERATOR_LABELS,
  placeName,
} from './explain.js';
export type { LeafTrace } from './explain.js';
export { letterHtml, letterText, motivationLetter } from './motivation.js';
export type { Letter, LetterInput } from './motivation.js';
export { REASON_TEMPLATES } from './letter-templates.js';
export {
  CHANGE_GROUPS,
  CHANGE_KINDS,
  RULE_KIND_LABELS,
  SemanticChange,
  semanticDiff,
  SemanticDiffResult,
} from './semantic-diff.js';
export type { DiffableRuleSet, SemanticDiffOptions } from './semantic-diff.js';
export {
  ANALYSIS_CODES,
  AnalysisCode,
  AnalysisResult,
  analyseRuleSet,
  ENGINE_PARAMETERS,
  Finding,
  FINDING_SEVERITIES,
  parametersOf,
} from './analysis.js';
export type { AnalysisContext } from './analysis.js';
export {
  conditionInWords,
  leafInWords,
  OPERATOR_SYMBOLS,
  parameterLookup,
  parameterValueInWords,
} from './condition-words.js';
export type { ParameterInfo, ParameterLookup } from './condition-words.js';
export { CATALOGUE_FACTS } from './illustrative.js';
export { checkExpectation } from './test-cases.js';
export type { TestOutcome } from './test-cases.js';
