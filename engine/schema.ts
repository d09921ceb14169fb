/**
 * The one source of truth for every shape the platform exchanges: rule sets (regional and
 * municipal), rules and their conditions, parameters, cases and decisions. Types are inferred
 * from these schemas; the editor's JSON Schema (`engine/generated/ruleset.schema.json`) and, later,
 * the OpenAPI document are generated from them.
 *
 * Shapes that clients depend on (cases, decisions, reason codes, overlay parameters) follow
 * the project's contract (its example cases are in `test/fixtures/examples/`) and must not change.
 */
import { z } from 'zod';
import { nl } from 'zod/locales';
import { isValidIsoDate } from './dates.js';
import { OPERATORS } from './operators.js';

// Every message a check gives is Dutch: the schemas' own, and zod's defaults for the rest
// ("Ongeldige invoer: verwacht integer, ontving number"), for the editor, the API and the CLI alike.
z.config(nl());

// ---------------------------------------------------------------------------------------------
// Bounds: every text and every list has an upper bound that leaves ample room for real use (the
// largest rule set in rules/ has 18 rules, 16 parameters, 34 tariff entries and texts of about
// 1,000 characters) and bounds the work one request can cause. Each schema's description says
// its bound.
// ---------------------------------------------------------------------------------------------

export const LIMITS = {
  /** Identifiers: slugs, rule ids, reason codes, parameter names, names of a fact. */
  id: 100,
  /** Short texts: names, titles, labels, the document and section of a source. */
  label: 500,
  /** Messages, notes, change notes, a provider's added value. */
  message: 2000,
  /** Descriptions and explanations. */
  text: 10_000,
  /** Rules in a rule set, rule switches in an overlay. */
  rules: 500,
  /** Conditions in one all/any group (groups nest at most as deep as JSON may, 32 levels). */
  conditions: 50,
  /** Parameters of a rule set or an overlay, and the elements of a list parameter or literal. */
  parameters: 200,
  /** Change notes of a version. */
  changes: 100,
  /** Profiles and products of a catalogue. */
  catalogue: 100,
  /** Tariff entries of a tariff table. */
  tariffs: 1000,
  /** A case's existing allocations. */
  existingAllocations: 100,
  /** A provider's product groups. */
  productGroups: 100,
  /** Lists of a few fixed values (intensities, levels, registrations). */
  enumList: 10,
} as const;

/** The message of a text that exceeds its bound. */
const atMostChars = (n: number) => ({ message: `Gebruik hoogstens ${n} tekens.` });
/** The message of a list that exceeds its bound. */
const atMostItems = (n: number) => ({ message: `Geef hoogstens ${n} elementen.` });

/**
 * A record with at most `max` entries. Zod has no size check for records, so this is a
 * refinement (after the entries are parsed: the server refuses bodies with over-large objects
 * before validating, see `server/validate.ts`); `maxProperties` puts it in the JSON Schema.
 */
function boundedRecord<T extends z.ZodType<Record<string, unknown>>>(record: T, max: number, description: string) {
  return record
    .refine((r) => Object.keys(r).length <= max, { ...atMostItems(max), abort: true })
    .meta({ description: `${description} (hoogstens ${max})`, maxProperties: max });
}

// ---------------------------------------------------------------------------------------------
// Identifiers and primitives
// ---------------------------------------------------------------------------------------------

export const REGION_IDS = ['ijsselland', 'midden-ijssel-oost-veluwe'] as const;
export const RegionId = z.enum(REGION_IDS);
export type RegionId = z.infer<typeof RegionId>;

export const MUNICIPALITIES_BY_REGION = {
  ijsselland: [
    'dalfsen',
    'deventer',
    'hardenberg',
    'kampen',
    'olst-wijhe',
    'ommen',
    'raalte',
    'staphorst',
    'steenwijkerland',
    'zwartewaterland',
    'zwolle',
  ],
  'midden-ijssel-oost-veluwe': ['apeldoorn', 'brummen', 'epe', 'hattem', 'heerde', 'lochem', 'voorst', 'zutphen'],
} as const satisfies Record<RegionId, readonly string[]>;

export const MUNICIPALITY_IDS = [
  ...MUNICIPALITIES_BY_REGION.ijsselland,
  ...MUNICIPALITIES_BY_REGION['midden-ijssel-oost-veluwe'],
] as const;
export const MunicipalityId = z.enum(MUNICIPALITY_IDS);
export type MunicipalityId = z.infer<typeof MunicipalityId>;

/**
 * Every municipality's CBS gemeentecode (four digits; `GM` + code in CBS tables), from CBS
 * StatLine "Gebieden in Nederland" (a test holds the list). A case may name its municipality by
 * slug, by code (`0193`) or by CBS area code (`GM0193`); the schema turns either into the slug.
 */
export const MUNICIPALITY_CBS = {
  dalfsen: '0148',
  deventer: '0150',
  hardenberg: '0160',
  kampen: '0166',
  'olst-wijhe': '1773',
  ommen: '0175',
  raalte: '0177',
  staphorst: '0180',
  steenwijkerland: '1708',
  zwartewaterland: '1896',
  zwolle: '0193',
  apeldoorn: '0200',
  brummen: '0213',
  epe: '0232',
  hattem: '0244',
  heerde: '0246',
  lochem: '0262',
  voorst: '0285',
  zutphen: '0301',
} as const satisfies Record<MunicipalityId, string>;
export type CbsCode = (typeof MUNICIPALITY_CBS)[MunicipalityId];
export const CBS_CODES = Object.values(MUNICIPALITY_CBS) as CbsCode[];
export const CbsMunicipalityCode = z
  .enum(CBS_CODES as [CbsCode, ...CbsCode[]])
  .meta({ description: 'CBS gemeentecode (vier cijfers), zoals 0193 voor Zwolle' });

/** The slug of a municipality named by slug, CBS code (`0193`) or CBS area code (`GM0193`); undefined when none. */
export function municipalityOf(ref: string): MunicipalityId | undefined {
  if ((MUNICIPALITY_IDS as readonly string[]).includes(ref)) return ref as MunicipalityId;
  const code = ref.replace(/^GM/, '');
  return (Object.keys(MUNICIPALITY_CBS) as MunicipalityId[]).find((m) => MUNICIPALITY_CBS[m] === code);
}

/** A case's `municipality`: the slug, the CBS code or `GM` + code; the parsed case holds the slug. */
export const MunicipalityRef = z
  .enum([...MUNICIPALITY_IDS, ...CBS_CODES, ...CBS_CODES.map((c) => `GM${c}`)] as [string, ...string[]], {
    message: 'Onbekende gemeente: geef de naam (zwolle), de CBS-code (0193) of GM0193.',
  })
  .transform((ref) => municipalityOf(ref)!)
  .meta({ description: 'Gemeente: naam (zwolle), CBS-code (0193) of GM-code (GM0193)' });

export const IsoDate = z
  .string()
  .max(10, atMostChars(10))
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Gebruik een datum als 2026-01-01 (JJJJ-MM-DD).' })
  .refine(isValidIsoDate, { message: 'Deze datum bestaat niet.' })
  .meta({ description: 'ISO date YYYY-MM-DD (10 tekens)', examples: ['2026-01-01'] });

/** Money is always an integer number of euro cents. */
export const Cents = z.number().int().nonnegative().meta({ description: 'Bedrag in eurocenten' });

/**
 * Characters that change how text is shown rather than what it says: control characters (C0 and
 * C1, except tab and line breaks in texts), bidirectional overrides and isolates (U+202E shows
 * what follows reversed), zero-width characters and invisible separators. Refused in names, codes
 * and texts, so that what an auditor reads is what was written.
 */
const UNSAFE_CHARACTER =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u2069\uFEFF]/u;
const LINE_BREAK = /[\n\r\t]/u;

/** The first character `text` may not contain, as `U+XXXX`; undefined when there is none. */
export function unsafeCharacter(text: string, singleLine = false): string | undefined {
  const found = UNSAFE_CHARACTER.exec(text) ?? (singleLine ? LINE_BREAK.exec(text) : null);
  return found ? `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/**
 * True when no element occurs twice. Named (not an inline arrow) so that the generated case
 * validator can recognise this refinement and write it as JSON Schema's `uniqueItems`.
 */
export function isEachOnce(list: readonly unknown[]): boolean {
  return new Set(list).size === list.length;
}

const safe = (singleLine: boolean) =>
  z.string().superRefine((text, ctx) => {
    const character = unsafeCharacter(text, singleLine);
    if (character)
      ctx.addIssue({
        code: 'custom',
        message: `Bevat een onzichtbaar teken of stuurteken (${character}); typ de tekst zonder dit teken.`,
        input: text,
      });
  });
/**
 * Text for people (messages, explanations, notes): line breaks and tabs allowed, no control, bidi
 * or zero-width characters. A new schema per field, so the generated JSON Schemas stay as they were
 * (a shared instance would become a `$ref`); the refinement itself is not part of them.
 */
export const safeText = () => safe(false);
/** A name or title on one line: no line breaks either. */
export const safeName = () => safe(true);

export const Slug = z
  .string()
  .max(LIMITS.id, atMostChars(LIMITS.id))
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    message: 'Gebruik kleine letters, cijfers en koppeltekens, zoals begeleiding-individueel.',
  })
  .meta({ description: `Slug: kleine letters, cijfers en koppeltekens (hoogstens ${LIMITS.id} tekens)` });

export const REFERRERS = [
  'gemeentelijke-toegang',
  'huisarts',
  'gecertificeerde-instelling',
  'medisch-specialist',
  'jeugdarts',
] as const;
export const Referrer = z.enum(REFERRERS);

export const INTENSITIES = ['perspectief', 'intensief', 'duurzaam', 'crisis'] as const;
export const Intensity = z.enum(INTENSITIES);
export type Intensity = z.infer<typeof Intensity>;

/** Services a case may name that lie outside some region's procurement model (contract). */
export const SERVICES = ['jeugdbescherming', 'jeugdreclassering', 'vervoer', 'pgb', 'adhd-medicatiecontrole'] as const;
export const Service = z.enum(SERVICES);

/** iJw units (WJ756) and frequencies (WJ757). */
export const IJW_UNITS = ['minuut', 'uur', 'dagdeel', 'etmaal', 'stuks', 'euro'] as const;
export const IjwUnit = z.enum(IJW_UNITS);
export type IjwUnit = z.infer<typeof IjwUnit>;
export const FREQUENCIES = ['totaal', 'per-dag', 'per-week', 'per-maand'] as const;
export const Frequency = z.enum(FREQUENCIES);

/** iJw product categories (JZ020). */
export const IJW_PRODUCT_CATEGORIES = {
  '40': 'Persoonlijke verzorging',
  '41': 'Dagbehandeling',
  '42': 'Vervoerdiensten',
  '43': 'Verblijf incl. behandeling',
  '44': 'Verblijf excl. behandeling',
  '45': 'Ambulant',
  '46': 'Crisis',
  '47': 'Jeugdreclassering',
  '48': 'Jeugdbescherming',
  '49': 'Preventief justitieel kader',
  '50': 'Maatwerkarrangementen',
  '51': 'Generalistische basis-ggz',
  '52': 'Specialistische ggz',
  '53': 'Kindergeneeskunde',
  '54': 'Jeugd-ggz',
  '55': 'Landelijk ingekochte zorg',
} as const;
export const IjwProductCategory = z.enum(Object.keys(IJW_PRODUCT_CATEGORIES) as [keyof typeof IJW_PRODUCT_CATEGORIES]);

/**
 * iJw codes a case system copies into its messages (iStandaard Jeugd 3.2 code lists): WJ756
 * eenheid for each unit of a case (`stuks` is effort, 84; an output allocation is 82), WJ757
 * frequentie for each frequency, COD327 verwijzer for each referrer of the contract.
 */
export const WJ756_UNITS = {
  '01': 'Minuut',
  '04': 'Uur',
  '14': 'Etmaal',
  '16': 'Dagdeel (4 uur)',
  '82': 'Stuks (output)',
  '83': "Euro's",
  '84': 'Stuks (inspanning)',
} as const;
export type Wj756Code = keyof typeof WJ756_UNITS;
export const Wj756Code = z.enum(Object.keys(WJ756_UNITS) as [Wj756Code, ...Wj756Code[]]);
export const IJW_UNIT_CODES = {
  minuut: '01',
  uur: '04',
  etmaal: '14',
  dagdeel: '16',
  stuks: '84',
  euro: '83',
} as const satisfies Record<IjwUnit, Wj756Code>;

export const WJ757_FREQUENCIES = {
  '1': 'Per dag',
  '2': 'Per week',
  '4': 'Per maand',
  '6': 'Totaal binnen geldigheidsduur toewijzing',
} as const;
export type Wj757Code = keyof typeof WJ757_FREQUENCIES;
export const Wj757Code = z.enum(Object.keys(WJ757_FREQUENCIES) as [Wj757Code, ...Wj757Code[]]);
export const IJW_FREQUENCY_CODES = {
  'per-dag': '1',
  'per-week': '2',
  'per-maand': '4',
  totaal: '6',
} as const satisfies Record<(typeof FREQUENCIES)[number], Wj757Code>;

/** COD327 code verwijzer; 06 (zelfverwijzer) and 08 (rechter, OvJ) have no referrer in the contract. */
export const COD327_REFERRERS = {
  '01': 'Gemeente',
  '02': 'Huisarts',
  '03': 'Jeugdarts',
  '04': 'Gecertificeerde instelling',
  '05': 'Medisch specialist',
  '06': 'Zelfverwijzer/geen verwijzer',
  '08': 'Rechter, Officier van Justitie, functionaris Justitiële jeugdinrichting',
} as const;
export type Cod327Code = keyof typeof COD327_REFERRERS;
export const Cod327Code = z.enum(Object.keys(COD327_REFERRERS) as [Cod327Code, ...Cod327Code[]]);
export const REFERRER_COD327 = {
  'gemeentelijke-toegang': '01',
  huisarts: '02',
  jeugdarts: '03',
  'gecertificeerde-instelling': '04',
  'medisch-specialist': '05',
} as const satisfies Record<(typeof REFERRERS)[number], Cod327Code>;

/** WJ759 reden afwijzing verzoek. */
export const WJ759_REASONS = {
  '1': 'Geen wijziging, maar nieuwe aanvraag',
  '2': 'Past niet binnen budget',
  '3': 'Geen contract',
  '4': 'Past niet binnen contract',
  '5': 'Andere gemeente',
  '6': 'Stapeling',
  '7': 'Zorginhoudelijke afkeur',
  '8': 'Woonplaatsbeginsel',
  '9': 'Leeftijdsgrens is bereikt',
} as const;
export type Wj759Code = keyof typeof WJ759_REASONS;

/** A regional product code (iJw Productcode, five characters). */
export const IjwProductCode = z
  .string()
  .max(5, atMostChars(5))
  .regex(/^[0-9A-Za-z]{5}$/, {
    message: 'Een iJw-productcode heeft vijf letters of cijfers, zoals 45A01.',
  })
  .meta({ description: 'iJw-productcode van de regio (5 tekens)' });

/**
 * What a case system copies into a JW301 allocation: the product's iJw category (JZ020) and
 * regional code, and the allocation's size (omvang: volume, WJ756 unit, WJ757 frequency) and budget.
 */
export const IjwAllocation = z
  .object({
    productCategory: IjwProductCategory,
    /** null when the catalogue gives the entry no code. */
    productCode: IjwProductCode.nullable(),
    /** The code is an example no source gives: a region must replace it before using it. */
    productCodeIllustrative: z.boolean(),
    unit: Wj756Code,
    frequency: Wj757Code,
    volume: z.number(),
    budgetCents: z.number().int().nonnegative(),
  })
  .strict();
export type IjwAllocation = z.infer<typeof IjwAllocation>;

export const PRODUCT_LEVELS = ['basis', 'complex'] as const;
export const ProductLevel = z.enum(PRODUCT_LEVELS);

// ---------------------------------------------------------------------------------------------
// Sources: every rule, parameter and tariff says where it comes from
// ---------------------------------------------------------------------------------------------

/** A passage in one of the source documents (002, 003, 004), or another public standard. */
export const SourceRef = z
  .object({
    document: safeName()
      .min(1)
      .max(LIMITS.label, atMostChars(LIMITS.label))
      .meta({
        description: `Document, e.g. "002 Inkoopstrategie IJsselland (2017)" or "iJw 3.2" (hoogstens ${LIMITS.label} tekens)`,
      }),
    section: safeName()
      .min(1)
      .max(LIMITS.label, atMostChars(LIMITS.label))
      .meta({ description: `Section, e.g. "§3.4 Stapeling" (hoogstens ${LIMITS.label} tekens)` }),
    note: safeText()
      .max(LIMITS.message, atMostChars(LIMITS.message))
      .meta({ description: `Toelichting bij de bron (hoogstens ${LIMITS.message} tekens)` })
      .optional(),
  })
  .strict();

/** Values no source gives are illustrative defaults that policy staff must replace. */
export const Source = z.union([z.literal('illustratief'), SourceRef]);
export type Source = z.infer<typeof Source>;

/**
 * Marks a rule or a catalogue entry that no source gives, or only partly (a product the source
 * names, with a unit or maximum it does not give): decisions that rest on it list it under
 * `illustrative`. Why it is illustrative goes in the entry's `source.note` or `description`.
 */
const illustrativeMark = z
  .literal(true)
  .optional()
  .meta({ description: 'Illustratief: geen bron geeft deze waarde; beslissingen die erop rusten, melden dat' });

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

const MonthDay = z
  .string()
  .max(5, atMostChars(5))
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'Gebruik MM-DD, zoals 07-01.' })
  .meta({ description: 'Dag en maand MM-DD (5 tekens)' });

/**
 * Whether, and within which bounds, a municipality may override a parameter in its overlay
 * (003 §3.2 "Differentiatie per gemeente moet mogelijk zijn").
 */
export const OverridePolicy = z
  .object({
    allowed: z.boolean(),
    /** Numbers: inclusive bounds. */
    min: z.number().optional(),
    max: z.number().optional(),
    /** Lists: every element must come from this set. */
    allowedValues: z
      .array(
        z
          .string()
          .max(LIMITS.id, atMostChars(LIMITS.id))
          .meta({ description: `Hoogstens ${LIMITS.id} tekens` }),
      )
      .max(LIMITS.parameters, atMostItems(LIMITS.parameters))
      .meta({ description: `Toegestane waarden (hoogstens ${LIMITS.parameters})` })
      .optional(),
    /** Lists: the minimum number of elements (e.g. at least one entry moment a year, 003 §6). */
    minItems: z.number().int().nonnegative().optional(),
  })
  .strict();
export type OverridePolicy = z.infer<typeof OverridePolicy>;

const parameterBase = {
  label: safeName()
    .min(1)
    .max(LIMITS.label, atMostChars(LIMITS.label))
    .meta({ description: `Dutch label shown to policy staff (hoogstens ${LIMITS.label} tekens)` }),
  explanation: safeText()
    .min(1)
    .max(LIMITS.text, atMostChars(LIMITS.text))
    .meta({ description: `Dutch explanation: what it means, why (hoogstens ${LIMITS.text} tekens)` }),
  source: Source,
  municipalOverride: OverridePolicy.default({ allowed: false }),
};

export const PARAMETER_UNITS = [
  'jaar',
  'maanden',
  'dagen',
  'percentiel',
  'metingen',
  'cliënten',
  'procent',
  'eurocent',
  'productgroepen',
  'niveaus',
] as const;

export const Parameter = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('integer'), value: z.number().int(), unit: z.enum(PARAMETER_UNITS), ...parameterBase })
    .strict(),
  z
    .object({
      type: z.literal('cents'),
      value: Cents,
      unit: z.literal('eurocent').default('eurocent'),
      ...parameterBase,
    })
    .strict(),
  z
    .object({
      type: z.literal('percentage'),
      value: z.number().min(-100).max(100),
      unit: z.literal('procent').default('procent'),
      ...parameterBase,
    })
    .strict(),
  z
    .object({
      type: z.literal('month-days'),
      value: z
        .array(MonthDay)
        .max(LIMITS.parameters, atMostItems(LIMITS.parameters))
        .meta({ description: `Dagen van het jaar (hoogstens ${LIMITS.parameters})` }),
      ...parameterBase,
    })
    .strict(),
  z
    .object({
      type: z.literal('string-list'),
      value: z
        .array(
          z
            .string()
            .max(LIMITS.id, atMostChars(LIMITS.id))
            .meta({ description: `Hoogstens ${LIMITS.id} tekens` }),
        )
        .max(LIMITS.parameters, atMostItems(LIMITS.parameters))
        .meta({ description: `Lijst (hoogstens ${LIMITS.parameters} elementen)` }),
      ...parameterBase,
    })
    .strict(),
]);
export type Parameter = z.infer<typeof Parameter>;
export type ParameterValue = Parameter['value'];

/** Parameter names are dotted camelCase, e.g. `topSegment.reviewAboveCents`. */
export const ParameterName = z
  .string()
  .max(LIMITS.id, atMostChars(LIMITS.id))
  .regex(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/, {
    message: 'Een parameternaam is als dyslexia.minAge: woorden met punten ertussen.',
  })
  .meta({ description: `Parameternaam als dyslexia.minAge (hoogstens ${LIMITS.id} tekens)` });

// ---------------------------------------------------------------------------------------------
// Facts and conditions (json-rules-engine form)
// ---------------------------------------------------------------------------------------------

/**
 * The facts a rule may read. Each is derived from the case by `engine/facts.ts`, which documents
 * how; `null` means "not applicable to this case". Rules read thresholds through `param:` facts.
 */
export const FACTS = {
  caseType: 'Soort casus: allocation (toewijzing) of admission (toelating)',
  requestKind: 'Soort aanvraag: profile, product of service',
  service: 'Gevraagde dienst buiten het inkoopmodel (bijv. jeugdbescherming)',
  referrer: 'Verwijzer',
  profile: 'Gevraagd profiel (1–12)',
  intensity: 'Gevraagde intensiteit',
  allowedIntensities: 'Intensiteiten die het profiel volgens de catalogus toestaat',
  segment: 'Segment: midden of top',
  trajectoryCostCents: 'Afgesproken trajectprijs in het topsegment (eurocent)',
  product: 'Gevraagd product (MIJOV)',
  productLevel: 'Niveau van het product (basis / complex)',
  unit: 'Eenheid van de aanvraag (iJw)',
  productUnit: 'Eenheid van het product volgens de catalogus',
  periodDays: 'Lengte van de gevraagde periode in dagen, begin- en einddag meegeteld',
  periodMonths:
    'Lengte van de gevraagde periode in hele maanden vanaf de begindatum (31 januari t/m 28 februari is 1, een maand en een dag is 2)',
  openEnded: 'De gevraagde periode heeft geen einddatum',
  productMaxIndicationMonths: 'Maximale indicatieduur van het product in maanden',
  ageYears: 'Leeftijd in hele jaren op de peildatum (negatief vóór de geboorte)',
  monthsBeforeBirth: 'Aantal (aangebroken) maanden tussen peildatum en geboorte; 0 als het kind geboren is',
  overlappingAllocations: 'Aantal bestaande toewijzingen dat de gevraagde periode overlapt',
  overlappingSameProduct:
    'Aantal overlappende bestaande toewijzingen van hetzelfde product of profiel; crisis (profiel 11) telt niet mee en een crisisaanvraag heeft 0',
  overlappingOtherProfile:
    'IJsselland: aantal overlappende bestaande toewijzingen van een ander profiel; crisis (profiel 11) telt niet mee en een crisisaanvraag heeft 0',
  familyPlanPresent: 'Er is een gezinsplan',
  durableSupport: 'Het gezinsplan legt duurzame ondersteuning vast',
  coordinatedWithLocalTeamOrGi: 'Afgestemd met het lokale team en/of de GI',
  dyslexiaDataPresent: 'De aanvraag bevat dyslexiegegevens (lezen, spelling, schooldossier)',
  readingPercentile: 'Percentiel technisch lezen',
  spellingPercentile: 'Percentiel spelling',
  comorbidity: 'Andere stoornissen verklaren de leesproblemen',
  dossierMeasurements: 'Aantal meetmomenten in het schooldossier',
  schoolSupport: 'De school heeft voldoende ondersteuning geboden',
  tariffAvailable: 'Er is een tarief voor deze combinatie in de tarieftabel',
  admissionPurpose: 'Doel van de toelating: entry (toetreden) of renewal (jaarlijkse toets)',
  entryMonthDay: 'Dag en maand van de gewenste toetredingsdatum (MM-DD)',
  registrations: 'Registraties van de aanbieder (BIG, SKJ)',
  governanceCodeZorg: 'De aanbieder volgt de Governancecode Zorg',
  clientsLastYear: 'Aantal cliënten van de aanbieder vorig jaar',
  requestedProductGroup: 'Productgroep waarvoor de aanbieder zich aanmeldt',
  providerProductGroupCount: 'Aantal productgroepen waarvoor de aanbieder ingeschreven is of wil worden',
  providerLevelCount:
    'Aantal niveaus (basis / complex) van de gevraagde productgroep waarvoor de aanbieder zich inschrijft; null als de productgroep minder dan twee niveaus kent',
  addedValueStated: 'De aanbieder beschrijft wat hij toevoegt aan het bestaande aanbod (provider.addedValue)',
} as const;
export const FactName = z.enum(Object.keys(FACTS) as [keyof typeof FACTS]);
export type FactName = z.infer<typeof FactName>;

export const PARAM_FACT_PREFIX = 'param:';

/** Operators of json-rules-engine plus the two list operators the engine registers itself (see operators.ts). */
export { OPERATORS };
export const Operator = z.enum(OPERATORS);
export type Operator = z.infer<typeof Operator>;

/** A reference to a parameter (`param:crisis.maxDays`) or to another fact. */
export const FactReference = z
  .object({
    fact: z.union([
      FactName,
      z
        .string()
        .max(LIMITS.id, atMostChars(LIMITS.id))
        .regex(/^param:[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/, {
          message: 'Verwijs naar een parameter als param:crisis.maxDays.',
        })
        .meta({ description: `Een parameter als param:crisis.maxDays (hoogstens ${LIMITS.id} tekens)` }),
    ]),
  })
  .strict();

const LiteralText = z
  .string()
  .max(LIMITS.label, atMostChars(LIMITS.label))
  .meta({ description: `Hoogstens ${LIMITS.label} tekens` });
const Literal = z.union([
  LiteralText,
  z.number(),
  z.boolean(),
  z.null(),
  z
    .array(z.union([LiteralText, z.number()]))
    .max(LIMITS.parameters, atMostItems(LIMITS.parameters))
    .meta({ description: `Lijst (hoogstens ${LIMITS.parameters} elementen)` }),
]);

/** The conditions of one all/any group: at least one, at most `LIMITS.conditions`. */
const conditionGroup = (condition: z.ZodType<Condition>) =>
  z
    .array(condition)
    .min(1)
    .max(LIMITS.conditions, atMostItems(LIMITS.conditions))
    .meta({ description: `Voorwaarden (1 tot ${LIMITS.conditions})` });

export const LeafCondition = z
  .object({
    fact: FactName,
    operator: Operator,
    value: z.union([FactReference, Literal]),
  })
  .strict();
export type LeafCondition = z.infer<typeof LeafCondition>;

export type Condition = LeafCondition | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    LeafCondition,
    z.object({ all: conditionGroup(Condition) }).strict(),
    z.object({ any: conditionGroup(Condition) }).strict(),
    z.object({ not: Condition }).strict(),
  ]),
);

/** json-rules-engine requires the top level of a rule to be all / any / not. */
export const TopLevelCondition = z.union([
  z.object({ all: conditionGroup(Condition) }).strict(),
  z.object({ any: conditionGroup(Condition) }).strict(),
  z.object({ not: Condition }).strict(),
]);
export type TopLevelCondition = z.infer<typeof TopLevelCondition>;

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

export const RULE_KINDS = ['eligibility', 'referral', 'stacking', 'admission', 'tariff', 'signal'] as const;
export const RuleKind = z.enum(RULE_KINDS);
export const EFFECTS = ['reject', 'review', 'info'] as const;
export const Effect = z.enum(EFFECTS);
export type Effect = z.infer<typeof Effect>;

/** Reason codes every client can rely on (contract); rule sets may add their own. */
export const CONTRACT_REASON_CODES = [
  'OUT_OF_SCOPE',
  'REFERRER_NOT_ALLOWED',
  'AGE_OUT_OF_RANGE',
  'DYSLEXIA_NOT_SEVERE',
  'DYSLEXIA_NOT_SINGLE',
  'DYSLEXIA_DOSSIER_INCOMPLETE',
  'DYSLEXIA_DATA_MISSING',
  'INTENSITY_NOT_AVAILABLE',
  'STACKING_NOT_ALLOWED',
  'STACKING_REVIEW',
  'STACKING_DURABLE_EXCEPTION',
  'CRISIS_TOO_LONG',
  'HIGH_COST_REVIEW',
  'INDICATION_TOO_LONG',
  'REGISTRATION_MISSING',
  'GOVERNANCE_CODE_MISSING',
  'ENTRY_MOMENT_CLOSED',
  'PRODUCT_GROUP_CLOSED',
  'ADDED_VALUE_REVIEW',
  'TOO_FEW_CLIENTS',
] as const;
export const ReasonCode = z
  .string()
  .max(LIMITS.id, atMostChars(LIMITS.id))
  .regex(/^[A-Z][A-Z0-9_]+$/, {
    message: 'Een redencode is in hoofdletters met liggende streepjes, zoals CRISIS_TOO_LONG.',
  })
  .meta({ description: `Redencode als CRISIS_TOO_LONG (hoogstens ${LIMITS.id} tekens)` });

export const RuleId = z
  .string()
  .max(LIMITS.id, atMostChars(LIMITS.id))
  .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, {
    message: 'Een regel-id is als ijsselland.dyslexie.geen-huisarts.',
  })
  .meta({ description: `Regel-id als ijsselland.dyslexie.geen-huisarts (hoogstens ${LIMITS.id} tekens)` });

export const Rule = z
  .object({
    id: RuleId,
    kind: RuleKind,
    code: ReasonCode,
    effect: Effect,
    message: safeText()
      .min(1)
      .max(LIMITS.message, atMostChars(LIMITS.message))
      .meta({ description: `Dutch message a citizen can understand (hoogstens ${LIMITS.message} tekens)` }),
    source: SourceRef,
    description: safeText()
      .max(LIMITS.text, atMostChars(LIMITS.text))
      .meta({ description: `Dutch note for policy staff (hoogstens ${LIMITS.text} tekens)` })
      .optional(),
    /** Optional rules can be switched on or off per municipality where the region allows it. */
    optional: z
      .object({ municipalityMaySwitch: z.literal(true), enabledByDefault: z.boolean() })
      .strict()
      .optional(),
    illustrative: illustrativeMark,
    conditions: TopLevelCondition,
  })
  .strict();
export type Rule = z.infer<typeof Rule>;

// ---------------------------------------------------------------------------------------------
// Catalogue and tariffs
// ---------------------------------------------------------------------------------------------

/**
 * The components IJsselland buys from 2022 (004 "Onderdelen jeugdhulp": ambulante jeugdhulp,
 * wonen en verblijf, de crisisfunctie). The 2018 model has none.
 */
export const COMPONENTS = ['ambulant', 'wonen-verblijf', 'crisis'] as const;
export const Component = z.enum(COMPONENTS).meta({
  description: 'Onderdeel jeugdhulp (004): ambulant, wonen-verblijf of crisis',
});
export type Component = z.infer<typeof Component>;

export const Profile = z
  .object({
    number: z.number().int().min(1).max(12),
    title: safeName()
      .min(1)
      .max(LIMITS.label, atMostChars(LIMITS.label))
      .meta({ description: `Titel (hoogstens ${LIMITS.label} tekens)` }),
    whatIsNeeded: safeText()
      .min(1)
      .max(LIMITS.text, atMostChars(LIMITS.text))
      .meta({ description: `Wat is nodig? (hoogstens ${LIMITS.text} tekens)` }),
    whatIsGoingOn: safeText()
      .min(1)
      .max(LIMITS.text, atMostChars(LIMITS.text))
      .meta({ description: `Wat is er aan de hand? (hoogstens ${LIMITS.text} tekens)` }),
    whatWeWantToAchieve: safeText()
      .min(1)
      .max(LIMITS.text, atMostChars(LIMITS.text))
      .meta({ description: `Wat willen we bereiken? (hoogstens ${LIMITS.text} tekens)` }),
    intensities: z
      .array(Intensity)
      .min(1)
      .max(LIMITS.enumList, atMostItems(LIMITS.enumList))
      .meta({ description: `Intensiteiten (1 tot ${LIMITS.enumList})` }),
    ijwCategory: IjwProductCategory,
    /** The region's iJw product code for this entry (JW301 Product.Code), with where it comes from. */
    ijwProductCode: IjwProductCode.optional(),
    ijwProductCodeSource: Source.optional().meta({
      description: 'Bron van de productcode; "illustratief" als geen bron haar geeft',
    }),
    source: SourceRef,
    illustrative: illustrativeMark,
    /**
     * The component (004) a middle-segment allocation of this profile falls under, and the top
     * segment's when `topSegmentComponent` is absent. Either every profile of a rule set has one
     * or none has (IJsselland 2018 has none).
     */
    component: Component.optional(),
    /** The component of a top-segment allocation of this profile, when it differs. */
    topSegmentComponent: Component.optional().meta({
      description: 'Onderdeel van een toewijzing in het topsegment, als dat afwijkt van component',
    }),
    /**
     * Where the assignment of the profile to its component(s) comes from: a passage of 004, or
     * `"illustratief"` when no source assigns it (decisions that name the component list it as
     * `profiel-N.onderdeel`). Required with `component`, and only with it.
     */
    componentSource: Source.optional().meta({
      description: 'Bron van de indeling in een onderdeel; "illustratief" als geen bron haar geeft',
    }),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.component === undefined && p.topSegmentComponent !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['topSegmentComponent'],
        message: 'Geef eerst het onderdeel (component) van het profiel.',
      });
    if ((p.component === undefined) !== (p.componentSource === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [p.component === undefined ? 'componentSource' : 'component'],
        message: 'Een onderdeel (component) hoort bij een bron (componentSource), en een bron bij een onderdeel.',
      });
  });
export type Profile = z.infer<typeof Profile>;

/** Every profile of a catalogue has a component, or none has. */
const ProfileCatalogue = z
  .object({
    profiles: z
      .array(Profile)
      .min(1)
      .max(LIMITS.catalogue, atMostItems(LIMITS.catalogue))
      .meta({ description: `Profielen (1 tot ${LIMITS.catalogue})` }),
  })
  .strict()
  .superRefine(({ profiles }, ctx) => {
    const withComponent = profiles.filter((p) => p.component !== undefined).length;
    if (withComponent === 0 || withComponent === profiles.length) return;
    profiles.forEach((p, i) => {
      if (p.component === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['profiles', i, 'component'],
          message: `Andere profielen hebben een onderdeel (component); geef profiel ${p.number} er ook een.`,
        });
    });
  });

export const Product = z
  .object({
    slug: Slug,
    title: safeName()
      .min(1)
      .max(LIMITS.label, atMostChars(LIMITS.label))
      .meta({ description: `Titel (hoogstens ${LIMITS.label} tekens)` }),
    description: safeText()
      .max(LIMITS.text, atMostChars(LIMITS.text))
      .meta({ description: `Omschrijving (hoogstens ${LIMITS.text} tekens)` })
      .optional(),
    unit: IjwUnit,
    levels: z
      .array(ProductLevel)
      .max(LIMITS.enumList, atMostItems(LIMITS.enumList))
      .meta({ description: `Niveaus (hoogstens ${LIMITS.enumList})` }),
    maxIndicationMonths: z.number().int().positive(),
    ijwCategory: IjwProductCategory,
    /** The region's iJw product code for this entry (JW301 Product.Code), with where it comes from. */
    ijwProductCode: IjwProductCode.optional(),
    ijwProductCodeSource: Source.optional().meta({
      description: 'Bron van de productcode; "illustratief" als geen bron haar geeft',
    }),
    source: Source,
    illustrative: illustrativeMark,
  })
  .strict();
export type Product = z.infer<typeof Product>;

/**
 * An entry's own `source` overrides the table's: a table marked `"illustratief"` can hold an
 * amount a source does give, and the other way round. An entry is illustrative when the source
 * that applies to it is.
 */
const entrySource = Source.optional().meta({ description: 'Bron van dit bedrag; zonder: de bron van de tabel' });

export const OutputTariffs = z
  .object({
    model: z.literal('output'),
    source: Source,
    middleSegment: z
      .array(
        z
          .object({
            profile: z.number().int().min(1).max(12),
            intensity: Intensity,
            priceCents: Cents,
            source: entrySource,
          })
          .strict(),
      )
      .max(LIMITS.tariffs, atMostItems(LIMITS.tariffs))
      .meta({ description: `Tarieven (hoogstens ${LIMITS.tariffs})` }),
  })
  .strict();

export const EffortTariffs = z
  .object({
    model: z.literal('effort'),
    source: Source,
    products: z
      .array(
        z
          .object({
            product: Slug,
            level: ProductLevel.optional(),
            unit: IjwUnit,
            priceCents: Cents,
            source: entrySource,
          })
          .strict(),
      )
      .max(LIMITS.tariffs, atMostItems(LIMITS.tariffs))
      .meta({ description: `Tarieven (hoogstens ${LIMITS.tariffs})` }),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Rule sets: regional versions and municipal overlays
// ---------------------------------------------------------------------------------------------

const versionFields = {
  version: z.number().int().positive(),
  validFrom: IsoDate,
  /** What differs from the previous version, in Dutch, for advisors and auditors. */
  changes: z
    .array(
      safeText()
        .min(1)
        .max(LIMITS.message, atMostChars(LIMITS.message))
        .meta({ description: `Hoogstens ${LIMITS.message} tekens` }),
    )
    .max(LIMITS.changes, atMostItems(LIMITS.changes))
    .meta({ description: `Wat er verandert (hoogstens ${LIMITS.changes} notities)` })
    .default([]),
};

const regionBase = {
  kind: z.literal('region'),
  id: RegionId,
  name: safeName()
    .min(1)
    .max(LIMITS.label, atMostChars(LIMITS.label))
    .meta({ description: `Naam (hoogstens ${LIMITS.label} tekens)` }),
  region: RegionId,
  ...versionFields,
  description: safeText()
    .max(LIMITS.text, atMostChars(LIMITS.text))
    .meta({ description: `Omschrijving (hoogstens ${LIMITS.text} tekens)` })
    .optional(),
  parameters: boundedRecord(z.record(ParameterName, Parameter), LIMITS.parameters, 'Parameters'),
  rules: z
    .array(Rule)
    .max(LIMITS.rules, atMostItems(LIMITS.rules))
    .meta({ description: `Regels (hoogstens ${LIMITS.rules})` }),
};

export const OutputRegionRuleSet = z
  .object({
    ...regionBase,
    fundingModel: z.literal('output'),
    catalogue: ProfileCatalogue,
    tariffs: OutputTariffs,
  })
  .strict();

export const EffortRegionRuleSet = z
  .object({
    ...regionBase,
    fundingModel: z.literal('effort'),
    catalogue: z
      .object({
        products: z
          .array(Product)
          .min(1)
          .max(LIMITS.catalogue, atMostItems(LIMITS.catalogue))
          .meta({ description: `Producten (1 tot ${LIMITS.catalogue})` }),
      })
      .strict(),
    tariffs: EffortTariffs,
  })
  .strict();

export const RegionRuleSet = z.discriminatedUnion('fundingModel', [OutputRegionRuleSet, EffortRegionRuleSet]);
export type RegionRuleSet = z.infer<typeof RegionRuleSet>;
export type OutputRegionRuleSet = z.infer<typeof OutputRegionRuleSet>;
export type EffortRegionRuleSet = z.infer<typeof EffortRegionRuleSet>;

/** A municipality's overlay on its region: the contract's minimal form plus rule switches. */
export const MunicipalityOverlay = z
  .object({
    kind: z.literal('municipality'),
    id: MunicipalityId,
    name: safeName()
      .min(1)
      .max(LIMITS.label, atMostChars(LIMITS.label))
      .meta({ description: `Naam (hoogstens ${LIMITS.label} tekens)` })
      .optional(),
    region: RegionId,
    ...versionFields,
    // a value is checked against the region's parameter (and its bounds) when composing
    parameters: boundedRecord(
      z.record(ParameterName, z.unknown()),
      LIMITS.parameters,
      'Waarden van regionale parameters; elke waarde binnen de grenzen van de regionale parameter',
    ).default({}),
    /**
     * Where a value this overlay sets comes from: a municipal decision to cite, or
     * `"illustratief"` for an example no municipality decided. A parameter without an entry is
     * the municipality's own decision, cited in `changes`.
     */
    parameterSources: boundedRecord(
      z.record(ParameterName, Source),
      LIMITS.parameters,
      'Bronnen van de waarden',
    ).optional(),
    rules: boundedRecord(
      z.record(
        RuleId,
        z
          .object({
            enabled: z.boolean(),
            source: Source.optional().meta({ description: 'Bron van dit besluit; "illustratief" voor een voorbeeld' }),
          })
          .strict(),
      ),
      LIMITS.rules,
      'Regels aan of uit',
    ).default({}),
  })
  .strict();
export type MunicipalityOverlay = z.infer<typeof MunicipalityOverlay>;

export const RuleSetDocument = z.discriminatedUnion('kind', [
  z.discriminatedUnion('fundingModel', [OutputRegionRuleSet, EffortRegionRuleSet]),
  MunicipalityOverlay,
]);
export type RuleSetDocument = z.infer<typeof RuleSetDocument>;

/**
 * A draft: work in progress on the next version of a rule set. It needs no version number or
 * valid-from date: publishing gives it the next number and takes `validFrom` from the publish
 * request. Derived from the published shapes, so a draft differs from a version in those two
 * fields only; a file with them (an export, a file from `rules/`) is a draft as well.
 */
export const RuleSetDraft = z.discriminatedUnion('kind', [
  z.discriminatedUnion('fundingModel', [
    OutputRegionRuleSet.partial({ version: true, validFrom: true }),
    EffortRegionRuleSet.partial({ version: true, validFrom: true }),
  ]),
  MunicipalityOverlay.partial({ version: true, validFrom: true }),
]);
export type RuleSetDraft = z.infer<typeof RuleSetDraft>;

// ---------------------------------------------------------------------------------------------
// Cases (contract)
// ---------------------------------------------------------------------------------------------

const Period = { startDate: IsoDate, endDate: IsoDate.optional() };

export const ProfileRequest = z
  .object({
    profile: z.number().int().min(1).max(12),
    intensity: Intensity,
    segment: z.enum(['midden', 'top']).optional(),
    trajectoryCostCents: Cents.optional(),
    ...Period,
  })
  .strict();

export const ProductRequest = z
  .object({
    product: Slug,
    level: ProductLevel.optional(),
    units: z.number().positive().max(1_000_000),
    unit: IjwUnit,
    frequency: Frequency.optional(),
    startDate: IsoDate,
    endDate: IsoDate,
  })
  .strict();

export const ServiceRequest = z.object({ service: Service, ...Period }).strict();

export const ExistingAllocation = z
  .object({
    profile: z.number().int().min(1).max(12).optional(),
    product: Slug.optional(),
    intensity: Intensity.optional(),
    ...Period,
  })
  .strict();

export const AllocationCase = z
  .object({
    type: z.literal('allocation'),
    municipality: MunicipalityRef,
    referenceDate: IsoDate,
    youth: z.object({ birthDate: IsoDate }).strict(),
    referral: z.object({ referrer: Referrer }).strict(),
    request: z.union([ProfileRequest, ProductRequest, ServiceRequest]),
    familyPlan: z
      .object({
        present: z.boolean(),
        durableSupport: z.boolean().default(false),
        coordinatedWith: z
          .array(z.enum(['lokaal-team', 'gecertificeerde-instelling']))
          .max(LIMITS.enumList, atMostItems(LIMITS.enumList))
          .meta({ description: `Afgestemd met (hoogstens ${LIMITS.enumList})` })
          .default([]),
      })
      .strict()
      .optional(),
    existingAllocations: z
      .array(ExistingAllocation)
      .max(LIMITS.existingAllocations, atMostItems(LIMITS.existingAllocations))
      .meta({ description: `Bestaande toewijzingen (hoogstens ${LIMITS.existingAllocations})` })
      .default([]),
    dyslexia: z
      .object({
        readingPercentile: z.number().min(0).max(100),
        spellingPercentile: z.number().min(0).max(100),
        comorbidity: z.boolean(),
        schoolDossier: z.object({ measurements: z.number().int().nonnegative(), schoolSupport: z.boolean() }).strict(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type AllocationCase = z.infer<typeof AllocationCase>;

export const AdmissionCase = z
  .object({
    type: z.literal('admission'),
    purpose: z.enum(['entry', 'renewal']),
    municipality: MunicipalityRef,
    referenceDate: IsoDate,
    entryDate: IsoDate,
    provider: z
      .object({
        name: z
          .string()
          .min(1)
          .max(LIMITS.label, atMostChars(LIMITS.label))
          .meta({ description: `Naam van de aanbieder (hoogstens ${LIMITS.label} tekens)` }),
        registrations: z
          .array(z.enum(['BIG', 'SKJ']))
          .max(LIMITS.enumList, atMostItems(LIMITS.enumList))
          .meta({ description: `Registraties (hoogstens ${LIMITS.enumList})` }),
        governanceCodeZorg: z.boolean(),
        clientsLastYear: z.number().int().nonnegative(),
        productGroups: z
          .array(Slug)
          .max(LIMITS.productGroups, atMostItems(LIMITS.productGroups))
          .meta({ description: `Productgroepen (hoogstens ${LIMITS.productGroups})` }),
        /** For a closed product group: what the provider adds to the existing offer (003 §6). */
        addedValue: z
          .string()
          .max(LIMITS.message, {
            message: `Beschrijf de toegevoegde waarde in hoogstens ${LIMITS.message} tekens.`,
          })
          .meta({ description: `Toegevoegde waarde (hoogstens ${LIMITS.message} tekens)` })
          .optional(),
        /**
         * The levels of the requested product group the provider registers for (003 §6: "niet
         * alleen voor begeleiding complex ..., maar ook begeleiding basis"). Optional: without it
         * the provider states no level.
         */
        levels: z
          .array(ProductLevel)
          .max(LIMITS.enumList, atMostItems(LIMITS.enumList))
          .meta({ description: `Niveaus (hoogstens ${LIMITS.enumList}, elk één keer)` })
          .refine(isEachOnce, { message: 'Noem elk niveau één keer.' })
          .optional(),
      })
      .strict(),
    requestedProductGroup: Slug,
  })
  .strict();
export type AdmissionCase = z.infer<typeof AdmissionCase>;

export const Case = z.discriminatedUnion('type', [AllocationCase, AdmissionCase]);
export type Case = z.infer<typeof Case>;

// ---------------------------------------------------------------------------------------------
// Decisions (contract)
// ---------------------------------------------------------------------------------------------

export const Reason = z
  .object({
    code: ReasonCode,
    ruleId: RuleId,
    kind: RuleKind,
    effect: Effect,
    message: z.string(),
    source: SourceRef,
  })
  .strict();
export type Reason = z.infer<typeof Reason>;

export const Tariff = z.discriminatedUnion('model', [
  z
    .object({
      model: z.literal('output'),
      segment: z.enum(['midden', 'top']),
      totalCents: Cents,
      advanceCents: Cents,
      remainderCents: Cents,
      advancePercentage: z.number(),
      /** IJsselland from 2022: the component (004) the profile's allocation falls under. */
      component: Component.optional(),
      /** The allocation in iJw codes (JW301): output, so 1 × 82 (stuks output), 6 (totaal). */
      ijw: IjwAllocation.optional(),
    })
    .strict(),
  z
    .object({
      model: z.literal('effort'),
      unitPriceCents: Cents,
      units: z.number(),
      unit: IjwUnit,
      totalCents: Cents,
      differentiationPercentage: z.number(),
      /** The allocation in iJw codes (JW301): the request's volume, unit and frequency. */
      ijw: IjwAllocation.optional(),
    })
    .strict(),
]);
export type Tariff = z.infer<typeof Tariff>;

export const RuleSetRef = z
  .object({ id: z.string(), version: z.number().int(), contentHash: z.string().regex(/^sha256:[0-9a-f]{64}$/) })
  .strict();
export type RuleSetRef = z.infer<typeof RuleSetRef>;

/** One condition as evaluated: the fact value it saw, the value it compared with, its result. */
export type ConditionTrace =
  | {
      fact: string;
      operator: string;
      value: unknown;
      factValue: unknown;
      comparedWith: unknown;
      result: boolean;
    }
  | { all: ConditionTrace[]; result: boolean }
  | { any: ConditionTrace[]; result: boolean }
  | { not: ConditionTrace; result: boolean };

/** Any JSON value: what a trace records of the facts and values a condition compared. */
export const JsonValue = z.json();

export const ConditionTrace: z.ZodType<ConditionTrace> = z.lazy(() =>
  z.union([
    z
      .object({
        fact: z.string(),
        operator: z.string(),
        value: JsonValue,
        factValue: JsonValue,
        comparedWith: JsonValue,
        result: z.boolean(),
      })
      .strict(),
    z.object({ all: z.array(ConditionTrace), result: z.boolean() }).strict(),
    z.object({ any: z.array(ConditionTrace), result: z.boolean() }).strict(),
    z.object({ not: ConditionTrace, result: z.boolean() }).strict(),
  ]),
);

export const RuleTrace = z
  .object({
    ruleId: RuleId,
    code: ReasonCode,
    effect: Effect,
    enabled: z.boolean(),
    fired: z.boolean(),
    conditions: ConditionTrace.nullable(),
  })
  .strict();
export type RuleTrace = z.infer<typeof RuleTrace>;

/** The engine that decided, so that a replay can tell a change of rules from a change of engine. */
export const EngineRef = z.object({ version: z.string().min(1) }).strict();
export type EngineRef = z.infer<typeof EngineRef>;

export const ILLUSTRATIVE_KINDS = ['parameter', 'tariff', 'catalogue', 'rule'] as const;

/**
 * A value marked illustrative that the decision rests on. `id`: the parameter's name, the rule's
 * id, the catalogue entry (`begeleiding-individueel`, `profiel-2`), a profile's assignment to a
 * component (`profiel-2.onderdeel`) or the tariff entry
 * (`profiel-2.perspectief`, `begeleiding-individueel.basis`, a product without levels by its slug).
 */
export const IllustrativeRef = z
  .object({ ruleSet: z.string(), kind: z.enum(ILLUSTRATIVE_KINDS), id: z.string() })
  .strict();
export type IllustrativeRef = z.infer<typeof IllustrativeRef>;

export const OUTCOMES = ['granted', 'rejected', 'review'] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

export const Decision = z
  .object({
    outcome: Outcome,
    reasons: z.array(Reason),
    tariff: Tariff.nullable(),
    /** The CBS code of the case's municipality. */
    municipalityCode: CbsMunicipalityCode,
    ruleSets: z.array(RuleSetRef),
    engine: EngineRef,
    /** Every illustrative value a fired rule or the tariff used, sorted; empty when none. */
    illustrative: z.array(IllustrativeRef),
    trace: z.array(RuleTrace),
  })
  .strict();
export type Decision = z.infer<typeof Decision>;

/**
 * A decision as the log may hold it: entries written before decisions recorded their engine
 * and illustrative values lack those fields, and must still read and replay.
 */
export const DecisionInLog = Decision.extend({
  engine: EngineRef.optional(),
  illustrative: z.array(IllustrativeRef).optional(),
  municipalityCode: CbsMunicipalityCode.optional(),
});
export type DecisionInLog = z.infer<typeof DecisionInLog>;

/**
 * The mark on a logged decision (and its replay) whose trace could not be rebuilt:
 * `traceReproducible` is present (false) only when the entry keeps no trace and the engine
 * version deciding now decides otherwise than the one that made it. The decision is the stored
 * one; its trace is empty rather than one it was not made by.
 */
export const TraceMark = z.object({ traceReproducible: z.literal(false).optional() });
export type TraceMark = z.infer<typeof TraceMark>;

// ---------------------------------------------------------------------------------------------
// Test cases: a case with the outcome and reason codes it should give
// ---------------------------------------------------------------------------------------------

/** What a test case expects: the outcome and exactly these reason codes (in any order). */
export const TestExpectation = z
  .object({
    outcome: Outcome,
    codes: z
      .array(ReasonCode)
      .max(50)
      .refine((c) => new Set(c).size === c.length, { message: 'Noem elke redencode één keer.' }),
  })
  .strict();
export type TestExpectation = z.infer<typeof TestExpectation>;

/**
 * A test case of a rule set, as the repository ships it (`rules/<region>/tests.json`) and the API
 * saves it: a name, the case, and what it must decide. The case is decided on its own
 * `referenceDate`.
 */
export const TestCaseDefinition = z
  .object({
    name: z.string().min(1).max(200),
    case: Case,
    expected: TestExpectation,
  })
  .strict();
export type TestCaseDefinition = z.infer<typeof TestCaseDefinition>;

/** The file of test cases a region ships with its rule sets: `rules/<region>/tests.json`. */
export const TestSuiteFile = z
  .object({
    ruleSet: RegionId,
    description: z.string().optional(),
    testCases: z
      .array(TestCaseDefinition)
      .min(1)
      .refine((t) => new Set(t.map((x) => x.name)).size === t.length, {
        message: 'Geef elk testgeval een eigen naam.',
      }),
  })
  .strict();
export type TestSuiteFile = z.infer<typeof TestSuiteFile>;
