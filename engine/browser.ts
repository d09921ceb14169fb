/**
 * The engine's surface for the browser (the editor): the schema, the operators, the overlay
 * bounds check, dates, the error classes and the Dutch explanations (labels, condition sentences,
 * the motivation letter) — nothing that needs Node (no `node:crypto` for
 * content hashes, no file system). A test walks this module's imports to keep it so.
 */
export * from './schema.js';
export * from './errors.js';
export { OPERATOR_TABLE, operatorOf } from './operators.js';
export type { OperatorDefinition, OperatorName } from './operators.js';
export { overrideIssues, validateOverlay } from './overlay.js';
export { addDays, dateOf, dayNumber, isValidIsoDate, nextValidFrom } from './dates.js';
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
export { checkExpectation } from './test-cases.js';
export type { TestOutcome } from './test-cases.js';
