/**
 * What zod's `Case.parse` returns for a case the generated validator accepted, built without zod:
 * a fresh object with the keys in the schema's order, defaults filled in and transforms applied
 * (the municipality's CBS code becomes its slug). The builder is written once, when this module
 * loads, from the zod schema itself, so a field added to `Case` needs nothing here; a kind of
 * schema the walk does not know makes loading fail rather than build something else.
 *
 * Only valid input reaches it (the validator said so): it copies, it does not check.
 */
import type { z } from 'zod';
import { Case } from './schema.js';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  in?: z.ZodType;
  out?: z.ZodType;
  defaultValue?: unknown;
  catchall?: z.ZodType;
}

const defOf = (schema: z.ZodType) => schema._zod.def as unknown as Def;

/** Kinds of schema whose parsed value is the input value itself. */
const AS_IS = new Set(['string', 'number', 'boolean', 'enum', 'literal']);

/**
 * Writes the builder as JavaScript: one function per object schema (monomorphic property reads),
 * zod schemas and values referenced through `S`, never spliced into the source; key names only as
 * JSON string literals.
 */
class BuilderWriter {
  readonly schemas: z.ZodType[] = [];
  private readonly functions: string[] = [];

  private ref(schema: z.ZodType): string {
    this.schemas.push(schema);
    return `S[${this.schemas.length - 1}]`;
  }

  /** An expression for the parsed value of `input` (an expression over a valid input). */
  value(schema: z.ZodType, input: string): string {
    const def = defOf(schema);
    if (AS_IS.has(def.type)) return input;
    switch (def.type) {
      case 'object':
        return `${this.object(schema)}(${input})`;
      case 'array': {
        const element = defOf(def.element!);
        // zod builds a new array; a copy of the elements says the same for values kept as they are
        if (AS_IS.has(element.type)) return `${input}.slice()`;
        return `${input}.map((e) => ${this.value(def.element!, 'e')})`;
      }
      case 'union':
        return `${this.union(schema)}(${input})`;
      case 'pipe': {
        // a transform of an enum (the municipality: code to slug): zod's own result for each of
        // the few values, looked up; transforms are pure, so this is what zod would return
        if (defOf(def.in!).type !== 'enum') throw new Error('engine/case-output.ts transforms enums only.');
        const values = (def.in as unknown as { options: string[] }).options;
        const table = new Map(values.map((value) => [value, schema.parse(value)]));
        return `${this.ref(table as unknown as z.ZodType)}.get(${input})`;
      }
      default:
        throw new Error(`engine/case-output.ts cannot build a ${def.type} from Case; extend the builder.`);
    }
  }

  private object(schema: z.ZodType): string {
    const def = defOf(schema);
    if (def.catchall && defOf(def.catchall).type !== 'never') {
      throw new Error('engine/case-output.ts builds strict objects only.');
    }
    const name = `o${this.functions.length}`;
    this.functions.push(''); // reserve the name before the fields write theirs
    const lines = ['const r = {};'];
    for (const [key, field] of Object.entries(def.shape!)) {
      const k = JSON.stringify(key);
      const fieldDef = defOf(field);
      if (fieldDef.type === 'optional') {
        // zod keeps a key that is present with the value undefined
        lines.push(
          `if (v[${k}] !== undefined) r[${k}] = ${this.value(fieldDef.innerType!, `v[${k}]`)};`,
          `else if (${k} in v) r[${k}] = undefined;`,
        );
      } else if (fieldDef.type === 'default') {
        // zod gives the default (a fresh copy) for undefined, without parsing it; written as a
        // literal (a default is part of the schema, code, not data), so each case gets its own
        const fallback = literalOf(fieldDef.defaultValue, key);
        lines.push(`r[${k}] = v[${k}] === undefined ? ${fallback} : ${this.value(fieldDef.innerType!, `v[${k}]`)};`);
      } else {
        lines.push(`r[${k}] = ${this.value(field, `v[${k}]`)};`);
      }
    }
    lines.push('return r;');
    this.functions[Number(name.slice(1))] = `function ${name}(v) {\n  ${lines.join('\n  ')}\n}`;
    return name;
  }

  /** A union of strict objects: the one option whose keys the input has (valid input fits one). */
  private union(schema: z.ZodType): string {
    const def = defOf(schema);
    const name = `o${this.functions.length}`;
    this.functions.push('');
    const lines: string[] = [];
    if (def.discriminator !== undefined) {
      const d = JSON.stringify(def.discriminator);
      for (const option of def.options!) {
        const literal = defOf(defOf(option).shape![def.discriminator]!) as unknown as { values: unknown[] };
        lines.push(`if (v[${d}] === ${JSON.stringify(literal.values[0])}) return ${this.value(option, 'v')};`);
      }
    } else {
      for (const option of def.options!) {
        const optionDef = defOf(option);
        if (optionDef.type !== 'object') throw new Error('engine/case-output.ts builds unions of objects only.');
        const required = Object.entries(optionDef.shape!)
          .filter(([, field]) => !['optional', 'default'].includes(defOf(field).type))
          .map(([key]) => `v[${JSON.stringify(key)}] !== undefined`);
        const keys = this.ref(new Set(Object.keys(optionDef.shape!)) as unknown as z.ZodType);
        lines.push(`if (${[...required, `H(v, ${keys})`].join(' && ')}) return ${this.value(option, 'v')};`);
      }
    }
    lines.push('throw new Error("case-output: no option of the union fits a validated value");');
    this.functions[Number(name.slice(1))] = `function ${name}(v) {\n  ${lines.join('\n  ')}\n}`;
    return name;
  }

  source(root: string): string {
    return `${this.functions.join('\n')}\nreturn (v) => ${root};`;
  }
}

/** A default as a JavaScript literal: a boolean, a finite number, a string or an empty list. */
function literalOf(value: unknown, key: string): string {
  const primitive = ['boolean', 'string'].includes(typeof value) || Number.isFinite(value);
  if (primitive || (Array.isArray(value) && value.length === 0)) return JSON.stringify(value);
  throw new Error(`engine/case-output.ts cannot write the default of ${key}; extend literalOf.`);
}

/** Whether every key of `value` is one of `keys` (a for…in, as ajv's additionalProperties reads). */
function hasOnlyKeys(value: object, keys: ReadonlySet<string>): boolean {
  for (const key in value) if (!keys.has(key)) return false;
  return true;
}

function builderOf<T extends z.ZodType>(schema: T): (input: unknown) => z.output<T> {
  const writer = new BuilderWriter();
  const root = writer.value(schema, 'v');
  // generated from the schema's structure only; schemas and defaults are passed in `S`
  return new Function('S', 'H', writer.source(root))(writer.schemas, hasOnlyKeys) as (input: unknown) => z.output<T>;
}

/** zod's parse of a case the generated validator accepted, built without zod's checks. */
export const caseOutput: (validInput: unknown) => Case = builderOf(Case);
