/**
 * A regional rule set's rules and tariffs as DMN 1.3 decision tables (the XML Camunda's modeler
 * and `dmn-moddle` read), so that a region can show its rules in the notation its peers use. One
 * decision per rule kind (hit policy COLLECT: every row that matches gives its reason code), one
 * row per way a rule's conditions can hold (its conditions in disjunctive normal form), each
 * row's output naming the rule; and the tariff table (hit policy UNIQUE). Parameters are written
 * as their region's values, named in the row's annotation. A view for people: the engine decides.
 */
import { FACTS, type Condition, type LeafCondition, type RegionRuleSet, type Rule, RULE_KINDS } from './schema.js';

export const DMN_NAMESPACE = 'https://www.omg.org/spec/DMN/20191111/MODEL/';

const KIND_LABELS: Record<(typeof RULE_KINDS)[number], string> = {
  eligibility: 'Toegang',
  referral: 'Verwijzing',
  stacking: 'Stapeling',
  admission: 'Toelating',
  tariff: 'Tarief',
  signal: 'Signalen',
};

/** At most this many rows for one rule; a rule whose conditions expand further gets one row saying so. */
const MAX_ROWS_PER_RULE = 64;

const escapeXml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const xmlId = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^([^A-Za-z_])/, '_$1');

function feel(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(feel).join(', ')}]`;
  if (value === null || value === undefined) return 'null';
  return String(value);
}

type Literal = { feel: string; raw: unknown; parameter?: string };

/** A condition's value as FEEL: a literal, a parameter's value, or another input by name. */
function valueOf(leaf: LeafCondition, parameters: RegionRuleSet['parameters']): Literal {
  const v = leaf.value;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'fact' in v) {
    if (v.fact.startsWith('param:')) {
      const name = v.fact.slice('param:'.length);
      const raw = parameters[name]?.value;
      return { feel: feel(raw), raw, parameter: name };
    }
    return { feel: v.fact, raw: undefined };
  }
  return { feel: feel(v), raw: v };
}

/** A leaf as a FEEL unary test on its input (`?` is the input's value). */
function unaryTest(leaf: LeafCondition, value: Literal): string {
  const v = value.feel;
  switch (leaf.operator) {
    case 'equal':
      return v;
    case 'notEqual':
      return `not(${v})`;
    case 'lessThan':
      return `< ${v}`;
    case 'lessThanInclusive':
      return `<= ${v}`;
    case 'greaterThan':
      return `> ${v}`;
    case 'greaterThanInclusive':
      return `>= ${v}`;
    case 'in':
      return Array.isArray(value.raw) ? value.raw.map(feel).join(', ') : `list contains(${v}, ?)`;
    case 'notIn':
      return Array.isArray(value.raw) ? `not(${value.raw.map(feel).join(', ')})` : `not(list contains(${v}, ?))`;
    case 'contains':
      return `list contains(?, ${v})`;
    case 'doesNotContain':
      return `not(list contains(?, ${v}))`;
    case 'containsAny':
      return `some x in ? satisfies list contains(${v}, x)`;
    case 'containsNone':
      return `not(some x in ? satisfies list contains(${v}, x))`;
  }
}

type Term = { leaf: LeafCondition; negated: boolean };

/** The condition as a disjunction of conjunctions of (possibly negated) leaves. */
function dnf(c: Condition, negated = false): Term[][] {
  if ('fact' in c) return [[{ leaf: c, negated }]];
  if ('not' in c) return dnf(c.not, !negated);
  const parts = ('all' in c ? c.all : c.any).map((x) => dnf(x, negated));
  const conjunctive = 'all' in c !== negated;
  if (!conjunctive) return parts.flat();
  return parts.reduce<Term[][]>((rows, part) => rows.flatMap((row) => part.map((more) => [...row, ...more])), [[]]);
}

function typeRefOf(fact: string, rules: readonly Rule[]): string {
  const literals: unknown[] = [];
  const walk = (c: Condition) => {
    if ('fact' in c) {
      if (c.fact === fact && (typeof c.value !== 'object' || c.value === null || Array.isArray(c.value)))
        literals.push(c.value);
    } else if ('not' in c) walk(c.not);
    else ('all' in c ? c.all : c.any).forEach(walk);
  };
  rules.forEach((r) => walk(r.conditions));
  const first = literals.find((l) => l !== null);
  if (typeof first === 'number') return 'number';
  if (typeof first === 'boolean') return 'boolean';
  if (Array.isArray(first)) return 'Any';
  return 'string';
}

function factsOf(rules: readonly Rule[]): string[] {
  const facts = new Set<string>();
  const walk = (c: Condition) => {
    if ('fact' in c) facts.add(c.fact);
    else if ('not' in c) walk(c.not);
    else ('all' in c ? c.all : c.any).forEach(walk);
  };
  rules.forEach((r) => walk(r.conditions));
  return [...facts];
}

function ruleTable(doc: RegionRuleSet, kind: (typeof RULE_KINDS)[number], rules: readonly Rule[]): string {
  const facts = factsOf(rules);
  const id = xmlId(`${doc.id}.${kind}`);
  const inputs = facts
    .map(
      (fact, i) =>
        `      <input id="${id}.in${i}" label="${escapeXml(fact)}">\n` +
        `        <description>${escapeXml((FACTS as Record<string, string>)[fact] ?? fact)}</description>\n` +
        `        <inputExpression id="${id}.in${i}.expr" typeRef="${typeRefOf(fact, rules)}"><text>${escapeXml(fact)}</text></inputExpression>\n` +
        `      </input>\n`,
    )
    .join('');
  const outputs = ['code', 'effect', 'regel']
    .map((name) => `      <output id="${id}.out.${name}" name="${name}" typeRef="string" />\n`)
    .join('');
  const rows = rules
    .flatMap((rule) => {
      let conjunctions = dnf(rule.conditions);
      const tooMany = conjunctions.length > MAX_ROWS_PER_RULE;
      if (tooMany) conjunctions = [[]];
      return conjunctions.map((terms, n) => {
        const parameters = new Set<string>();
        const cells = facts.map((fact) => {
          const tests = terms
            .filter((t) => t.leaf.fact === fact)
            .map((t) => {
              const value = valueOf(t.leaf, doc.parameters);
              if (value.parameter) parameters.add(`${value.parameter} = ${value.feel}`);
              const test = unaryTest(t.leaf, value);
              return t.negated ? `not(${test})` : test;
            });
          return tests.length === 0 ? '-' : tests.length === 1 ? tests[0]! : tests.map((t) => `(${t})`).join(' and ');
        });
        const rowId = xmlId(`${rule.id}${conjunctions.length > 1 ? `.${n + 1}` : ''}`);
        const note = [
          rule.message,
          ...(parameters.size > 0 ? [`Parameters: ${[...parameters].join('; ')}`] : []),
          ...(tooMany ? ['De voorwaarden zijn te uitgebreid voor een tabel; zie de regelset.'] : []),
        ].join(' — ');
        return (
          `      <rule id="${rowId}">\n` +
          `        <description>${escapeXml(note)}</description>\n` +
          cells
            .map((t, i) => `        <inputEntry id="${rowId}.in${i}"><text>${escapeXml(t)}</text></inputEntry>\n`)
            .join('') +
          [rule.code, rule.effect, rule.id]
            .map(
              (v, i) => `        <outputEntry id="${rowId}.out${i}"><text>${escapeXml(feel(v))}</text></outputEntry>\n`,
            )
            .join('') +
          `      </rule>\n`
        );
      });
    })
    .join('');
  return (
    `  <decision id="${id}" name="${escapeXml(`${KIND_LABELS[kind]} (${kind})`)}">\n` +
    `    <decisionTable id="${id}.table" hitPolicy="COLLECT">\n` +
    inputs +
    outputs +
    rows +
    `    </decisionTable>\n` +
    `  </decision>\n`
  );
}

function tariffTable(doc: RegionRuleSet): string {
  const id = xmlId(`${doc.id}.tarieven`);
  const input = (i: number, name: string, typeRef: string) =>
    `      <input id="${id}.in${i}" label="${name}">\n` +
    `        <inputExpression id="${id}.in${i}.expr" typeRef="${typeRef}"><text>${name}</text></inputExpression>\n` +
    `      </input>\n`;
  const entry = (rowId: string, i: number, text: string, out = false) =>
    `        <${out ? 'outputEntry' : 'inputEntry'} id="${rowId}.${out ? 'out' : 'in'}${i}"><text>${escapeXml(text)}</text></${out ? 'outputEntry' : 'inputEntry'}>\n`;
  const rows =
    doc.tariffs.model === 'output'
      ? doc.tariffs.middleSegment.map((t) => {
          const rowId = xmlId(`${id}.profiel-${t.profile}.${t.intensity}`);
          return (
            `      <rule id="${rowId}">\n` +
            entry(rowId, 0, feel(t.profile)) +
            entry(rowId, 1, feel(t.intensity)) +
            entry(rowId, 0, String(t.priceCents), true) +
            `      </rule>\n`
          );
        })
      : doc.tariffs.products.map((t) => {
          const rowId = xmlId(`${id}.${t.product}${t.level ? `.${t.level}` : ''}.${t.unit}`);
          return (
            `      <rule id="${rowId}">\n` +
            entry(rowId, 0, feel(t.product)) +
            entry(rowId, 1, t.level ? feel(t.level) : '-') +
            entry(rowId, 2, feel(t.unit)) +
            entry(rowId, 0, String(t.priceCents), true) +
            `      </rule>\n`
          );
        });
  const inputs =
    doc.tariffs.model === 'output'
      ? input(0, 'profile', 'number') + input(1, 'intensity', 'string')
      : input(0, 'product', 'string') + input(1, 'productLevel', 'string') + input(2, 'unit', 'string');
  return (
    `  <decision id="${id}" name="Tarieven (eurocent)">\n` +
    `    <decisionTable id="${id}.table" hitPolicy="UNIQUE">\n` +
    inputs +
    `      <output id="${id}.out" name="priceCents" typeRef="number" />\n` +
    rows.join('') +
    `    </decisionTable>\n` +
    `  </decision>\n`
  );
}

/** The rule set as a DMN 1.3 document. */
export function ruleSetToDmn(doc: RegionRuleSet): string {
  const tables = RULE_KINDS.map((kind) => [kind, doc.rules.filter((r) => r.kind === kind)] as const)
    .filter(([, rules]) => rules.length > 0)
    .map(([kind, rules]) => ruleTable(doc, kind, rules));
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<definitions xmlns="${DMN_NAMESPACE}" id="${xmlId(`${doc.id}.v${doc.version}`)}" ` +
    `name="${escapeXml(`${doc.name}, versie ${doc.version} (vanaf ${doc.validFrom})`)}" ` +
    `namespace="https://jeugdzorg-regels.nl/dmn/${escapeXml(doc.id)}/${doc.version}">\n` +
    tables.join('') +
    tariffTable(doc) +
    `</definitions>\n`
  );
}
