/**
 * The iStandaard Jeugd (iJw 3.2) messages a case system exchanges with providers, in their JSON
 * form: a JW315 request for an allocation ("verzoek om toewijzing") read as a case, and a decision
 * answered as a JW301-shaped allocation ("toewijzing") or a refusal with its WJ759 reason. The
 * fields iJw does not carry (profile and intensity, dyslexia dossier, family plan, existing
 * allocations, the MIJOV level) travel next to the message in `aanvullend`. Every mapped field is
 * in the README's table; a test takes each example case to a message and back.
 *
 * No national identification number is needed: a message may carry `client.bsn`, which the case
 * built from it does not hold, so it is never decided on nor logged.
 */
import { z } from 'zod';
import type { EffectiveRuleSet, RuleSetRepository } from './compose.js';
import { issuesFromZod, type Issue } from './errors.js';
import {
  AllocationCase,
  CbsMunicipalityCode,
  Cod327Code,
  type Decision,
  IJW_FREQUENCY_CODES,
  IJW_UNIT_CODES,
  IjwProductCategory,
  IjwProductCode,
  IsoDate,
  MUNICIPALITY_CBS,
  municipalityOf,
  ProductRequest,
  ProfileRequest,
  REFERRER_COD327,
  Service,
  Wj756Code,
  Wj757Code,
  type Wj759Code,
  type IjwUnit,
} from './schema.js';

/** The JSON form of a JW315 request, with the fields iJw does not carry under `aanvullend`. */
export const Jw315Request = z
  .object({
    header: z
      .object({
        /** Header.Ontvanger: the municipality's CBS code. */
        ontvanger: CbsMunicipalityCode,
        /** Header.Afzender: the provider's AGB code; not used in the decision. */
        afzender: z.string().max(8).optional(),
        identificatieBericht: z.string().max(12).optional(),
        /** Header.DagtekeningBericht: the day the request was made, the case's reference date. */
        dagtekeningBericht: IsoDate.optional(),
      })
      .strict(),
    client: z
      .object({
        /** Accepted and dropped: the case (and so the log) never holds it. */
        bsn: z
          .string()
          .regex(/^\d{9}$/, { message: 'Een BSN heeft negen cijfers.' })
          .optional(),
        geboortedatum: IsoDate,
      })
      .strict(),
    aangevraagdProduct: z
      .object({
        referentieAanbieder: z.string().max(36).optional(),
        product: z.object({ categorie: IjwProductCategory, code: IjwProductCode.optional() }).strict(),
        toewijzingIngangsdatum: IsoDate,
        toewijzingEinddatum: IsoDate.optional(),
        omvang: z
          .object({ volume: z.number().positive().max(1_000_000), eenheid: Wj756Code, frequentie: Wj757Code })
          .strict()
          .optional(),
        verwijzer: z
          .object({
            type: Cod327Code,
            naam: z.string().max(64).optional(),
            zorgverlenerCode: z.string().max(8).optional(),
          })
          .strict(),
      })
      .strict(),
    aanvullend: z
      .object({
        profile: ProfileRequest.shape.profile.optional(),
        intensity: ProfileRequest.shape.intensity.optional(),
        segment: ProfileRequest.shape.segment,
        trajectoryCostCents: ProfileRequest.shape.trajectoryCostCents,
        product: ProductRequest.shape.product.optional(),
        level: ProductRequest.shape.level,
        service: Service.optional(),
        familyPlan: AllocationCase.shape.familyPlan,
        existingAllocations: AllocationCase.shape.existingAllocations.optional(),
        dyslexia: AllocationCase.shape.dyslexia,
      })
      .strict()
      .default({}),
  })
  .strict();
export type Jw315Request = z.infer<typeof Jw315Request>;
type Jw315Input = z.input<typeof Jw315Request>;

/** iJw product categories (JZ020) of the services a case may name outside a procurement model. */
export const SERVICE_CATEGORIES = {
  jeugdreclassering: '47',
  jeugdbescherming: '48',
  vervoer: '42',
} as const satisfies Partial<Record<z.infer<typeof Service>, z.infer<typeof IjwProductCategory>>>;

/**
 * The WJ759 reason (reden afwijzing verzoek) for a refusing reason code, where one fits. The
 * project's reading of the code list; codes without an entry are refused without a WJ759 reason.
 */
export const WJ759_OF_REASON: Readonly<Record<string, Wj759Code>> = {
  STACKING_NOT_ALLOWED: '6', // Stapeling (OP259: same product, client and provider, overlapping)
  AGE_OUT_OF_RANGE: '9', // Leeftijdsgrens is bereikt
  OUT_OF_SCOPE: '3', // Geen contract: the service is not bought in this procurement model
  INTENSITY_NOT_AVAILABLE: '4', // Past niet binnen contract
  INDICATION_TOO_LONG: '4', // Past niet binnen contract
  DYSLEXIA_NOT_SEVERE: '7', // Zorginhoudelijke afkeur
  DYSLEXIA_NOT_SINGLE: '7', // Zorginhoudelijke afkeur
};

const UNIT_OF_CODE: Partial<Record<z.infer<typeof Wj756Code>, IjwUnit>> = {
  '01': 'minuut',
  '04': 'uur',
  '14': 'etmaal',
  '16': 'dagdeel',
  '83': 'euro',
  '84': 'stuks',
};
const FREQUENCY_OF_CODE = Object.fromEntries(
  Object.entries(IJW_FREQUENCY_CODES).map(([frequency, code]) => [code, frequency]),
) as Record<z.infer<typeof Wj757Code>, keyof typeof IJW_FREQUENCY_CODES>;
const REFERRER_OF_CODE = Object.fromEntries(
  Object.entries(REFERRER_COD327).map(([referrer, code]) => [code, referrer]),
) as Partial<Record<z.infer<typeof Cod327Code>, keyof typeof REFERRER_COD327>>;

export type Jw315Result = { ok: true; case: unknown; message: Jw315Request } | { ok: false; issues: Issue[] };

/**
 * Reads a JW315 request as a case (its JSON, to be validated and decided as any case). Codes are
 * checked against their code lists and against the catalogue in force on the reference date;
 * every issue names the message's field.
 */
export function jw315ToCase(input: unknown, repository: RuleSetRepository): Jw315Result {
  const parsed = Jw315Request.safeParse(input);
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error) };
  const m = parsed.data;
  const p = m.aangevraagdProduct;
  const a = m.aanvullend;
  const issues: Issue[] = [];
  const add = (path: string, message: string, code = 'invalid_value') => issues.push({ path, message, code });

  const municipality = municipalityOf(m.header.ontvanger)!;
  const referenceDate = m.header.dagtekeningBericht ?? p.toewijzingIngangsdatum;
  const referrer = REFERRER_OF_CODE[p.verwijzer.type];
  if (!referrer)
    add(
      '$.aangevraagdProduct.verwijzer.type',
      `Verwijzer ${p.verwijzer.type} (COD327) is geen verwijzer die de regio kent: 01 gemeente, 02 huisarts, 03 jeugdarts, 04 gecertificeerde instelling of 05 medisch specialist.`,
      'UNKNOWN_REFERRER',
    );
  const effective = repository.effectiveOn(municipality, referenceDate);
  if (!effective) {
    add(
      '$.header.dagtekeningBericht',
      `Op ${referenceDate} gold nog geen regelset voor deze gemeente.`,
      'NO_RULE_SET_IN_FORCE',
    );
    return { ok: false, issues };
  }
  const request = requestOf(m, effective, add);
  if (issues.length > 0 || !request) return { ok: false, issues };
  const c = {
    type: 'allocation',
    municipality,
    referenceDate,
    youth: { birthDate: m.client.geboortedatum },
    referral: { referrer },
    request,
    ...(a.familyPlan === undefined ? {} : { familyPlan: a.familyPlan }),
    ...(a.existingAllocations === undefined ? {} : { existingAllocations: a.existingAllocations }),
    ...(a.dyslexia === undefined ? {} : { dyslexia: a.dyslexia }),
  };
  return { ok: true, case: c, message: m };
}

function requestOf(
  m: Jw315Request,
  effective: EffectiveRuleSet,
  add: (path: string, message: string, code?: string) => void,
): Record<string, unknown> | undefined {
  const p = m.aangevraagdProduct;
  const a = m.aanvullend;
  const { catalogue, name } = effective.region.document;
  const category = p.product.categorie;
  const period = {
    startDate: p.toewijzingIngangsdatum,
    ...(p.toewijzingEinddatum === undefined ? {} : { endDate: p.toewijzingEinddatum }),
  };
  const wrongCategory = (expected: string, what: string) =>
    add(
      '$.aangevraagdProduct.product.categorie',
      `${what} valt in productcategorie ${expected}, niet ${category}.`,
      'PRODUCT_CATEGORY_MISMATCH',
    );
  /**
   * The catalogue entry with the requested iJw product code: undefined when the request names no
   * code, null (and an issue) when no entry has it.
   */
  const withCode = <T extends { ijwProductCode?: string | undefined }>(entries: readonly T[]): T | undefined | null => {
    if (p.product.code === undefined) return undefined;
    const found = entries.find((x) => x.ijwProductCode === p.product.code);
    if (!found)
      add(
        '$.aangevraagdProduct.product.code',
        `Productcode ${p.product.code} staat niet in de catalogus van ${name}.`,
        'UNKNOWN_PRODUCT',
      );
    return found ?? null;
  };

  if (a.service !== undefined) {
    const expected = (SERVICE_CATEGORIES as Record<string, string>)[a.service];
    if (expected !== undefined && expected !== category) wrongCategory(expected, a.service);
    return { service: a.service, ...period };
  }

  if ('profiles' in catalogue) {
    const byCode = withCode(catalogue.profiles);
    if (byCode === null) return undefined;
    const number = a.profile ?? byCode?.number;
    if (number === undefined) {
      add(
        '$.aanvullend.profile',
        `Geef het profiel (aanvullend.profile) of een productcode van ${name}.`,
        'invalid_type',
      );
      return undefined;
    }
    if (byCode && byCode.number !== number)
      add('$.aanvullend.profile', `Productcode ${p.product.code} is profiel ${byCode.number}, niet ${number}.`);
    const profile = catalogue.profiles.find((x) => x.number === number);
    if (profile && profile.ijwCategory !== category) wrongCategory(profile.ijwCategory, `Profiel ${number}`);
    if (p.omvang && (p.omvang.eenheid !== '82' || p.omvang.frequentie !== '6' || p.omvang.volume !== 1))
      add('$.aangevraagdProduct.omvang', `${name} wijst per traject toe: omvang 1 × 82 (stuks output), frequentie 6.`);
    if (a.intensity === undefined) {
      add('$.aanvullend.intensity', 'Geef de intensiteit (aanvullend.intensity): iJw kent haar niet.', 'invalid_type');
      return undefined;
    }
    return {
      profile: number,
      intensity: a.intensity,
      ...(a.segment === undefined ? {} : { segment: a.segment }),
      ...(a.trajectoryCostCents === undefined ? {} : { trajectoryCostCents: a.trajectoryCostCents }),
      ...period,
    };
  }

  const byCode = withCode(catalogue.products);
  if (byCode === null) return undefined;
  const slug = a.product ?? byCode?.slug;
  if (slug === undefined) {
    add(
      '$.aangevraagdProduct.product.code',
      `Geef de productcode van ${name} (of aanvullend.product).`,
      'invalid_type',
    );
    return undefined;
  }
  if (byCode && byCode.slug !== slug)
    add('$.aanvullend.product', `Productcode ${p.product.code} is ${byCode.slug}, niet ${slug}.`);
  const product = catalogue.products.find((x) => x.slug === slug);
  if (product && product.ijwCategory !== category) wrongCategory(product.ijwCategory, product.title);
  if (!p.omvang) {
    add('$.aangevraagdProduct.omvang', 'Geef de omvang (volume, eenheid, frequentie) van het product.', 'invalid_type');
    return undefined;
  }
  const unit = UNIT_OF_CODE[p.omvang.eenheid];
  if (!unit) {
    add(
      '$.aangevraagdProduct.omvang.eenheid',
      `Eenheid ${p.omvang.eenheid} (stuks output) hoort bij outputbekostiging; ${name} bekostigt inspanning.`,
    );
    return undefined;
  }
  if (p.toewijzingEinddatum === undefined) {
    add(
      '$.aangevraagdProduct.toewijzingEinddatum',
      'Een product wordt voor een periode toegewezen: geef de einddatum.',
      'invalid_type',
    );
    return undefined;
  }
  const frequency = FREQUENCY_OF_CODE[p.omvang.frequentie];
  return {
    product: slug,
    ...(a.level === undefined ? {} : { level: a.level }),
    units: p.omvang.volume,
    unit,
    ...(frequency === 'totaal' ? {} : { frequency }),
    startDate: p.toewijzingIngangsdatum,
    endDate: p.toewijzingEinddatum,
  };
}

/**
 * A valid allocation case as a JW315 request, the other way round (for tests and for case systems
 * that want to see the message their case would be). Throws for a case iJw cannot carry: an
 * admission, or a service without a product category (pgb, ADHD medication check).
 */
export function caseToJw315(c: AllocationCase, effective: EffectiveRuleSet): Jw315Input {
  const { request } = c;
  const { catalogue } = effective.region.document;
  const referrerCode = REFERRER_COD327[c.referral.referrer];
  let product: { categorie: z.infer<typeof IjwProductCategory>; code?: string };
  let omvang: { volume: number; eenheid: z.infer<typeof Wj756Code>; frequentie: z.infer<typeof Wj757Code> } | undefined;
  const aanvullend: Record<string, unknown> = {};
  if ('service' in request) {
    const categorie = (SERVICE_CATEGORIES as Record<string, z.infer<typeof IjwProductCategory> | undefined>)[
      request.service
    ];
    if (!categorie) throw new Error(`${request.service} heeft geen iJw-productcategorie.`);
    product = { categorie };
    aanvullend.service = request.service;
  } else if ('profile' in request) {
    const profile = 'profiles' in catalogue ? catalogue.profiles.find((p) => p.number === request.profile) : undefined;
    if (!profile) throw new Error(`Profiel ${request.profile} staat niet in de catalogus.`);
    product = { categorie: profile.ijwCategory, ...(profile.ijwProductCode ? { code: profile.ijwProductCode } : {}) };
    omvang = { volume: 1, eenheid: '82', frequentie: '6' };
    Object.assign(aanvullend, {
      ...(profile.ijwProductCode ? {} : { profile: request.profile }),
      intensity: request.intensity,
      ...(request.segment === undefined ? {} : { segment: request.segment }),
      ...(request.trajectoryCostCents === undefined ? {} : { trajectoryCostCents: request.trajectoryCostCents }),
    });
  } else {
    const entry = 'products' in catalogue ? catalogue.products.find((p) => p.slug === request.product) : undefined;
    if (!entry) throw new Error(`Product ${request.product} staat niet in de catalogus.`);
    product = { categorie: entry.ijwCategory, ...(entry.ijwProductCode ? { code: entry.ijwProductCode } : {}) };
    omvang = {
      volume: request.units,
      eenheid: IJW_UNIT_CODES[request.unit],
      frequentie: IJW_FREQUENCY_CODES[request.frequency ?? 'totaal'],
    };
    if (!entry.ijwProductCode) aanvullend.product = request.product;
    if (request.level !== undefined) aanvullend.level = request.level;
  }
  if (c.familyPlan !== undefined) aanvullend.familyPlan = c.familyPlan;
  if (c.existingAllocations.length > 0) aanvullend.existingAllocations = c.existingAllocations;
  if (c.dyslexia !== undefined) aanvullend.dyslexia = c.dyslexia;
  return {
    header: { ontvanger: MUNICIPALITY_CBS[c.municipality], dagtekeningBericht: c.referenceDate },
    client: { geboortedatum: c.youth.birthDate },
    aangevraagdProduct: {
      product: product as Jw315Input['aangevraagdProduct']['product'],
      toewijzingIngangsdatum: request.startDate,
      ...(request.endDate === undefined ? {} : { toewijzingEinddatum: request.endDate }),
      ...(omvang ? { omvang } : {}),
      verwijzer: { type: referrerCode },
    },
    aanvullend: aanvullend as Jw315Input['aanvullend'],
  };
}

/** A JW301-shaped allocation: what a case system sends the provider for a granted request. */
export const Jw301Allocation = z
  .object({
    /** The decision's id in the log (ToewijzingNummer), null on a dry run. */
    toewijzingNummer: z.string().nullable(),
    gemeente: CbsMunicipalityCode,
    referentieAanbieder: z.string().optional(),
    product: z.object({ categorie: IjwProductCategory, code: IjwProductCode.nullable() }).strict(),
    productcodeIllustratief: z.boolean(),
    toewijzingIngangsdatum: IsoDate,
    toewijzingEinddatum: IsoDate.optional(),
    omvang: z.object({ volume: z.number(), eenheid: Wj756Code, frequentie: Wj757Code }).strict(),
    /** Budget in euro cents (IV042): the tariff's total. */
    budget: z.number().int().nonnegative(),
  })
  .strict();

/** The answer to a JW315: the allocation when granted, else the WJ760 answer and WJ759 reason. */
export const Jw315Answer = z
  .object({
    /** WJ760: 1 verzoek afgewezen (rejected), 2 aanvraag in onderzoek (review); null when granted. */
    verzoekAntwoord: z.enum(['1', '2']).nullable(),
    /** WJ759 reason of a refusal, where one fits the refusing reason; null otherwise. */
    redenAfwijzing: z.enum(['1', '2', '3', '4', '5', '6', '7', '8', '9']).nullable(),
    toewijzing: Jw301Allocation.nullable(),
  })
  .strict();
export type Jw315Answer = z.infer<typeof Jw315Answer>;

/** The iJw answer to a request, from its decision. */
export function jw315Answer(message: Jw315Request, decision: Decision, id: string | null): Jw315Answer {
  if (decision.outcome === 'rejected') {
    const reason = decision.reasons.find((r) => r.effect === 'reject' && WJ759_OF_REASON[r.code] !== undefined);
    return { verzoekAntwoord: '1', redenAfwijzing: reason ? WJ759_OF_REASON[reason.code]! : null, toewijzing: null };
  }
  if (decision.outcome === 'review') return { verzoekAntwoord: '2', redenAfwijzing: null, toewijzing: null };
  const ijw = decision.tariff?.ijw;
  if (!ijw) return { verzoekAntwoord: null, redenAfwijzing: null, toewijzing: null };
  const p = message.aangevraagdProduct;
  return {
    verzoekAntwoord: null,
    redenAfwijzing: null,
    toewijzing: {
      toewijzingNummer: id,
      gemeente: message.header.ontvanger,
      ...(p.referentieAanbieder === undefined ? {} : { referentieAanbieder: p.referentieAanbieder }),
      product: { categorie: ijw.productCategory, code: ijw.productCode },
      productcodeIllustratief: ijw.productCodeIllustrative,
      toewijzingIngangsdatum: p.toewijzingIngangsdatum,
      ...(p.toewijzingEinddatum === undefined ? {} : { toewijzingEinddatum: p.toewijzingEinddatum }),
      omvang: { volume: ijw.volume, eenheid: ijw.unit, frequentie: ijw.frequency },
      budget: ijw.budgetCents,
    },
  };
}
