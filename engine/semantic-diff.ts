/**
 * What a draft changes against the version it starts from, as policy staff think of it: a
 * parameter's value, a rule's condition, a tariff, a catalogue entry, a municipality's switch —
 * each with a Dutch sentence ("Dyslexiezorg: minimumleeftijd: 7 → 6"). Bookkeeping (`version`,
 * `validFrom`, the change note `changes`) is left out: it changes with every version and says
 * nothing about what the rules do. Pure and without hashing, so the editor can diff as one types.
 *
 * `compare.ts` keeps the structural diff (every JSON value); this one matches rules by id,
 * tariffs by profile × intensity or product × level × unit, catalogue entries by number or slug.
 */
import { z } from 'zod';
import {
  conditionInWords,
  isLeaf,
  leafInWords,
  OPERATOR_SYMBOLS,
  operandInWords,
  parameterLookup,
  parameterValueInWords,
  sameContent,
  type ParameterLookup,
} from './condition-words.js';
import { jsonPath } from './errors.js';
import { EFFECT_LABELS } from './explain.js';
import {
  IJW_PRODUCT_CATEGORIES,
  JsonValue,
  type Condition,
  type OverridePolicy,
  type Parameter,
  type Product,
  type Profile,
  type Rule,
  type RuleSetDocument,
  type RuleSetDraft,
  type Source,
} from './schema.js';

export const CHANGE_KINDS = ['added', 'removed', 'changed'] as const;

/** What the editor groups changes by: one parameter, one rule, one tariff line, one catalogue entry, … */
export const CHANGE_GROUPS = ['metadata', 'parameter', 'rule', 'switch', 'catalogue', 'tariff'] as const;

export const SemanticChange = z
  .object({
    /** JSON path of what changed, e.g. `$.parameters['dyslexia.minAge'].value`. */
    path: z.string(),
    kind: z.enum(CHANGE_KINDS),
    /** The value before (null when added) and after (null when removed). */
    before: JsonValue,
    after: JsonValue,
    /** The change as a Dutch sentence. */
    text: z.string().min(1),
    group: z
      .object({
        kind: z.enum(CHANGE_GROUPS),
        /** Parameter name, rule id, `4/intensief`, `begeleiding-individueel/basis/uur`, `profiel-4`, a slug, a field. */
        id: z.string(),
      })
      .strict(),
  })
  .strict();
export type SemanticChange = z.infer<typeof SemanticChange>;

/** The contract's answer of `GET …/drafts/{draftId}/diff`. */
export const SemanticDiffResult = z.object({ changes: z.array(SemanticChange) }).strict();
export type SemanticDiffResult = z.infer<typeof SemanticDiffResult>;

/** A published version or a draft: the diff ignores version and date anyway. */
export type DiffableRuleSet = RuleSetDocument | RuleSetDraft;

type RegionLike = Extract<DiffableRuleSet, { kind: 'region' }>;
type OverlayLike = Extract<DiffableRuleSet, { kind: 'municipality' }>;

export interface SemanticDiffOptions {
  /**
   * For overlays: the region they apply to, for the parameters' labels and types ("€ 20.000"
   * rather than 2000000) and the regional value an overlay falls back to.
   */
  region?: Pick<RegionLike, 'parameters'> & Partial<Pick<RegionLike, 'rules'>>;
}

export const RULE_KIND_LABELS: Record<Rule['kind'], string> = {
  eligibility: 'toegang',
  referral: 'verwijzing',
  stacking: 'stapeling',
  admission: 'toelating',
  tariff: 'tarief',
  signal: 'signaal',
};

type Group = SemanticChange['group'];
type Emit = (change: Omit<SemanticChange, 'before' | 'after'> & { before?: unknown; after?: unknown }) => void;

/** A value as JSON for the answer: undefined (absent) becomes null. */
function json(value: unknown): z.infer<typeof JsonValue> {
  return (value === undefined ? null : structuredClone(value)) as z.infer<typeof JsonValue>;
}

/**
 * The semantic changes from `before` to `after`, in the order metadata, parameters, rules (or a
 * municipality's switches), catalogue, tariffs. Without `before` (a rule set's first draft) every
 * entry is added. Two documents that differ only in version, valid-from date or change note give
 * no changes.
 *
 * @example
 *   semanticDiff(v1, { ...v1, parameters: { ...v1.parameters, 'dyslexia.minAge': { ...minAge, value: 6 } } });
 *   // [{ path: "$.parameters['dyslexia.minAge'].value", kind: 'changed', before: 7, after: 6,
 *   //    text: 'Dyslexiezorg: minimumleeftijd: 7 → 6', group: { kind: 'parameter', id: 'dyslexia.minAge' } }]
 */
export function semanticDiff(
  before: DiffableRuleSet | undefined,
  after: DiffableRuleSet,
  options: SemanticDiffOptions = {},
): SemanticChange[] {
  const changes: SemanticChange[] = [];
  const emit: Emit = (c) => changes.push({ ...c, before: json(c.before), after: json(c.after) });

  metadataChanges(before, after, emit);
  const regionBefore = before?.kind === 'region' ? before : undefined;
  const regionAfter = after.kind === 'region' ? after : undefined;
  const overlayBefore = before?.kind === 'municipality' ? before : undefined;
  const overlayAfter = after.kind === 'municipality' ? after : undefined;

  if (regionBefore || regionAfter) {
    parameterChanges(regionBefore?.parameters ?? {}, regionAfter?.parameters ?? {}, emit);
    ruleChanges(regionBefore, regionAfter, emit);
    catalogueChanges(regionBefore, regionAfter, emit);
    tariffChanges(regionBefore, regionAfter, emit);
  }
  if (overlayBefore || overlayAfter) {
    overlayParameterChanges(overlayBefore?.parameters ?? {}, overlayAfter?.parameters ?? {}, options, emit);
    parameterSourceChanges(overlayBefore?.parameterSources ?? {}, overlayAfter?.parameterSources ?? {}, options, emit);
    switchChanges(overlayBefore?.rules ?? {}, overlayAfter?.rules ?? {}, options, emit);
  }
  return changes;
}

// ---------------------------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------------------------

const KIND_WORDS = { region: 'regio', municipality: 'gemeente' } as const;
const FUNDING_WORDS = { output: 'outputgericht', effort: 'inspanningsgericht' } as const;

/** Top-level fields compared elsewhere, or bookkeeping that is no change (version, date, change note). */
const TOP_LEVEL_ELSEWHERE = [
  'version',
  'validFrom',
  'changes',
  'parameters',
  'parameterSources',
  'rules',
  'catalogue',
  'tariffs',
];

function metadataChanges(before: DiffableRuleSet | undefined, after: DiffableRuleSet, emit: Emit) {
  const group = (id: string): Group => ({ kind: 'metadata', id });
  const fields: { key: string; label: string; words?: (v: unknown) => string; long?: boolean }[] = [
    { key: 'kind', label: 'Soort regelset', words: (v) => KIND_WORDS[v as keyof typeof KIND_WORDS] ?? String(v) },
    { key: 'id', label: 'Regelset' },
    { key: 'region', label: 'Regio' },
    {
      key: 'fundingModel',
      label: 'Bekostigingsmodel',
      words: (v) => FUNDING_WORDS[v as keyof typeof FUNDING_WORDS] ?? String(v),
    },
    { key: 'name', label: 'Naam' },
    { key: 'description', label: 'Beschrijving', long: true },
  ];
  const b = (before ?? {}) as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  for (const { key, label, words = (v: unknown) => `'${String(v)}'`, long } of fields) {
    const [vb, va] = [b[key], a[key]];
    if (sameContent(vb, va)) continue;
    const path = jsonPath([key]);
    if (vb === undefined)
      emit({
        path,
        kind: 'added',
        after: va,
        text: long ? `${label} toegevoegd` : `${label}: ${words(va)}`,
        group: group(key),
      });
    else if (va === undefined)
      emit({
        path,
        kind: 'removed',
        before: vb,
        text: long ? `${label} verwijderd` : `${label} verwijderd (was ${words(vb)})`,
        group: group(key),
      });
    else
      emit({
        path,
        kind: 'changed',
        before: vb,
        after: va,
        text: long ? `${label} gewijzigd` : `${label}: ${words(vb)} → ${words(va)}`,
        group: group(key),
      });
  }
  entryFieldChanges('Regelset', '$', group('regelset'), b, a, [], emit, [
    ...fields.map((f) => f.key),
    ...TOP_LEVEL_ELSEWHERE,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

function sourceInWords(source: Source | undefined): string {
  if (source === undefined) return 'geen';
  if (source === 'illustratief') return 'illustratief';
  return `${source.document}, ${source.section}${source.note ? ` (${source.note})` : ''}`;
}

function policyInWords(policy: OverridePolicy | undefined, type: Parameter['type']): string {
  if (!policy?.allowed) return 'gemeenten mogen deze waarde niet aanpassen';
  const bounds: string[] = [];
  const v = (n: number) => parameterValueInWords(type, n);
  if (policy.min !== undefined && policy.max !== undefined) bounds.push(`tussen ${v(policy.min)} en ${v(policy.max)}`);
  else if (policy.min !== undefined) bounds.push(`minstens ${v(policy.min)}`);
  else if (policy.max !== undefined) bounds.push(`hoogstens ${v(policy.max)}`);
  if (policy.allowedValues) bounds.push(`uit ${parameterValueInWords(type, policy.allowedValues)}`);
  if (policy.minItems !== undefined) bounds.push(`minstens ${policy.minItems} waarde(n)`);
  return `gemeenten mogen deze waarde aanpassen${bounds.length > 0 ? ` (${bounds.join('; ')})` : ''}`;
}

/** " (erbij: a; eruit: b)" for two lists, empty when either is no list. */
function listDelta(before: unknown, after: unknown, words: (v: unknown) => string): string {
  if (!Array.isArray(before) || !Array.isArray(after)) return '';
  const added = after.filter((x) => !before.includes(x));
  const removed = before.filter((x) => !after.includes(x));
  const parts = [
    ...(added.length > 0 ? [`erbij: ${words(added)}`] : []),
    ...(removed.length > 0 ? [`eruit: ${words(removed)}`] : []),
  ];
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

/** Keys of two records: those of `after` in its order, then those only `before` has. */
function unionKeys(before: object, after: object): string[] {
  return [...new Set([...Object.keys(after), ...Object.keys(before)])];
}

/** The fields of a parameter `parameterChanges` words itself. */
const PARAMETER_FIELDS_COMPARED = ['type', 'value', 'label', 'unit', 'explanation', 'source', 'municipalOverride'];

function parameterChanges(
  before: Readonly<Record<string, Parameter>>,
  after: Readonly<Record<string, Parameter>>,
  emit: Emit,
) {
  for (const name of unionKeys(before, after)) {
    const b = Object.hasOwn(before, name) ? before[name] : undefined;
    const a = Object.hasOwn(after, name) ? after[name] : undefined;
    const base = jsonPath(['parameters', name]);
    const group: Group = { kind: 'parameter', id: name };
    if (!b && a) {
      emit({
        path: base,
        kind: 'added',
        after: a,
        text: `Nieuwe parameter ${a.label} (${name}): ${parameterValueInWords(a.type, a.value)}`,
        group,
      });
      continue;
    }
    if (b && !a) {
      emit({
        path: base,
        kind: 'removed',
        before: b,
        text: `Parameter ${b.label} (${name}) verwijderd (was ${parameterValueInWords(b.type, b.value)})`,
        group,
      });
      continue;
    }
    if (!a || !b || sameContent(a, b)) continue;
    const label = a.label;
    const field = (key: string, text: string, vb: unknown, va: unknown) =>
      emit({ path: `${base}.${key}`, kind: 'changed', before: vb, after: va, text, group });
    if (a.type !== b.type) field('type', `${label}: soort ${b.type} → ${a.type}`, b.type, a.type);
    if (!sameContent(a.value, b.value)) {
      const words = (v: unknown) => parameterValueInWords(a.type, v);
      field(
        'value',
        `${label}: ${parameterValueInWords(b.type, b.value)} → ${words(a.value)}${listDelta(b.value, a.value, words)}`,
        b.value,
        a.value,
      );
    }
    if (a.label !== b.label) field('label', `Parameter ${name}: naam '${b.label}' → '${a.label}'`, b.label, a.label);
    const unitOf = (p: Parameter) => ('unit' in p ? p.unit : undefined);
    if (unitOf(a) !== unitOf(b))
      field('unit', `${label}: eenheid ${unitOf(b) ?? 'geen'} → ${unitOf(a) ?? 'geen'}`, unitOf(b), unitOf(a));
    if (a.explanation !== b.explanation)
      field('explanation', `${label}: toelichting gewijzigd`, b.explanation, a.explanation);
    if (!sameContent(a.source, b.source))
      field('source', `${label}: bron ${sourceInWords(b.source)} → ${sourceInWords(a.source)}`, b.source, a.source);
    if (!sameContent(a.municipalOverride, b.municipalOverride))
      field(
        'municipalOverride',
        `${label}: ${policyInWords(b.municipalOverride, b.type)} → ${policyInWords(a.municipalOverride, a.type)}`,
        b.municipalOverride,
        a.municipalOverride,
      );
    entryFieldChanges(label, base, group, b, a, [], emit, PARAMETER_FIELDS_COMPARED);
  }
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

const rulePath = (id: string) => `$.rules[?(@.id=='${id}')]`;

function optionalInWords(optional: Rule['optional']): string {
  if (!optional) return 'geldt altijd';
  return optional.enabledByDefault
    ? 'een gemeente mag hem uitzetten (standaard aan)'
    : 'een gemeente mag hem aanzetten (standaard uit)';
}

function lookupOf(doc: RegionLike | undefined): ParameterLookup {
  return parameterLookup(doc?.parameters ?? {});
}

/** The fields of a rule `ruleChanges` words itself. */
const RULE_FIELDS_COMPARED = [
  'id',
  'message',
  'effect',
  'kind',
  'code',
  'source',
  'description',
  'optional',
  'conditions',
];

function ruleChanges(before: RegionLike | undefined, after: RegionLike | undefined, emit: Emit) {
  const rulesBefore = new Map((before?.rules ?? []).map((r) => [r.id, r]));
  const rulesAfter = new Map((after?.rules ?? []).map((r) => [r.id, r]));
  const lookBefore = lookupOf(before);
  const lookAfter = lookupOf(after);
  for (const id of [...new Set([...rulesAfter.keys(), ...rulesBefore.keys()])]) {
    const b = rulesBefore.get(id);
    const a = rulesAfter.get(id);
    const path = rulePath(id);
    const group: Group = { kind: 'rule', id };
    if (!b && a) {
      emit({
        path,
        kind: 'added',
        after: a,
        text: `Nieuwe regel ${id} (${EFFECT_LABELS[a.effect]}, ${a.code}): als ${conditionInWords(a.conditions, lookAfter)}`,
        group,
      });
      continue;
    }
    if (b && !a) {
      emit({ path, kind: 'removed', before: b, text: `Regel ${id} verwijderd (${b.code}: ${b.message})`, group });
      continue;
    }
    if (!a || !b || sameContent(a, b)) continue;
    const field = (key: string, text: string, vb: unknown, va: unknown) => {
      const kind = vb === undefined ? 'added' : va === undefined ? 'removed' : 'changed';
      emit({ path: `${path}.${key}`, kind, before: vb, after: va, text: `Regel ${id}: ${text}`, group });
    };
    if (a.message !== b.message) field('message', `melding '${b.message}' → '${a.message}'`, b.message, a.message);
    if (a.effect !== b.effect)
      field('effect', `effect ${EFFECT_LABELS[b.effect]} → ${EFFECT_LABELS[a.effect]}`, b.effect, a.effect);
    if (a.kind !== b.kind)
      field('kind', `soort ${RULE_KIND_LABELS[b.kind]} → ${RULE_KIND_LABELS[a.kind]}`, b.kind, a.kind);
    if (a.code !== b.code) field('code', `redencode ${b.code} → ${a.code}`, b.code, a.code);
    if (!sameContent(a.source, b.source))
      field('source', `bron ${sourceInWords(b.source)} → ${sourceInWords(a.source)}`, b.source, a.source);
    if (a.description !== b.description)
      field(
        'description',
        a.description === undefined
          ? 'toelichting verwijderd'
          : b.description === undefined
            ? 'toelichting toegevoegd'
            : 'toelichting gewijzigd',
        b.description,
        a.description,
      );
    if (!sameContent(a.optional, b.optional))
      field('optional', `${optionalInWords(b.optional)} → ${optionalInWords(a.optional)}`, b.optional, a.optional);
    entryFieldChanges(`Regel ${id}`, path, group, b, a, [ILLUSTRATIVE], emit, RULE_FIELDS_COMPARED);
    conditionChanges(b.conditions, a.conditions, `${path}.conditions`, id, { lookBefore, lookAfter }, emit);
  }
  ruleOrderChange(before?.rules ?? [], after?.rules ?? [], emit);
}

/** Rule order decides the order of a decision's reasons: reordering the rules both keep is a change too. */
function ruleOrderChange(before: readonly Rule[], after: readonly Rule[], emit: Emit) {
  const kept = new Set(after.map((r) => r.id));
  const orderBefore = before.map((r) => r.id).filter((id) => kept.has(id));
  const inBefore = new Set(orderBefore);
  const orderAfter = after.map((r) => r.id).filter((id) => inBefore.has(id));
  if (sameContent(orderBefore, orderAfter)) return;
  emit({
    path: '$.rules',
    kind: 'changed',
    before: orderBefore,
    after: orderAfter,
    text: 'Volgorde van de regels gewijzigd (de volgorde van de redenen in een besluit verandert mee)',
    group: { kind: 'metadata', id: 'rules' },
  });
}

interface Lookups {
  lookBefore: ParameterLookup;
  lookAfter: ParameterLookup;
}

function nodeKind(c: Condition): 'leaf' | 'all' | 'any' | 'not' {
  return isLeaf(c) ? 'leaf' : 'all' in c ? 'all' : 'any' in c ? 'any' : 'not';
}

/**
 * Compares two condition trees as far as their shapes agree: leaves one to one, the members of
 * an `all`/`any` by content (an unchanged member wherever it moved is no change; what is left is
 * paired in order, or reported as added and removed). Where the shapes part, the subtree as a whole.
 */
function conditionChanges(
  before: Condition,
  after: Condition,
  path: string,
  ruleId: string,
  looks: Lookups,
  emit: Emit,
) {
  if (sameContent(before, after)) return;
  const group: Group = { kind: 'rule', id: ruleId };
  const kb = nodeKind(before);
  const ka = nodeKind(after);
  if (kb === 'leaf' && ka === 'leaf' && isLeaf(before) && isLeaf(after)) {
    const was = leafInWords(before, looks.lookBefore);
    const becomes =
      before.fact === after.fact
        ? `${OPERATOR_SYMBOLS[after.operator]} ${operandInWords(after, looks.lookAfter)}`
        : leafInWords(after, looks.lookAfter);
    emit({
      path,
      kind: 'changed',
      before,
      after,
      text: `Regel ${ruleId}: voorwaarde '${was}' gewijzigd in '${becomes}'`,
      group,
    });
    return;
  }
  if (kb === 'not' && ka === 'not' && 'not' in before && 'not' in after) {
    conditionChanges(before.not, after.not, `${path}.not`, ruleId, looks, emit);
    return;
  }
  if ((kb === 'all' || kb === 'any') && kb === ka) {
    const listBefore = (before as Record<string, Condition[]>)[kb]!;
    const listAfter = (after as Record<string, Condition[]>)[kb]!;
    const unmatchedAfter = listAfter.map((_, i) => i);
    const unmatchedBefore: number[] = [];
    listBefore.forEach((c, i) => {
      const at = unmatchedAfter.findIndex((j) => sameContent(listAfter[j], c));
      if (at >= 0) unmatchedAfter.splice(at, 1);
      else unmatchedBefore.push(i);
    });
    if (unmatchedBefore.length === unmatchedAfter.length) {
      unmatchedBefore.forEach((i, n) => {
        const j = unmatchedAfter[n]!;
        conditionChanges(listBefore[i]!, listAfter[j]!, `${path}.${kb}[${j}]`, ruleId, looks, emit);
      });
      return;
    }
    for (const i of unmatchedBefore) {
      emit({
        path: `${path}.${kb}[${i}]`,
        kind: 'removed',
        before: listBefore[i],
        text: `Regel ${ruleId}: voorwaarde '${conditionInWords(listBefore[i]!, looks.lookBefore)}' vervallen`,
        group,
      });
    }
    for (const j of unmatchedAfter) {
      emit({
        path: `${path}.${kb}[${j}]`,
        kind: 'added',
        after: listAfter[j],
        text: `Regel ${ruleId}: voorwaarde '${conditionInWords(listAfter[j]!, looks.lookAfter)}' toegevoegd`,
        group,
      });
    }
    return;
  }
  emit({
    path,
    kind: 'changed',
    before,
    after,
    text: `Regel ${ruleId}: voorwaarden '${conditionInWords(before, looks.lookBefore)}' gewijzigd in '${conditionInWords(after, looks.lookAfter)}'`,
    group,
  });
}

// ---------------------------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------------------------

const categoryInWords = (c: unknown) =>
  `${String(c)} (${IJW_PRODUCT_CATEGORIES[c as keyof typeof IJW_PRODUCT_CATEGORIES] ?? 'onbekend'})`;

interface FieldSpec {
  key: string;
  label: string;
  words?: (v: unknown) => string;
  /** Long texts: say that they changed, the values are in before/after. */
  long?: boolean;
  /** The illustrative mark (`illustrative: true` or absent). */
  flag?: boolean;
}

/** The mark of a value no source gives (schema: `illustrative: true`). */
const ILLUSTRATIVE: FieldSpec = { key: 'illustrative', label: 'illustratief', flag: true };

/**
 * The listed fields of an entry with their labels, then every other field that differs under its
 * own name (minus `skip`, the fields compared elsewhere): a field the schema gains later is still
 * a change, if not yet a well-worded one.
 */
function entryFieldChanges(
  subject: string,
  path: string,
  group: Group,
  before: object,
  after: object,
  fields: readonly FieldSpec[],
  emit: Emit,
  skip: readonly string[] = [],
) {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const listed = new Set([...fields.map((f) => f.key), ...skip]);
  const others: FieldSpec[] = unionKeys(b, a)
    .filter((key) => !listed.has(key))
    .map((key) => ({ key, label: `veld ${key}`, long: true }));
  for (const { key, label, words = (v: unknown) => (v === undefined ? 'geen' : String(v)), long, flag } of [
    ...fields,
    ...others,
  ]) {
    const [vb, va] = [b[key], a[key]];
    if (sameContent(vb, va)) continue;
    const kind = vb === undefined ? 'added' : va === undefined ? 'removed' : 'changed';
    const text = flag
      ? `${subject}: ${va === true ? 'gemarkeerd als illustratief' : 'niet meer gemarkeerd als illustratief'}`
      : long
        ? `${subject}: ${label} ${kind === 'added' ? 'toegevoegd' : kind === 'removed' ? 'verwijderd' : 'gewijzigd'}`
        : `${subject}: ${label} ${words(vb)} → ${words(va)}${listDelta(vb, va, words)}`;
    emit({ path: childPath(path, key), kind, before: vb, after: va, text, group });
  }
}

/** `$.x` + `y` → `$.x.y`; a key that is no identifier is bracketed: `$.x['a.b']`. */
function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}['${key}']`;
}

const listWords = (v: unknown) => parameterValueInWords(undefined, v);

const PROFILE_FIELDS: readonly FieldSpec[] = [
  { key: 'title', label: 'titel', words: (v) => `'${String(v)}'` },
  { key: 'intensities', label: 'intensiteiten', words: listWords },
  { key: 'ijwCategory', label: 'iJw-productcategorie', words: categoryInWords },
  { key: 'whatIsNeeded', label: "'Wat is nodig?'", long: true },
  { key: 'whatIsGoingOn', label: "'Wat is er aan de hand?'", long: true },
  { key: 'whatWeWantToAchieve', label: "'Wat willen we bereiken?'", long: true },
  { key: 'component', label: 'onderdeel' },
  { key: 'topSegmentComponent', label: 'onderdeel in het topsegment' },
  { key: 'componentSource', label: 'bron van het onderdeel', words: (v) => sourceInWords(v as Source) },
  { key: 'source', label: 'bron', words: (v) => sourceInWords(v as Source) },
  ILLUSTRATIVE,
];

const PRODUCT_FIELDS: readonly FieldSpec[] = [
  { key: 'title', label: 'titel', words: (v) => `'${String(v)}'` },
  { key: 'unit', label: 'eenheid' },
  { key: 'levels', label: 'niveaus', words: listWords },
  { key: 'maxIndicationMonths', label: 'maximale indicatieduur (maanden)' },
  { key: 'ijwCategory', label: 'iJw-productcategorie', words: categoryInWords },
  { key: 'description', label: 'beschrijving', long: true },
  { key: 'source', label: 'bron', words: (v) => sourceInWords(v as Source) },
  ILLUSTRATIVE,
];

function keyedEntries<T>(
  before: readonly T[],
  after: readonly T[],
  keyOf: (t: T) => string,
  visit: (key: string, b: T | undefined, a: T | undefined) => void,
) {
  const mb = new Map(before.map((t) => [keyOf(t), t]));
  const ma = new Map(after.map((t) => [keyOf(t), t]));
  for (const key of [...new Set([...ma.keys(), ...mb.keys()])]) visit(key, mb.get(key), ma.get(key));
}

function catalogueChanges(before: RegionLike | undefined, after: RegionLike | undefined, emit: Emit) {
  const profiles = (d: RegionLike | undefined): Profile[] =>
    d && 'profiles' in d.catalogue ? d.catalogue.profiles : [];
  const products = (d: RegionLike | undefined): Product[] =>
    d && 'products' in d.catalogue ? d.catalogue.products : [];

  if (before && after)
    entryFieldChanges(
      'Catalogus',
      '$.catalogue',
      { kind: 'catalogue', id: 'catalogus' },
      before.catalogue,
      after.catalogue,
      [],
      emit,
      ['profiles', 'products'],
    );
  keyedEntries(
    profiles(before),
    profiles(after),
    (p) => String(p.number),
    (key, b, a) => {
      const path = `$.catalogue.profiles[?(@.number==${key})]`;
      const group: Group = { kind: 'catalogue', id: `profiel-${key}` };
      if (!b && a)
        emit({
          path,
          kind: 'added',
          after: a,
          text: `Nieuw profiel ${key} '${a.title}' met intensiteiten ${listWords(a.intensities)}`,
          group,
        });
      else if (b && !a)
        emit({ path, kind: 'removed', before: b, text: `Profiel ${key} '${b.title}' verwijderd`, group });
      else if (a && b) entryFieldChanges(`Profiel ${key}`, path, group, b, a, PROFILE_FIELDS, emit);
    },
  );

  keyedEntries(
    products(before),
    products(after),
    (p) => p.slug,
    (slug, b, a) => {
      const path = `$.catalogue.products[?(@.slug=='${slug}')]`;
      const group: Group = { kind: 'catalogue', id: slug };
      if (!b && a)
        emit({
          path,
          kind: 'added',
          after: a,
          text: `Nieuw product ${slug} '${a.title}' per ${UNIT_WORDS[a.unit] ?? a.unit}${a.levels.length > 0 ? `, niveaus ${listWords(a.levels)}` : ''}`,
          group,
        });
      else if (b && !a)
        emit({ path, kind: 'removed', before: b, text: `Product ${slug} '${b.title}' verwijderd`, group });
      else if (a && b) entryFieldChanges(`Product ${slug}`, path, group, b, a, PRODUCT_FIELDS, emit);
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Tariffs
// ---------------------------------------------------------------------------------------------

const UNIT_WORDS: Record<string, string> = {
  minuut: 'minuut',
  uur: 'uur',
  dagdeel: 'dagdeel',
  etmaal: 'etmaal',
  stuks: 'stuk',
  euro: 'euro',
};

/** An entry's own source; without one the table's applies. */
const TARIFF_SOURCE: FieldSpec = {
  key: 'source',
  label: 'bron',
  words: (v) => (v === undefined ? 'die van de tabel' : sourceInWords(v as Source)),
};
const TARIFF_KEYS = ['profile', 'intensity', 'product', 'level', 'unit', 'priceCents'];

function tariffChanges(before: RegionLike | undefined, after: RegionLike | undefined, emit: Emit) {
  const tb = before?.tariffs;
  const ta = after?.tariffs;
  if (tb && ta)
    entryFieldChanges('Tarieven', '$.tariffs', { kind: 'tariff', id: 'tabel' }, tb, ta, [], emit, [
      'source',
      'middleSegment',
      'products',
    ]);
  if (tb && ta && !sameContent(tb.source, ta.source)) {
    emit({
      path: '$.tariffs.source',
      kind: 'changed',
      before: tb.source,
      after: ta.source,
      text: `Bron van de tarieven: ${sourceInWords(tb.source)} → ${sourceInWords(ta.source)}`,
      group: { kind: 'tariff', id: 'source' },
    });
  }
  const price = (
    subject: string,
    path: string,
    id: string,
    b: { priceCents: number } | undefined,
    a: { priceCents: number } | undefined,
  ) => {
    const group: Group = { kind: 'tariff', id };
    if (!b && a)
      emit({ path, kind: 'added', after: a, text: `Nieuw tarief ${subject}: ${formatCents(a.priceCents)}`, group });
    else if (b && !a)
      emit({
        path,
        kind: 'removed',
        before: b,
        text: `Tarief ${subject} vervallen (was ${formatCents(b.priceCents)})`,
        group,
      });
    else if (a && b) {
      if (a.priceCents !== b.priceCents)
        emit({
          path: `${path}.priceCents`,
          kind: 'changed',
          before: b.priceCents,
          after: a.priceCents,
          text: `Tarief ${subject}: ${formatCents(b.priceCents)} → ${formatCents(a.priceCents)}`,
          group,
        });
      entryFieldChanges(`Tarief ${subject}`, path, group, b, a, [TARIFF_SOURCE], emit, TARIFF_KEYS);
    }
  };

  const middle = (t: typeof tb) => (t?.model === 'output' ? t.middleSegment : []);
  keyedEntries(
    middle(tb),
    middle(ta),
    (t) => `${t.profile}/${t.intensity}`,
    (key, b, a) => {
      const [profile, intensity] = key.split('/');
      price(
        `profiel ${profile} ${intensity}`,
        `$.tariffs.middleSegment[?(@.profile==${profile} && @.intensity=='${intensity}')]`,
        key,
        b,
        a,
      );
    },
  );

  const products = (t: typeof tb) => (t?.model === 'effort' ? t.products : []);
  keyedEntries(
    products(tb),
    products(ta),
    (t) => `${t.product}/${t.level ?? ''}/${t.unit}`,
    (key, b, a) => {
      const t = (a ?? b)!;
      const level = t.level ? ` @.level=='${t.level}' &&` : '';
      price(
        `${t.product}${t.level ? ` ${t.level}` : ''} per ${UNIT_WORDS[t.unit] ?? t.unit}`,
        `$.tariffs.products[?(@.product=='${t.product}' &&${level} @.unit=='${t.unit}')]`,
        key,
        b,
        a,
      );
    },
  );
}

function formatCents(cents: number): string {
  return parameterValueInWords('cents', cents);
}

// ---------------------------------------------------------------------------------------------
// Municipal overlays
// ---------------------------------------------------------------------------------------------

function overlayParameterChanges(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  options: SemanticDiffOptions,
  emit: Emit,
) {
  const regional = options.region?.parameters ?? {};
  for (const name of unionKeys(before, after)) {
    const has = (r: object) => Object.hasOwn(r, name);
    const [vb, va] = [before[name], after[name]];
    if (has(before) && has(after) && sameContent(vb, va)) continue;
    const p = Object.hasOwn(regional, name) ? regional[name] : undefined;
    const label = p?.label ?? name;
    const words = (v: unknown) => parameterValueInWords(p?.type, v);
    const regionalValue = p ? ` (regio: ${words(p.value)})` : '';
    const path = jsonPath(['parameters', name]);
    const group: Group = { kind: 'parameter', id: name };
    if (!has(before))
      emit({ path, kind: 'added', after: va, text: `${label}: eigen waarde ${words(va)}${regionalValue}`, group });
    else if (!has(after))
      emit({
        path,
        kind: 'removed',
        before: vb,
        text: `${label}: geen eigen waarde meer (was ${words(vb)}); de regionale waarde geldt${p ? ` (${words(p.value)})` : ''}`,
        group,
      });
    else
      emit({
        path,
        kind: 'changed',
        before: vb,
        after: va,
        text: `${label}: ${words(vb)} → ${words(va)}${listDelta(vb, va, words)}`,
        group,
      });
  }
}

function switchChanges(
  before: OverlayLike['rules'],
  after: OverlayLike['rules'],
  options: SemanticDiffOptions,
  emit: Emit,
) {
  const onOff = (enabled: boolean) => (enabled ? 'aan' : 'uit');
  for (const id of unionKeys(before, after)) {
    const b = Object.hasOwn(before, id) ? before[id] : undefined;
    const a = Object.hasOwn(after, id) ? after[id] : undefined;
    if (sameContent(a, b)) continue;
    const path = jsonPath(['rules', id]);
    const group: Group = { kind: 'switch', id };
    const fallback = options.region?.rules?.find((r) => r.id === id)?.optional?.enabledByDefault;
    if (!b && a)
      emit({
        path,
        kind: 'added',
        after: a,
        text: `Regel ${id}: door de gemeente ${a.enabled ? 'aangezet' : 'uitgezet'}`,
        group,
      });
    else if (b && !a)
      emit({
        path,
        kind: 'removed',
        before: b,
        text: `Regel ${id}: de gemeente zet hem niet meer zelf ${onOff(b.enabled)}; de regionale standaard geldt${fallback === undefined ? '' : ` (${onOff(fallback)})`}`,
        group,
      });
    else if (a && b) {
      if (a.enabled !== b.enabled)
        emit({
          path: `${path}.enabled`,
          kind: 'changed',
          before: b.enabled,
          after: a.enabled,
          text: `Regel ${id}: ${onOff(b.enabled)} → ${onOff(a.enabled)}`,
          group,
        });
      entryFieldChanges(`Regel ${id}`, path, group, b, a, [DECISION_SOURCE], emit, ['enabled']);
    }
  }
}

/** Where a municipality's value or switch comes from; without one it is the municipality's own decision. */
const DECISION_SOURCE: FieldSpec = {
  key: 'source',
  label: 'bron van het besluit',
  words: (v) => (v === undefined ? 'eigen besluit van de gemeente' : sourceInWords(v as Source)),
};

/** The sources an overlay gives for the values it sets (`parameterSources`), by parameter. */
function parameterSourceChanges(
  before: Readonly<Record<string, Source>>,
  after: Readonly<Record<string, Source>>,
  options: SemanticDiffOptions,
  emit: Emit,
) {
  const regional = options.region?.parameters ?? {};
  for (const name of unionKeys(before, after)) {
    const label = (Object.hasOwn(regional, name) ? regional[name]?.label : undefined) ?? name;
    entryFieldChanges(
      label,
      jsonPath(['parameterSources']),
      { kind: 'parameter', id: name },
      { [name]: Object.hasOwn(before, name) ? before[name] : undefined },
      { [name]: Object.hasOwn(after, name) ? after[name] : undefined },
      [{ ...DECISION_SOURCE, key: name, label: 'bron van de gemeentelijke waarde' }],
      emit,
    );
  }
}
