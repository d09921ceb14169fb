/**
 * JSON Schemas generated from the zod schemas, for Monaco in the editor and for the OpenAPI
 * document. `npm run schema` writes them to `engine/generated/`; a test keeps the files current.
 */
import { z } from 'zod';
import { Case, Decision, RuleSetDocument, RuleSetDraft } from './schema.js';

export const JSON_SCHEMAS = {
  'ruleset.schema.json': RuleSetDocument,
  /** What the editor edits: a draft, which needs no version or validFrom yet. */
  'ruleset-draft.schema.json': RuleSetDraft,
  'case.schema.json': Case,
  'decision.schema.json': Decision,
} as const;

export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  // "input": the shape a person writes, where fields with defaults may be left out.
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', reused: 'ref' }) as Record<string, unknown>;
}

/** The generated files' contents, keyed by file name. */
export function generatedJsonSchemas(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(JSON_SCHEMAS).map(([file, schema]) => [file, `${JSON.stringify(jsonSchemaOf(schema), null, 2)}\n`]),
  );
}
