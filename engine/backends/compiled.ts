/**
 * The compiled backend: a rule set becomes one generated JavaScript function over the facts
 * object — each fact read by name at a fixed place, parameters bound once at compile time, the
 * trace built as object literals, no promise anywhere — a second one that builds no trace and
 * only lists the rules that fire, for decisions asked without a trace, and a third, written on
 * first use, that lists them and writes the trace straight as JSON text, for answers sent as
 * text. It must report exactly what
 * the reference backend reports — same results, traces identical byte for byte — so it takes the
 * operators' meaning from the one table both backends share (`operators.ts`), and whatever it cannot translate with that exact meaning it refuses with a `CompilationError`.
 *
 * What json-rules-engine (version 7) does that this relies on: every condition of one priority is
 * evaluated, and our schema has no priorities, so every leaf of all / any / not is evaluated; a
 * parameter is a constant fact `param:<name>`; a `{ fact }` value is read from the facts at
 * evaluation time; a fact missing from the facts is an error (`allowUndefinedFacts: false`).
 * One difference is accepted: json-rules-engine would let a run-time fact named `param:…` shadow a
 * parameter; `Facts` has no such keys and `deriveFacts` never makes them.
 */
import type { CompiledRuleSet, EvaluationBackend, TraceText } from '../backend.js';
import type { EffectiveRuleSet } from '../compose.js';
import { CompilationError, jsonPath } from '../errors.js';
import type { Facts } from '../facts.js';
import { FACTS, PARAM_FACT_PREFIX, type Rule, type RuleTrace } from '../schema.js';
import { numeric, OPERATOR_TABLE, operatorOf } from '../operators.js';

/** A compiled rule set that can also be evaluated without a promise, for callers on a fast path. */
export interface SyncCompiledRuleSet extends CompiledRuleSet {
  evaluateSync(facts: Facts): RuleTrace[];
  firedSync(facts: Facts): Rule[];
}

/** What this backend compiles to: a `SyncCompiledRuleSet` that also writes its trace as JSON text. */
export interface TextCompiledRuleSet extends SyncCompiledRuleSet {
  traceTextSync(facts: Facts): TraceText;
}

/** A checked condition, ready to be written out as code. */
type Node =
  | { kind: 'all' | 'any'; children: Node[] }
  | { kind: 'not'; child: Node }
  | { kind: 'leaf'; fact: string; operator: string; value: unknown; lhs: Operand; rhs: Operand };

/** The operators this backend translates: every one of the table (the tests check so). */
export const COMPILED_OPERATORS: readonly string[] = Object.keys(OPERATOR_TABLE);

/** What json-rules-engine's almanac throws for a fact nobody supplied (its name, too, is Error). */
class UndefinedFactError extends Error {
  readonly code = 'UNDEFINED_FACT';
  constructor(fact: string) {
    super(`Undefined fact: ${fact}`);
  }
}

/**
 * Whether json-rules-engine would know `name` as a fact: it defines one per key of
 * `for (id in { ...facts })`, which for a plain object are the keys `for…in` gives on the object
 * itself. Only asked when a read gave undefined, so its cost does not matter.
 */
function isDefinedFact(facts: object, name: string): boolean {
  for (const key in facts) if (key === name) return true;
  return false;
}

function hasPlainPrototype(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && hasPlainPrototype(value);
}

function hasExactlyKeys(value: object, keys: readonly string[]): boolean {
  const own = Reflect.ownKeys(value);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(value, k));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

type Operand = { constant: true; value: unknown } | { constant: false; name: string };

class RuleCompiler {
  constructor(
    private readonly effective: EffectiveRuleSet,
    private readonly ruleIndex: number,
  ) {}

  private refuse(path: readonly PropertyKey[], message: string): never {
    const rule = this.effective.rules[this.ruleIndex]!.rule;
    throw new CompilationError(`Regel ${String(rule.id)} kan niet gecompileerd worden: ${message}`, [
      { path: jsonPath(['rules', this.ruleIndex, ...path]), message, code: 'COMPILATION_UNSUPPORTED' },
    ]);
  }

  /** The root must be all / any / not, as json-rules-engine requires of a rule's conditions. */
  root(conditions: unknown): Node {
    const path = ['conditions'];
    if (!isPlainObject(conditions) || !['all', 'any', 'not'].some((k) => hasExactlyKeys(conditions, [k]))) {
      this.refuse(path, 'de bovenste conditie moet precies één van all, any of not zijn.');
    }
    return this.condition(conditions, path);
  }

  private condition(node: unknown, path: readonly PropertyKey[]): Node {
    if (!isPlainObject(node)) return this.refuse(path, 'een conditie moet een object zijn.');
    if (hasExactlyKeys(node, ['all'])) return this.list('all', node.all, path);
    if (hasExactlyKeys(node, ['any'])) return this.list('any', node.any, path);
    if (hasExactlyKeys(node, ['not'])) {
      if (Array.isArray(node.not)) this.refuse([...path, 'not'], 'not bevat één conditie, geen lijst.');
      return { kind: 'not', child: this.condition(node.not, [...path, 'not']) };
    }
    // priority, name, params, path or a condition reference change what json-rules-engine
    // evaluates or reports; only the plain leaf is translated
    if (hasExactlyKeys(node, ['fact', 'operator', 'value'])) return this.leaf(node, path);
    return this.refuse(path, `onbekende vorm van conditie (velden ${Object.keys(node).join(', ') || 'geen'}).`);
  }

  private list(kind: 'all' | 'any', children: unknown, path: readonly PropertyKey[]): Node {
    // json-rules-engine calls an empty all or any true while its trace (traceOf) says false for
    // any: no single answer to copy, and the schema forbids empty lists anyway
    if (!Array.isArray(children) || children.length === 0) {
      this.refuse([...path, kind], `${kind} moet een niet-lege lijst van condities zijn.`);
    }
    return {
      kind,
      children: Array.from({ length: children.length }, (_, i) =>
        this.condition(children[i] as unknown, [...path, kind, i]),
      ),
    };
  }

  /** A fact name, as the left-hand side or inside a `{ fact }` value. */
  private operand(name: unknown, path: readonly PropertyKey[]): Operand {
    if (typeof name !== 'string') return this.refuse(path, 'een feit moet een naam zijn.');
    if (name.startsWith(PARAM_FACT_PREFIX)) {
      const parameter = name.slice(PARAM_FACT_PREFIX.length);
      // json-rules-engine would fail every evaluation on an unknown parameter; refusing leaves
      // that to the reference backend
      if (!Object.hasOwn(this.effective.parameters, parameter)) {
        return this.refuse(path, `onbekende parameter ${parameter}.`);
      }
      // the parameter's own value, not a copy: json-rules-engine compares with that object too
      return { constant: true, value: this.effective.parameters[parameter] };
    }
    if (!Object.hasOwn(FACTS, name)) return this.refuse(path, `onbekend feit ${name}.`);
    return { constant: false, name };
  }

  private leaf(node: Record<string, unknown>, path: readonly PropertyKey[]): Node {
    const { fact, operator } = node;
    if (typeof operator !== 'string' || !operatorOf(operator))
      return this.refuse([...path, 'operator'], `onbekende operator ${String(operator)}.`);
    const lhs = this.operand(fact, [...path, 'fact']);
    let written: unknown;
    try {
      // json-rules-engine evaluates a structured clone of the conditions (see the reference
      // backend) and reports a fresh clone of `value` per run; one frozen clone shared by every
      // trace says the same without a copy per case
      written = deepFreeze(structuredClone(node.value));
    } catch {
      return this.refuse([...path, 'value'], 'de waarde is geen gegeven (JSON).');
    }
    let rhs: Operand = { constant: true, value: written };
    if (written !== null && typeof written === 'object' && Object.hasOwn(written, 'fact')) {
      if (!isPlainObject(written) || !hasExactlyKeys(written, ['fact'])) {
        // params and path on a fact reference select inside the fact; not translated
        return this.refuse([...path, 'value'], 'een verwijzing naar een feit heeft alleen het veld fact.');
      }
      rhs = this.operand(written.fact, [...path, 'value', 'fact']);
    }
    return { kind: 'leaf', fact: fact as string, operator, value: written, lhs, rhs };
  }
}

/**
 * What a generated function returns: `traced`, every rule's trace; `fired`, the rules that fired;
 * `json`, those rules and the trace as JSON text.
 */
type Mode = 'traced' | 'fired' | 'json';

/**
 * A stretch of trace text: `text` known when the function is written (the JSON of ids, codes,
 * fact and operator names, written values), `json` the code of a value written per run (a fact
 * value, a fact compared with), or `result` the local holding a condition's result.
 */
type Piece = { text: string } | { json: string } | { result: string };

/** A condition written out: the local holding its trace (traced) or its result, and its JSON text. */
interface Emitted {
  local: string;
  text: Piece[];
}

/**
 * A member of a JSON object that is not its first, as JSON.stringify writes it: the comma, the
 * key and the value's JSON — or nothing, for a value it leaves out (undefined, a function).
 */
function memberText(key: string, value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? '' : `,${JSON.stringify(key)}:${text}`;
}

/** Thrown by `valueJson` for a value JSON.stringify leaves out (see `traceTextSync`). */
const LEFT_OUT = Symbol('a value JSON leaves out');

/**
 * A value's JSON, for the values the generated JSON function knows only per run (`M`). The text
 * around it, the member's key included, is written beforehand, so a value JSON.stringify would
 * leave out together with its key (a function; no fact derived from a case is one) cannot be
 * written in place: it throws, and the trace is then built and serialised instead.
 */
function valueJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw LEFT_OUT;
  return text;
}

/**
 * Writes an effective rule set out as the body of one function of the facts `f`. Values from the
 * rule set (written values, parameters, ids, codes) are never spliced into the source: they sit
 * in the constants `K` and the code refers to them by index; only fact and operator names, both
 * checked against fixed lists, and JSON string literals appear in it. Statements follow the order
 * the reference evaluates in — rules in order, conditions depth first, a fact reference in a
 * value before the fact — so that an error (an unknown fact, `in` on null) is the same error.
 *
 * Traced, the function returns every rule's trace; untraced (`fired`), it returns the rules that
 * fired (the `Rule` objects themselves, as constants) and builds no object but that list: the same
 * statements, each condition's result a boolean local instead of a trace. Every leaf is still
 * evaluated, as traced (no short cut past a failed `all`), so that it throws whatever and
 * whenever the traced one does. `json` runs the statements of `fired` and returns, beside the
 * fired rules, the text JSON.stringify gives of the traced function's result: every member the
 * rule set fixes is serialised here, once, into a constant string; per run only the fact values,
 * the values compared with that are facts, and the results (`true`/`false`) are written.
 */
class SourceWriter {
  readonly constants: unknown[] = [];
  private readonly lines: string[] = [];
  private locals = 0;
  /**
   * The local each fact was first read into. Reads and checks of a later use are left out: the
   * facts do not change during a run (operators only compare), so a later read gives the same
   * value and its check passes whenever the first one did — no error moves.
   */
  private readonly factLocals = new Map<string, string>();
  private readonly traced: boolean;

  constructor(private readonly mode: Mode) {
    this.traced = mode === 'traced';
    if (!this.traced) this.emit('const fired = [];');
  }

  constant(value: unknown): string {
    this.constants.push(value);
    return `K[${this.constants.length - 1}]`;
  }

  private local(): string {
    return `t${this.locals++}`;
  }

  private emit(line: string) {
    this.lines.push(`  ${line}`);
  }

  /** An operand's value: a constant, or the fact read once (undefined only for a defined fact). */
  private read(operand: Operand): string {
    if (operand.constant) return this.constant(operand.value);
    const known = this.factLocals.get(operand.name);
    if (known) return known;
    const name = JSON.stringify(operand.name);
    const v = this.local();
    this.factLocals.set(operand.name, v);
    this.emit(`const ${v} = f[${name}];`);
    this.emit(`if (${v} === undefined && !D(f, ${name})) U(${name});`);
    return v;
  }

  /** The expression of a condition's result, from the local `condition` returned. */
  private resultOf(local: string): string {
    return this.traced ? `${local}.result` : local;
  }

  /** The text pieces of a condition's JSON, when writing JSON; else none. */
  private text(...pieces: (Piece | Piece[])[]): Piece[] {
    return this.mode === 'json' ? pieces.flat() : [];
  }

  /** Emits a condition's statements; returns the local that holds its trace (else its result). */
  condition(node: Node): Emitted {
    switch (node.kind) {
      case 'not': {
        const child = this.condition(node.child);
        const local = this.local();
        if (this.traced) this.emit(`const ${local} = { not: ${child.local}, result: !${child.local}.result };`);
        else this.emit(`const ${local} = !${child.local};`);
        return {
          local,
          text: this.text({ text: '{"not":' }, child.text, { text: ',"result":' }, { result: local }, { text: '}' }),
        };
      }
      case 'all':
      case 'any': {
        // every child is evaluated, as json-rules-engine does: the trace shows them all
        const children = node.children.map((child) => this.condition(child));
        const locals = children.map((c) => c.local);
        const result = locals.map((c) => this.resultOf(c)).join(node.kind === 'all' ? ' && ' : ' || ');
        const local = this.local();
        if (this.traced) this.emit(`const ${local} = { ${node.kind}: [${locals.join(', ')}], result: ${result} };`);
        else this.emit(`const ${local} = ${result};`);
        return {
          local,
          text: this.text(
            { text: `{"${node.kind}":[` },
            children.flatMap((c, i) => (i === 0 ? c.text : [{ text: ',' }, ...c.text])),
            { text: '],"result":' },
            { result: local },
            { text: '}' },
          ),
        };
      }
      case 'leaf':
        return this.leaf(node);
    }
  }

  private leaf(node: Extract<Node, { kind: 'leaf' }>): Emitted {
    const compareWith = this.read(node.rhs);
    const factValue = this.read(node.lhs);
    const inline = operatorOf(node.operator)!.inline;
    const result = inline
      ? inline(factValue, compareWith)
      : `O[${JSON.stringify(node.operator)}](${factValue}, ${compareWith}) === true`;
    const local = this.local();
    if (this.mode === 'fired') {
      this.emit(`const ${local} = ${result};`);
      return { local, text: [] };
    }
    const written = node.value === undefined ? null : node.value;
    if (this.mode === 'json') {
      this.emit(`const ${local} = ${result};`);
      // the members in the traced literal's order; json-rules-engine reports an undefined fact as
      // null, and compares with the written value where a fact it refers to is null or undefined
      const head = JSON.stringify({ fact: node.fact, operator: node.operator }).slice(0, -1);
      return {
        local,
        text: [
          { text: `${head}${memberText('value', written)},"factValue":` },
          { json: `${factValue} === undefined ? null : ${factValue}` },
          ...(node.rhs.constant
            ? [{ text: memberText('comparedWith', node.rhs.value ?? written) }]
            : [{ text: ',"comparedWith":' }, { json: `${compareWith} ?? ${this.constant(written)}` }]),
          { text: ',"result":' },
          { result: local },
          { text: '}' },
        ],
      };
    }
    const value = this.constant(written);
    // what json-rules-engine reports as compared with: the value compared, else the written one
    // (for a constant, known now: one constant instead of a ?? per run)
    const comparedWith = node.rhs.constant ? this.constant(node.rhs.value ?? written) : `${compareWith} ?? ${value}`;
    this.emit(
      `const ${local} = { fact: ${JSON.stringify(node.fact)}, operator: ${JSON.stringify(node.operator)}, ` +
        `value: ${value}, factValue: ${factValue} === undefined ? null : ${factValue}, ` +
        `comparedWith: ${comparedWith}, result: ${result} };`,
    );
    return { local, text: [] };
  }

  /**
   * Emits one rule. Traced, returns the expression of its trace (an element of the returned list);
   * else emits the push of the rule when it fires, and returns its JSON text when writing JSON.
   */
  rule(rule: Rule, conditions: Node | null): Piece[] | string {
    const head = { ruleId: rule.id, code: rule.code, effect: rule.effect };
    if (!this.traced) {
      if (!conditions) return this.text({ text: JSON.stringify({ ...head, ...DISABLED }) });
      const { local, text } = this.condition(conditions);
      this.emit(`if (${local}) fired.push(${this.constant(rule)});`);
      const enabled = JSON.stringify({ ...head, enabled: true }).slice(0, -1);
      return this.text({ text: `${enabled},"fired":` }, { result: local }, { text: ',"conditions":' }, text, {
        text: '}',
      });
    }
    const members = `ruleId: ${this.constant(rule.id)}, code: ${this.constant(rule.code)}, effect: ${this.constant(rule.effect)}`;
    if (!conditions) return `{ ${members}, enabled: false, fired: false, conditions: null }`;
    const { local } = this.condition(conditions);
    return `{ ${members}, enabled: true, fired: ${local}.result, conditions: ${local} }`;
  }

  source(rules: readonly (Piece[] | string)[]): string {
    const body = this.lines.join('\n');
    if (this.mode === 'traced') return `${body}\n  return [\n    ${rules.join(',\n    ')},\n  ];`;
    if (this.mode === 'fired') return `${body}\n  return fired;`;
    const pieces = (rules as Piece[][]).flatMap((text, i) => (i === 0 ? text : [{ text: ',' }, ...text]));
    return `${body}\n  return { fired, trace: ${this.concatenation([{ text: '[' }, ...pieces, { text: ']' }])} };`;
  }

  /**
   * The expression that joins text pieces, with as few strings joined per run as can be: a run of
   * constant text is one constant, and a result takes the text on either side of it with it (one
   * of two constants, for true and for false). Each string joined is a node of the rope the text
   * stays until it is sent, and flattening that rope then costs more than joining it (half the
   * nodes: ~10% less for both together, measured with test/bench/trace-text.ts).
   */
  private concatenation(pieces: readonly Piece[]): string {
    type Term = { text: string } | { json: string } | { result: string; before: string; after: string };
    const terms: Term[] = [];
    for (const piece of pieces) {
      const last = terms.at(-1);
      if ('text' in piece) {
        if (last && 'text' in last) last.text += piece.text;
        else if (last && 'result' in last) last.after += piece.text;
        else terms.push({ ...piece });
      } else if ('result' in piece) {
        const before = last && 'text' in last ? (terms.pop() as { text: string }).text : '';
        terms.push({ result: piece.result, before, after: '' });
      } else terms.push(piece);
    }
    const written = terms.map((term) => {
      if ('text' in term) return this.constant(term.text);
      if ('json' in term) return `M(${term.json})`;
      const [ifTrue, ifFalse] = [true, false].map((r) => this.constant(`${term.before}${r}${term.after}`));
      return `(${term.result} ? ${ifTrue} : ${ifFalse})`;
    });
    return written.join(' + ');
  }
}

/** The members of a disabled rule's trace after its head, in the traced literal's order. */
const DISABLED = { enabled: false, fired: false, conditions: null } as const;

function throwUndefinedFact(name: string): never {
  throw new UndefinedFactError(name);
}

/** The generated function over a rule set's facts, made with what its source refers to. */
function generated<R>(source: string, constants: readonly unknown[]): (facts: Facts) => R {
  // the source is generated above from checked names only; every value is passed in `K`
  const factory = new Function('K', 'O', 'N', 'U', 'D', 'M', `return function evaluate(f) {\n${source}\n};`) as (
    ...args: unknown[]
  ) => (facts: Facts) => R;
  return factory(
    constants,
    Object.fromEntries(Object.entries(OPERATOR_TABLE).map(([name, op]) => [name, op.operate])),
    numeric,
    throwUndefinedFact,
    isDefinedFact,
    valueJson,
  );
}

/** One generated source and the constants it refers to. */
interface Written {
  source: string;
  constants: readonly unknown[];
}

class CompiledRules implements TextCompiledRuleSet {
  private readonly run: (facts: Facts) => RuleTrace[];
  private readonly runFired: (facts: Facts) => Rule[];
  private runText: ((facts: Facts) => TraceText) | undefined;
  /** The generated function body, for whoever wants to read what runs. */
  readonly source: string;
  /** The body of the function without a trace (`firedSync`). */
  readonly firedSource: string;
  private textWritten: Written | undefined;

  constructor(
    traced: Written,
    untraced: Written,
    /** Writes the JSON function, on first use: most rule sets compiled are never asked for text. */
    private readonly writeText: () => Written,
  ) {
    this.source = traced.source;
    this.firedSource = untraced.source;
    this.run = generated(traced.source, traced.constants);
    this.runFired = generated(untraced.source, untraced.constants);
  }

  /** The body of the function that writes the trace as JSON text (`traceTextSync`). */
  get textSource(): string {
    return (this.textWritten ??= this.writeText()).source;
  }

  evaluateSync(facts: Facts): RuleTrace[] {
    // json-rules-engine reads `{ ...facts }`; for a plain object of data properties (what
    // deriveFacts makes) that reads the same as the object itself
    return this.run(hasPlainPrototype(facts) ? facts : { ...facts });
  }

  firedSync(facts: Facts): Rule[] {
    return this.runFired(hasPlainPrototype(facts) ? facts : { ...facts });
  }

  traceTextSync(facts: Facts): TraceText {
    if (this.runText === undefined) {
      const written = (this.textWritten ??= this.writeText());
      this.runText = generated(written.source, written.constants);
    }
    try {
      return this.runText(hasPlainPrototype(facts) ? facts : { ...facts });
    } catch (error) {
      if (error !== LEFT_OUT) throw error;
      // a value written in place that JSON leaves out, key and all: the slow way, to the same bytes
      return { fired: this.firedSync(facts), trace: JSON.stringify(this.evaluateSync(facts)) };
    }
  }

  async evaluate(facts: Facts): Promise<RuleTrace[]> {
    return this.evaluateSync(facts);
  }
}

/** Compiles an effective rule set; throws a CompilationError for anything it cannot translate exactly. */
export function compileRuleSet(effective: EffectiveRuleSet): TextCompiledRuleSet {
  const seen = new Set<string>();
  const checked = effective.rules.map(({ rule, enabled }, index): [Rule, Node | null] => {
    const { id: ruleId, code } = rule;
    // the reference backend matches results to rules by id: two rules with one id would share a
    // trace there, in an order that depends on promise timing
    if (typeof ruleId !== 'string' || ruleId === '' || seen.has(ruleId)) {
      throw new CompilationError(`Regel-id ${String(ruleId)} is leeg of komt twee keer voor.`, [
        {
          path: jsonPath(['rules', index, 'id']),
          message: 'Een regel-id moet uniek zijn.',
          code: 'COMPILATION_UNSUPPORTED',
        },
      ]);
    }
    seen.add(ruleId);
    // json-rules-engine emits a fired rule's code as an event, and an unhandled 'error' event
    // fails the run; the schema's upper-case codes never hit this
    if (enabled && code === 'error') {
      throw new CompilationError(`Regel ${ruleId} heeft de code "error".`, [
        {
          path: jsonPath(['rules', index, 'code']),
          message: 'De code error wordt niet vertaald.',
          code: 'COMPILATION_UNSUPPORTED',
        },
      ]);
    }
    return [rule, enabled ? new RuleCompiler(effective, index).root(rule.conditions) : null];
  });
  const write = (mode: Mode): Written => {
    const writer = new SourceWriter(mode);
    const rules = checked.map(([rule, conditions]) => writer.rule(rule, conditions));
    return { source: writer.source(rules), constants: writer.constants };
  };
  return new CompiledRules(write('traced'), write('fired'), () => write('json'));
}

/** The compiled backend; `compile` throws a CompilationError for what it cannot translate exactly. */
export const compiledBackend = {
  name: 'compiled',
  compile: (effective: EffectiveRuleSet): TextCompiledRuleSet => compileRuleSet(effective),
} satisfies EvaluationBackend;
