/**
 * The engine's surface for the browser (the editor): the schema, the operators, the overlay
 * bounds check, dates and the error classes — nothing that needs Node (no `node:crypto` for
 * content hashes, no file system). A test walks this module's imports to keep it so.
 */
export * from './schema.js';
export * from './errors.js';
export { OPERATOR_TABLE, operatorOf } from './operators.js';
export type { OperatorDefinition, OperatorName } from './operators.js';
export { overrideIssues, validateOverlay } from './overlay.js';
export { addDays, dateOf, dayNumber, isValidIsoDate, nextValidFrom } from './dates.js';
