/**
 * Explanations in Dutch: labels for facts, operators and effects, conditions as sentences, the
 * facts a fired rule used as words a family reads ("uw kind was op 2 maart 2026 12 jaar"), and a
 * case in words. The letter, the auditor's view and the editor all speak from these tables, so a
 * fact is called the same everywhere.
 */
import { count, formatDate, formatEuros, listInWords } from './format.js';
import type { Case, ConditionTrace, Effect, FactName, Operator, RuleTrace } from './schema.js';

/** Short Dutch labels of the facts, as a policy advisor reads them in a rule. */
export const FACT_LABELS: Record<FactName, string> = {
  caseType: 'soort casus',
  requestKind: 'soort aanvraag',
  service: 'gevraagde dienst',
  referrer: 'verwijzer',
  profile: 'profiel',
  intensity: 'intensiteit',
  allowedIntensities: 'toegestane intensiteiten',
  segment: 'segment',
  trajectoryCostCents: 'trajectprijs',
  product: 'product',
  productLevel: 'niveau',
  unit: 'eenheid',
  productUnit: 'eenheid van het product',
  periodDays: 'periode in dagen',
  periodMonths: 'periode in hele maanden vanaf de begindatum',
  openEnded: 'zonder einddatum',
  productMaxIndicationMonths: 'maximale indicatieduur (maanden)',
  ageYears: 'leeftijd in jaren',
  monthsBeforeBirth: 'maanden vóór de geboorte',
  overlappingAllocations: 'overlappende toewijzingen',
  overlappingSameProduct: 'overlappende toewijzingen van hetzelfde profiel of product',
  overlappingOtherProfile: 'overlappende toewijzingen van een ander profiel',
  familyPlanPresent: 'gezinsplan aanwezig',
  durableSupport: 'duurzame ondersteuning in het gezinsplan',
  coordinatedWithLocalTeamOrGi: 'afgestemd met lokaal team of GI',
  dyslexiaDataPresent: 'dyslexiegegevens aanwezig',
  readingPercentile: 'percentiel lezen',
  spellingPercentile: 'percentiel spelling',
  comorbidity: 'andere stoornis verklaart de problemen',
  dossierMeasurements: 'meetmomenten in het schooldossier',
  schoolSupport: 'voldoende ondersteuning door de school',
  tariffAvailable: 'tarief bekend',
  admissionPurpose: 'doel van de toelating',
  entryMonthDay: 'toetredingsdag (MM-DD)',
  registrations: 'registraties van de aanbieder',
  governanceCodeZorg: 'volgt de Governancecode Zorg',
  clientsLastYear: 'cliënten vorig jaar',
  requestedProductGroup: 'gevraagde productgroep',
  providerProductGroupCount: 'aantal productgroepen van de aanbieder',
  providerLevelCount: 'aantal niveaus waarvoor de aanbieder zich inschrijft',
  addedValueStated: 'aanbieder beschrijft toegevoegde waarde',
};

/** Operators as the middle of a Dutch sentence: "leeftijd in jaren is kleiner dan 7". */
export const OPERATOR_LABELS: Record<Operator, string> = {
  equal: 'is gelijk aan',
  notEqual: 'is niet gelijk aan',
  lessThan: 'is kleiner dan',
  lessThanInclusive: 'is hoogstens',
  greaterThan: 'is groter dan',
  greaterThanInclusive: 'is minstens',
  in: 'is een van',
  notIn: 'is geen van',
  contains: 'bevat',
  doesNotContain: 'bevat niet',
  containsAny: 'bevat een van',
  containsNone: 'bevat geen van',
};

export const EFFECT_LABELS: Record<Effect, string> = {
  reject: 'afwijzen',
  review: 'laten beoordelen',
  info: 'ter informatie',
};

export const REFERRER_LABELS: Record<string, string> = {
  'gemeentelijke-toegang': 'de gemeentelijke toegang',
  huisarts: 'de huisarts',
  'gecertificeerde-instelling': 'een gecertificeerde instelling',
  'medisch-specialist': 'een medisch specialist',
  jeugdarts: 'de jeugdarts',
};

export const SERVICE_LABELS: Record<string, string> = {
  jeugdbescherming: 'jeugdbescherming',
  jeugdreclassering: 'jeugdreclassering',
  vervoer: 'vervoer',
  pgb: 'een persoonsgebonden budget (pgb)',
  'adhd-medicatiecontrole': 'controle van ADHD-medicatie',
};

/** Municipality and region names as they are written. */
export const PLACE_NAMES: Record<string, string> = {
  ijsselland: 'Regio IJsselland',
  'midden-ijssel-oost-veluwe': 'Zorgregio Midden-IJssel/Oost-Veluwe',
  dalfsen: 'Dalfsen',
  deventer: 'Deventer',
  hardenberg: 'Hardenberg',
  kampen: 'Kampen',
  'olst-wijhe': 'Olst-Wijhe',
  ommen: 'Ommen',
  raalte: 'Raalte',
  staphorst: 'Staphorst',
  steenwijkerland: 'Steenwijkerland',
  zwartewaterland: 'Zwartewaterland',
  zwolle: 'Zwolle',
  apeldoorn: 'Apeldoorn',
  brummen: 'Brummen',
  epe: 'Epe',
  hattem: 'Hattem',
  heerde: 'Heerde',
  lochem: 'Lochem',
  voorst: 'Voorst',
  zutphen: 'Zutphen',
};

export function placeName(id: string): string {
  return PLACE_NAMES[id] ?? id;
}

/** Facts that only route a rule to the right kind of case; a family learns nothing from them. */
const TECHNICAL_FACTS: ReadonlySet<string> = new Set(['caseType', 'requestKind', 'allowedIntensities']);

const CENTS_FACTS: ReadonlySet<string> = new Set(['trajectoryCostCents']);

/** A fact value in words for a condition sentence: ja/nee, euros, lists, "geen". */
export function formatValue(fact: string, value: unknown): string {
  if (value === null || value === undefined) return 'niet van toepassing';
  if (typeof value === 'boolean') return value ? 'ja' : 'nee';
  if (typeof value === 'number')
    return CENTS_FACTS.has(fact) || fact.endsWith('Cents') ? formatEuros(value) : String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'geen' : value.map((v) => formatValue(fact, v)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export type LeafTrace = Extract<ConditionTrace, { fact: string }>;

/** The label of a parameter reference (`param:dyslexia.minAge`), or of another fact. */
export type ParameterLabel = (name: string) => string | undefined;

/**
 * One evaluated condition as a Dutch sentence, with the value seen and whether it held.
 *
 * @example
 *   describeCondition(leaf); // "leeftijd in jaren (12) is kleiner dan minimumleeftijd dyslexie (7): niet voldaan"
 */
export function describeCondition(leaf: LeafTrace, parameterLabel: ParameterLabel = () => undefined): string {
  const factLabel = FACT_LABELS[leaf.fact as FactName] ?? leaf.fact;
  const operator = OPERATOR_LABELS[leaf.operator as Operator] ?? leaf.operator;
  const reference =
    typeof leaf.value === 'object' && leaf.value !== null && !Array.isArray(leaf.value) && 'fact' in leaf.value
      ? String((leaf.value as { fact: unknown }).fact)
      : undefined;
  let compared: string;
  if (reference?.startsWith('param:')) {
    const name = reference.slice('param:'.length);
    compared = `${parameterLabel(name) ?? name} (${formatValue(name, leaf.comparedWith)})`;
  } else if (reference) {
    compared = `${FACT_LABELS[reference as FactName] ?? reference} (${formatValue(reference, leaf.comparedWith)})`;
  } else {
    compared = formatValue(leaf.fact, leaf.comparedWith);
  }
  return `${factLabel} (${formatValue(leaf.fact, leaf.factValue)}) ${operator} ${compared}: ${leaf.result ? 'voldaan' : 'niet voldaan'}`;
}

/**
 * The conditions that made a fired rule fire: the leaves that held under `all`/`any`, and under
 * `not` the ones that did not hold. Technical guards (kind of case) are left out.
 */
export function decisiveConditions(trace: RuleTrace): LeafTrace[] {
  const out: LeafTrace[] = [];
  const walk = (node: ConditionTrace, wanted: boolean) => {
    if ('fact' in node) {
      if (node.result === wanted && !TECHNICAL_FACTS.has(node.fact)) out.push(node);
    } else if ('all' in node) node.all.forEach((n) => walk(n, wanted));
    else if ('any' in node) node.any.forEach((n) => walk(n, wanted));
    else walk(node.not, !wanted);
  };
  if (trace.conditions) walk(trace.conditions, true);
  return out;
}

/** Every condition of a rule's trace, depth first, for a full audit listing. */
export function allConditions(trace: RuleTrace): LeafTrace[] {
  const out: LeafTrace[] = [];
  const walk = (node: ConditionTrace) => {
    if ('fact' in node) out.push(node);
    else if ('all' in node) node.all.forEach(walk);
    else if ('any' in node) node.any.forEach(walk);
    else walk(node.not);
  };
  if (trace.conditions) walk(trace.conditions);
  return out;
}

/**
 * What a fact's value means for the family, as a clause to put in a letter, or undefined for a
 * fact that says nothing to them.
 *
 * @example
 *   factInWords('ageYears', 12, someCase); // "uw kind was op 2 maart 2026 12 jaar"
 */
export function factInWords(fact: string, value: unknown, c: Case): string | undefined {
  const on = formatDate(c.referenceDate);
  switch (fact) {
    case 'ageYears':
      return typeof value === 'number'
        ? value < 0
          ? `uw kind was op ${on} nog niet geboren`
          : `uw kind was op ${on} ${value} jaar`
        : undefined;
    case 'monthsBeforeBirth':
      return typeof value === 'number' && value > 0
        ? `uw kind wordt ${count(value, 'maand', 'maanden')} na ${on} geboren`
        : undefined;
    case 'referrer':
      return typeof value === 'string' ? `de verwijzing kwam van ${REFERRER_LABELS[value] ?? value}` : undefined;
    case 'service':
      return typeof value === 'string' ? `u vroeg om ${SERVICE_LABELS[value] ?? value}` : undefined;
    case 'profile':
      return typeof value === 'number' ? `de aanvraag gaat over profiel ${value}` : undefined;
    case 'intensity':
      return typeof value === 'string' ? `met de intensiteit ‘${value}’` : undefined;
    case 'segment':
      return value === 'top' ? 'het gaat om zeer specialistische hulp (topsegment)' : undefined;
    case 'trajectoryCostCents':
      return typeof value === 'number' ? `het traject kost ${formatEuros(value)}` : undefined;
    case 'product':
      return typeof value === 'string' ? `de aanvraag gaat over het product ‘${value}’` : undefined;
    case 'unit':
      return typeof value === 'string' ? `de aanvraag is in de eenheid ‘${value}’` : undefined;
    case 'productUnit':
      return typeof value === 'string' ? `dit product wordt ingezet in de eenheid ‘${value}’` : undefined;
    case 'periodDays':
      return typeof value === 'number' ? `de gevraagde periode duurt ${count(value, 'dag', 'dagen')}` : undefined;
    case 'periodMonths':
      return typeof value === 'number'
        ? `de gevraagde periode duurt, in hele maanden vanaf de begindatum, ${count(value, 'maand', 'maanden')}`
        : undefined;
    case 'openEnded':
      return value === true ? 'de aanvraag heeft geen einddatum' : undefined;
    case 'productMaxIndicationMonths':
      return typeof value === 'number'
        ? `dit product kan voor hoogstens ${count(value, 'maand', 'maanden')} worden toegewezen`
        : undefined;
    case 'overlappingAllocations':
      return typeof value === 'number' && value > 0
        ? `uw kind heeft in dezelfde periode al ${count(value, 'andere toewijzing', 'andere toewijzingen')}`
        : undefined;
    case 'overlappingSameProduct':
      return typeof value === 'number' && value > 0
        ? `uw kind heeft in dezelfde periode al ${count(value, 'toewijzing', 'toewijzingen')} van dezelfde soort hulp`
        : undefined;
    case 'overlappingOtherProfile':
      return typeof value === 'number' && value > 0
        ? `uw kind heeft in dezelfde periode al ${count(value, 'toewijzing', 'toewijzingen')} voor een ander profiel`
        : undefined;
    case 'dyslexiaDataPresent':
      return value === false
        ? 'de aanvraag bevat nog geen uitslagen van lees- en spellingtoetsen en schooldossier'
        : undefined;
    case 'familyPlanPresent':
      return value === true ? 'er is een gezinsplan' : 'er is geen gezinsplan';
    case 'durableSupport':
      return value === true
        ? 'het gezinsplan legt duurzame ondersteuning vast'
        : 'het gezinsplan legt geen duurzame ondersteuning vast';
    case 'coordinatedWithLocalTeamOrGi':
      return value === true
        ? 'de hulp is afgestemd met het lokale team of de gecertificeerde instelling'
        : 'de hulp is niet afgestemd met het lokale team of de gecertificeerde instelling';
    case 'readingPercentile':
      return typeof value === 'number' ? `de leestoets gaf percentiel ${value}` : undefined;
    case 'spellingPercentile':
      return typeof value === 'number' ? `de spellingtoets gaf percentiel ${value}` : undefined;
    case 'comorbidity':
      return value === true
        ? 'een andere leer- of gedragsstoornis verklaart de problemen (mede)'
        : value === false
          ? 'geen andere stoornis verklaart de problemen'
          : undefined;
    case 'dossierMeasurements':
      return typeof value === 'number'
        ? `het schooldossier heeft ${count(value, 'meetmoment', 'meetmomenten')}`
        : undefined;
    case 'schoolSupport':
      return value === true
        ? 'de school heeft voldoende extra begeleiding gegeven'
        : value === false
          ? 'de school heeft nog niet voldoende extra begeleiding gegeven'
          : undefined;
    case 'tariffAvailable':
      return value === false ? 'voor deze hulp is nog geen prijs vastgesteld' : undefined;
    case 'admissionPurpose':
      return value === 'entry'
        ? 'de aanbieder wil toetreden'
        : value === 'renewal'
          ? 'het gaat om de jaarlijkse toets'
          : undefined;
    case 'entryMonthDay':
      return c.type === 'admission' ? `de gewenste ingangsdatum is ${formatDate(c.entryDate)}` : undefined;
    case 'registrations':
      return Array.isArray(value)
        ? value.length === 0
          ? 'de aanbieder heeft geen BIG- of SKJ-registratie'
          : `de aanbieder heeft de registratie ${listInWords(value.map(String))}`
        : undefined;
    case 'governanceCodeZorg':
      return value === true
        ? 'de aanbieder volgt de Governancecode Zorg'
        : value === false
          ? 'de aanbieder volgt de Governancecode Zorg niet'
          : undefined;
    case 'clientsLastYear':
      return typeof value === 'number'
        ? `de aanbieder had vorig jaar ${count(value, 'cliënt', 'cliënten')}`
        : undefined;
    case 'requestedProductGroup':
      return typeof value === 'string' ? `de aanmelding is voor de productgroep ‘${value}’` : undefined;
    case 'providerProductGroupCount':
      return typeof value === 'number'
        ? `de aanbieder is ingeschreven voor ${count(value, 'productgroep', 'productgroepen')}`
        : undefined;
    case 'providerLevelCount':
      return typeof value === 'number'
        ? `de aanbieder schrijft zich voor deze productgroep in op ${count(value, 'niveau', 'niveaus')}`
        : undefined;
    case 'addedValueStated':
      return value === true
        ? 'de aanbieder beschrijft wat hij toevoegt aan het aanbod dat er al is'
        : 'de aanbieder beschrijft niet wat hij toevoegt aan het aanbod dat er al is';
    default:
      return undefined;
  }
}

/** The case as a few Dutch sentences, for an auditor who signs off on a decision. */
export function describeCase(c: Case): string[] {
  const lines: string[] = [`Gemeente ${placeName(c.municipality)}, peildatum ${formatDate(c.referenceDate)}.`];
  if (c.type === 'admission') {
    lines.push(
      `${c.purpose === 'entry' ? 'Aanmelding' : 'Jaarlijkse toets'} van aanbieder ${c.provider.name} voor productgroep ${c.requestedProductGroup}, ingangsdatum ${formatDate(c.entryDate)}.`,
      `Registraties: ${c.provider.registrations.length === 0 ? 'geen' : c.provider.registrations.join(', ')}; Governancecode Zorg: ${c.provider.governanceCodeZorg ? 'ja' : 'nee'}; cliënten vorig jaar: ${c.provider.clientsLastYear}; productgroepen: ${c.provider.productGroups.join(', ') || 'geen'}.`,
    );
    return lines;
  }
  lines.push(
    `Jeugdige geboren op ${formatDate(c.youth.birthDate)}; verwezen door ${REFERRER_LABELS[c.referral.referrer] ?? c.referral.referrer}.`,
  );
  const r = c.request;
  const period = `van ${formatDate(r.startDate)}${r.endDate ? ` tot en met ${formatDate(r.endDate)}` : ' zonder einddatum'}`;
  if ('service' in r) lines.push(`Gevraagd: ${SERVICE_LABELS[r.service] ?? r.service}, ${period}.`);
  else if ('profile' in r)
    lines.push(
      `Gevraagd: profiel ${r.profile}, intensiteit ${r.intensity}${r.segment === 'top' ? `, topsegment${r.trajectoryCostCents !== undefined ? ` (trajectprijs ${formatEuros(r.trajectoryCostCents)})` : ''}` : ''}, ${period}.`,
    );
  else
    lines.push(
      `Gevraagd: ${r.product}${r.level ? ` (${r.level})` : ''}, ${r.units} ${r.unit} ${r.frequency && r.frequency !== 'totaal' ? r.frequency : 'in totaal'}, ${period}.`,
    );
  if (c.familyPlan)
    lines.push(
      `Gezinsplan: ${c.familyPlan.present ? 'aanwezig' : 'niet aanwezig'}${c.familyPlan.durableSupport ? ', duurzame ondersteuning' : ''}${c.familyPlan.coordinatedWith.length > 0 ? `, afgestemd met ${c.familyPlan.coordinatedWith.join(' en ')}` : ''}.`,
    );
  if (c.existingAllocations.length > 0)
    lines.push(
      `Bestaande toewijzingen: ${c.existingAllocations
        .map(
          (a) =>
            `${a.profile !== undefined ? `profiel ${a.profile}` : (a.product ?? 'onbekend')} van ${formatDate(a.startDate)}${a.endDate ? ` tot en met ${formatDate(a.endDate)}` : ''}`,
        )
        .join('; ')}.`,
    );
  if (c.dyslexia)
    lines.push(
      `Dyslexie: lezen percentiel ${c.dyslexia.readingPercentile}, spelling percentiel ${c.dyslexia.spellingPercentile}, andere stoornis ${c.dyslexia.comorbidity ? 'ja' : 'nee'}, ${c.dyslexia.schoolDossier.measurements} meetmomenten, schoolondersteuning ${c.dyslexia.schoolDossier.schoolSupport ? 'ja' : 'nee'}.`,
    );
  return lines;
}
