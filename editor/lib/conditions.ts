/**
 * Pure operations on a rule's condition tree (json-rules-engine form), addressed by a path of
 * child indexes: [] is the top-level group, [1, 0] the first child of the second child. The
 * condition tree editor only calls these, so they are tested without a browser.
 */
import {
  FACT_LABELS,
  formatEuros,
  IJW_UNITS,
  INTENSITIES,
  PRODUCT_LEVELS,
  REFERRERS,
  SERVICES,
  OPERATOR_LABELS,
  OPERATOR_SYMBOLS as ENGINE_SYMBOLS,
  type Condition,
  type FactName,
  type LeafCondition,
  type Operator,
  type Parameter,
  type TopLevelCondition,
} from '../../engine/browser.js';

export type Group = { all: Condition[] } | { any: Condition[] } | { not: Condition };
export type Path = number[];

export const isLeaf = (c: Condition): c is LeafCondition => 'fact' in c;
export const groupKind = (c: Condition): 'all' | 'any' | 'not' | null =>
  'all' in c ? 'all' : 'any' in c ? 'any' : 'not' in c ? 'not' : null;

export function children(c: Condition): Condition[] {
  if ('all' in c) return c.all;
  if ('any' in c) return c.any;
  if ('not' in c) return [c.not];
  return [];
}

function withChildren(c: Condition, next: Condition[]): Condition {
  if ('all' in c) return { all: next };
  if ('any' in c) return { any: next };
  if ('not' in c) return { not: next[0]! };
  return c;
}

export function at(root: Condition, path: Path): Condition {
  return path.reduce((c, i) => children(c)[i]!, root);
}

/** Replaces the node at `path`, returning a new tree (the old one is untouched). */
export function replaceAt(root: Condition, path: Path, node: Condition): Condition {
  if (path.length === 0) return node;
  const [head, ...rest] = path;
  const kids = children(root).slice();
  kids[head!] = replaceAt(kids[head!]!, rest, node);
  return withChildren(root, kids);
}

export function removeAt(root: Condition, path: Path): Condition {
  if (path.length === 0) return root;
  const parentPath = path.slice(0, -1);
  const parent = at(root, parentPath);
  if ('not' in parent) return root; // a "not" always keeps its one condition
  const kids = children(parent).filter((_, i) => i !== path[path.length - 1]);
  if (kids.length === 0) return root; // json-rules-engine needs at least one condition in a group
  return replaceAt(root, parentPath, withChildren(parent, kids));
}

export function appendAt(root: Condition, groupPath: Path, node: Condition): Condition {
  const group = at(root, groupPath);
  if (isLeaf(group) || 'not' in group) return root;
  return replaceAt(root, groupPath, withChildren(group, [...children(group), node]));
}

/** Switches a group between all / any / not (not keeps only the first condition). */
export function setGroupKind(root: Condition, path: Path, kind: 'all' | 'any' | 'not'): Condition {
  const group = at(root, path);
  const kids = children(group);
  if (kind === 'not') return replaceAt(root, path, { not: kids[0] ?? newLeaf() });
  return replaceAt(root, path, kind === 'all' ? { all: kids } : { any: kids });
}

export function newLeaf(): LeafCondition {
  return { fact: 'profile', operator: 'equal', value: 1 };
}

export function asTopLevel(c: Condition): TopLevelCondition {
  return isLeaf(c) ? { all: [c] } : (c as TopLevelCondition);
}

// ---------------------------------------------------------------------------------------------
// Conditions in Dutch: labels, sentences and decision-table cells
// ---------------------------------------------------------------------------------------------

/** What kind of literal a fact compares with, so the form offers the right field. */
export type FactType = 'number' | 'boolean' | 'text' | 'list';

const NUMBER_FACTS: ReadonlySet<string> = new Set([
  'profile',
  'trajectoryCostCents',
  'periodDays',
  'periodMonths',
  'productMaxIndicationMonths',
  'ageYears',
  'monthsBeforeBirth',
  'overlappingAllocations',
  'overlappingSameProduct',
  'overlappingOtherProfile',
  'readingPercentile',
  'spellingPercentile',
  'dossierMeasurements',
  'clientsLastYear',
  'providerProductGroupCount',
  'providerLevelCount',
]);
const BOOLEAN_FACTS: ReadonlySet<string> = new Set([
  'openEnded',
  'familyPlanPresent',
  'durableSupport',
  'coordinatedWithLocalTeamOrGi',
  'dyslexiaDataPresent',
  'comorbidity',
  'schoolSupport',
  'tariffAvailable',
  'governanceCodeZorg',
  'addedValueStated',
]);
const LIST_FACTS: ReadonlySet<string> = new Set(['allowedIntensities', 'registrations']);
/** Operators whose value is a list of values (`profiel is een van 1, 2`). */
export const LIST_OPERATORS: ReadonlySet<string> = new Set(['in', 'notIn', 'containsAny', 'containsNone']);

/** The values a text fact can have, where the schema names them: a picker instead of a text field. */
const FACT_CHOICES: Readonly<Record<string, readonly string[]>> = {
  caseType: ['allocation', 'admission'],
  requestKind: ['profile', 'product', 'service'],
  service: SERVICES,
  referrer: REFERRERS,
  intensity: INTENSITIES,
  segment: ['midden', 'top'],
  productLevel: PRODUCT_LEVELS,
  unit: IJW_UNITS,
  productUnit: IJW_UNITS,
  admissionPurpose: ['entry', 'renewal'],
};
export const factChoices = (fact: string): readonly string[] | null => FACT_CHOICES[fact] ?? null;

/** The few choices whose machine value is English, in Dutch; the others (perspectief, huisarts) are Dutch already. */
const CHOICE_LABELS: Readonly<Record<string, string>> = {
  allocation: 'toewijzing',
  admission: 'toelating',
  profile: 'profiel',
  product: 'product',
  service: 'dienst',
  entry: 'toetreding',
  renewal: 'verlenging',
};
/** A choice as people read it: `admission` → `toelating`. */
export const choiceLabel = (value: string): string => CHOICE_LABELS[value] ?? value;

export function factType(fact: string): FactType {
  if (NUMBER_FACTS.has(fact)) return 'number';
  if (BOOLEAN_FACTS.has(fact)) return 'boolean';
  if (LIST_FACTS.has(fact)) return 'list';
  return 'text';
}

/** The kind of field a literal value is edited in: its own type first, the fact's otherwise. */
export function literalType(leaf: LeafCondition): FactType | 'json' {
  const v = leaf.value;
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'text';
  return 'json';
}

/** A literal that fits a fact and operator, for a condition whose fact or operator just changed. */
export function defaultLiteral(fact: string, operator: string): LeafCondition['value'] {
  if (LIST_OPERATORS.has(operator)) return [];
  const type = factType(fact);
  if (type === 'number') return 0;
  if (type === 'boolean') return true;
  return factChoices(fact)?.[0] ?? '';
}

/** Whether a literal value still fits a fact and operator (otherwise the form resets it). */
export function literalFits(fact: string, operator: string, value: LeafCondition['value']): boolean {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return true; // a reference
  if (LIST_OPERATORS.has(operator)) return Array.isArray(value);
  if (Array.isArray(value)) return false;
  const type = factType(fact);
  if (type === 'number') return typeof value === 'number';
  if (type === 'boolean') return typeof value === 'boolean';
  return typeof value === 'string';
}

export const factLabel = (fact: string) => FACT_LABELS[fact as FactName] ?? fact;
export const operatorLabel = (operator: string) => OPERATOR_LABELS[operator as Operator] ?? operator;

/**
 * Operators as a decision table's column shows them: the engine's symbols (`conditionInWords`),
 * less the "is" of a sentence, since the fact stands in the column's header.
 */
export const OPERATOR_SYMBOLS: Record<Operator, string> = { ...ENGINE_SYMBOLS, in: 'een van', notIn: 'geen van' };

/** A parameter's value as the form shows it next to its label: `7`, `€ 25.000`, `huisarts, SKJ`. */
export function parameterValueText(p: Parameter): string {
  if (Array.isArray(p.value)) return p.value.length === 0 ? 'geen' : p.value.join(', ');
  if (p.type === 'cents') return formatEuros(p.value);
  if (p.type === 'percentage') return `${p.value}%`;
  return String(p.value);
}

/** A parameter as a condition names it: `Dyslexiezorg: minimumleeftijd (7)`. */
export function parameterOptionLabel(name: string, p: Parameter | undefined): string {
  return p ? `${p.label} (${parameterValueText(p)})` : name;
}

/** Names a parameter (`dyslexia.minAge`) in words. */
export type ParameterNamer = (name: string) => string;

function literalText(v: LeafCondition['value']): string {
  if (v === null) return 'niets';
  if (typeof v === 'boolean') return v ? 'ja' : 'nee';
  if (Array.isArray(v)) return v.length === 0 ? 'geen' : v.map((x) => choiceLabel(String(x))).join(', ');
  return typeof v === 'string' ? choiceLabel(v) : String(v);
}

/** The value a condition compares with, in words: a literal, a parameter or another fact. */
export function valueText(value: LeafCondition['value'], parameter: ParameterNamer): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const ref = value.fact;
    return ref.startsWith('param:') ? parameter(ref.slice('param:'.length)) : factLabel(ref);
  }
  return literalText(value);
}

/** One condition in words: `leeftijd in jaren is kleiner dan Dyslexiezorg: minimumleeftijd (7)`. */
export function leafSentence(leaf: LeafCondition, parameter: ParameterNamer): string {
  return `${factLabel(leaf.fact)} ${operatorLabel(leaf.operator)} ${valueText(leaf.value, parameter)}`;
}

/** A condition tree in words; nested groups in brackets. */
export function conditionSentence(c: Condition, parameter: ParameterNamer, nested = false): string {
  if (isLeaf(c)) return leafSentence(c, parameter);
  if ('not' in c) return `niet (${conditionSentence(c.not, parameter)})`;
  const kids = children(c);
  const joined = kids.map((k) => conditionSentence(k, parameter, true)).join('all' in c ? ' en ' : ' of ');
  return nested && kids.length > 1 ? `(${joined})` : joined;
}

/** One cell of a rule's row in a decision table: a fact's test, with `of`/`niet` where it is nested. */
export interface DecisionCell {
  text: string;
  /** `any`: one of several alternatives; `not`: must not hold. */
  context: 'all' | 'any' | 'not';
}

/**
 * A rule's conditions as a decision table row: for each fact it tests, the tests in short form
 * (`< Dyslexiezorg: minimumleeftijd (7)`), in the order the rule names them.
 */
export function decisionRow(c: Condition, parameter: ParameterNamer): Map<string, DecisionCell[]> {
  const row = new Map<string, DecisionCell[]>();
  const walk = (node: Condition, context: DecisionCell['context']) => {
    if (isLeaf(node)) {
      const cells = row.get(node.fact) ?? [];
      const symbol = OPERATOR_SYMBOLS[node.operator] ?? node.operator;
      cells.push({ text: `${symbol} ${valueText(node.value, parameter)}`, context });
      row.set(node.fact, cells);
    } else if ('not' in node) walk(node.not, 'not');
    else if ('any' in node)
      node.any.forEach((k) => walk(k, context === 'not' ? 'not' : node.any.length > 1 ? 'any' : context));
    else node.all.forEach((k) => walk(k, context));
  };
  walk(c, 'all');
  return row;
}

/** The facts a set of rules test, in the order they first appear: a decision table's columns. */
export function decisionColumns(conditions: Condition[]): string[] {
  const seen: string[] = [];
  const walk = (node: Condition) => {
    if (isLeaf(node)) {
      if (!seen.includes(node.fact)) seen.push(node.fact);
    } else children(node).forEach(walk);
  };
  conditions.forEach(walk);
  return seen;
}
