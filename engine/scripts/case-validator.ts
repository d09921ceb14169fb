/**
 * Generates `engine/generated/case-validator.ts`: the case schema (`Case` in schema.ts, the one
 * source of truth) as JSON Schema, compiled by ajv into standalone code ahead of time, so that
 * accepting a valid case costs a fraction of a microsecond instead of zod's ~9 µs.
 *
 * JSON Schema says less than zod: refinements are code. Each refinement in `Case` is written as the
 * JSON Schema keyword that means the same (`REFINEMENTS`); a refinement the table does not know
 * makes the generator throw, so a new one cannot silently be left out of the fast path. The
 * differential test (test/validator-differential.test.ts) holds the two equal, and
 * test/validator.test.ts keeps the committed file current. `npm run schema` and `npm run build`
 * write it.
 */
import { _, Ajv } from 'ajv';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { isValidIsoDate } from '../dates.js';
import { Case, isEachOnce } from '../schema.js';

// CommonJS modules, loaded as such: their default export reads the same under tsx and vitest
const require = createRequire(import.meta.url);
const standaloneCode = (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js')).default;
const ucs2length = (require('ajv/dist/runtime/ucs2length') as { default: (text: string) => number }).default;

/** The generated file, relative to engine/. */
export const CASE_VALIDATOR_FILE = 'generated/case-validator.ts';

/** zod refinements of `Case` and the JSON Schema keywords that check exactly the same. */
const REFINEMENTS = new Map<unknown, Record<string, unknown>>([
  // the format's function is isValidIsoDate itself (see FORMATS in the generated file)
  [isValidIsoDate, { format: 'iso-date' }],
  // zod's Set and ajv's uniqueItems agree on strings, the only items this refinement sees
  [isEachOnce, { uniqueItems: true }],
]);

interface CheckDef {
  check: string;
  fn?: unknown;
}

/** What zod's IsoDate writes beside its refinement; isValidIsoDate alone implies both (see below). */
const ISO_DATE_PATTERN = String.raw`^\d{4}-\d{2}-\d{2}$`;

/** The case schema as JSON Schema, with every refinement written as a keyword; throws on an unknown one. */
export function caseJsonSchema(caseSchema: z.ZodType = Case): Record<string, unknown> {
  const schema = z.toJSONSchema(caseSchema, {
    // the shape a client sends (fields with defaults may be left out; the municipality before it
    // becomes a slug); the output the fast path must give is built by engine/case-output.ts
    io: 'input',
    target: 'draft-7',
    unrepresentable: 'throw',
    reused: 'inline',
    override(ctx) {
      const def = ctx.zodSchema._zod.def as {
        checks?: readonly { _zod: { def: CheckDef } }[];
        type: string;
        discriminator?: string;
      };
      // a discriminated union checks the one option its discriminator names (ajv's discriminator
      // keyword) instead of every option, as oneOf does; zod, too, only tries that one
      if (def.type === 'union' && def.discriminator !== undefined) {
        // (ajv's strict mode wants the type beside it; every option is an object anyway)
        Object.assign(ctx.jsonSchema, { type: 'object', discriminator: { propertyName: def.discriminator } });
      }
      for (const check of def.checks ?? []) {
        const { check: kind, fn } = check._zod.def;
        if (kind !== 'custom') continue;
        const keywords = REFINEMENTS.get(fn);
        if (!keywords) {
          throw new Error(
            `Case has a refinement at ${ctx.path.join('.') || '(root)'} that the generated validator cannot ` +
              'check: add it to REFINEMENTS in engine/scripts/case-validator.ts with the JSON Schema that means the same.',
          );
        }
        Object.assign(ctx.jsonSchema, keywords);
        // isValidIsoDate accepts exactly ten characters of the form DDDD-DD-DD (digits 0-9 and
        // hyphens) and more: the pattern and the length limit beside it can never refuse what it
        // accepts, so they are left out of the fast path (zod still reports them on a refusal)
        if (fn === isValidIsoDate && ctx.jsonSchema.pattern === ISO_DATE_PATTERN && ctx.jsonSchema.maxLength === 10) {
          delete ctx.jsonSchema.pattern;
          delete ctx.jsonSchema.maxLength;
        }
      }
      // annotations only make the generated file longer
      delete ctx.jsonSchema.description;
      delete ctx.jsonSchema.examples;
    },
  }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}

/** The generated module's text. */
export function caseValidatorSource(): string {
  const ajv = new Ajv({
    code: { source: true, esm: true, formats: _`FORMATS` },
    // as zod: patterns without the u flag; lengths in code points (ajv's default, and zod's since
    // it counts a surrogate pair once)
    unicodeRegExp: false,
    allErrors: false,
    discriminator: true,
    strict: true,
    formats: { 'iso-date': isValidIsoDate },
    logger: false,
  });
  const code = standaloneCode(ajv, ajv.compile(caseJsonSchema()))
    // ajv's one runtime helper here, written into the file: no CommonJS require in an ES module
    .replaceAll(`require("ajv/dist/runtime/ucs2length").default`, 'ucs2length');
  if (/\brequire\(/.test(code))
    throw new Error('The generated case validator needs a runtime module; adjust the options.');
  return [
    '// @ts-nocheck',
    '/* eslint-disable */',
    '// Generated by engine/scripts/case-validator.ts from the zod schema Case (npm run schema). Do not edit:',
    '// test/validator.test.ts fails when this file differs from what the generator writes.',
    "import { isValidIsoDate } from '../dates.js';",
    "const FORMATS = { 'iso-date': isValidIsoDate };",
    `const ucs2length = ${ucs2length.toString()};`,
    code.replace(/^"use strict";/, ''),
    '',
  ].join('\n');
}
