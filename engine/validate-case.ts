/**
 * Case validation in two steps: the zod schema (shape, unknown fields, impossible dates), then
 * what only the rule sets in force can tell (a profile the catalogue lacks, a product of the other
 * region, a date before the first version). Every issue carries its JSON path.
 */
import { type EffectiveRuleSet, regionOf, type RuleSetRepository } from './compose.js';
import { dayNumber } from './dates.js';
import { caseOutput } from './case-output.js';
import { type Issue, issuesFromZod } from './errors.js';
import isValidCaseInput from './generated/case-validator.js';
import { catalogueOf, findProduct, findProfile } from './facts.js';
import { basePriceCents, totalUnits } from './tariff.js';
import { type AdmissionCase, type AllocationCase, Case } from './schema.js';

/** A case that passed both steps, with the rule set it is decided by; or every issue found. */
export type ValidationResult = { ok: true; case: Case; effective: EffectiveRuleSet } | { ok: false; issues: Issue[] };

/** A case that fits the schema, as zod's parse gives it; or every issue zod finds. */
export type ParsedCase = { ok: true; case: Case } | { ok: false; issues: Issue[] };

/**
 * The schema step, fast: the validator generated from `Case` ahead of time
 * (engine/generated/case-validator.ts) decides accept or refuse, and an accepted case is built as
 * zod's parse would return it (engine/case-output.ts). Only a refusal, the rare and slow path, goes
 * to zod, which finds the issues with their paths and Dutch messages. The differential test holds
 * this equal to `parseCaseByZod` on every input.
 */
export function parseCase(input: unknown): ParsedCase {
  if (isValidCaseInput(input)) return { ok: true, case: caseOutput(input) };
  return parseCaseByZod(input);
}

/**
 * Whether a case fits the schema, without building it: the generated validator, which answers as
 * `Case.safeParse(input).success` does (the differential test). For a caller that wants zod's
 * issues only for a case that is refused, and leaves building the case to `parseCase` later.
 */
export function fitsCaseSchema(input: unknown): boolean {
  return isValidCaseInput(input);
}

/** The schema step by zod alone: the reference the generated validator is tested against. */
export function parseCaseByZod(input: unknown): ParsedCase {
  const parsed = Case.safeParse(input);
  return parsed.success ? { ok: true, case: parsed.data } : { ok: false, issues: issuesFromZod(parsed.error) };
}

/** Validates a case against the schema and against the versions in force on its reference date. */
export function validateCase(input: unknown, repository: RuleSetRepository): ValidationResult {
  const parsed = parseCase(input);
  if (!parsed.ok) return parsed;
  const c = parsed.case;

  const region = regionOf(c.municipality);
  const effective = repository.effectiveOn(c.municipality, c.referenceDate);
  if (!effective) {
    const first = repository.regionVersions(region)[0]?.document.validFrom;
    return {
      ok: false,
      issues: [
        {
          path: '$.referenceDate',
          message: first
            ? `Op ${c.referenceDate} gold nog geen regelset voor ${region}; de eerste versie geldt vanaf ${first}.`
            : `Er is geen regelset voor ${region}.`,
          code: 'NO_RULE_SET_IN_FORCE',
        },
      ],
    };
  }
  const issues = issuesAgainst(c, effective);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, case: c, effective };
}

/** What a schema-valid case gets wrong against one effective rule set (catalogue, region, dates). */
export function issuesAgainst(c: Case, effective: EffectiveRuleSet): Issue[] {
  return c.type === 'allocation' ? allocationIssues(c, effective) : admissionIssues(c, effective);
}

function endBeforeStart(period: { startDate: string; endDate?: string | undefined }): boolean {
  return period.endDate !== undefined && dayNumber(period.endDate) < dayNumber(period.startDate);
}

/** A module function, not a closure per case (tsx's keepNames renames every such closure). */
function addIssue(issues: Issue[], path: string, message: string, code = 'invalid_value'): void {
  issues.push({ path, message, code });
}

function allocationIssues(c: AllocationCase, effective: EffectiveRuleSet): Issue[] {
  const issues: Issue[] = [];
  const region = effective.region.document;
  const { request } = c;

  if ('profile' in request) {
    if (region.fundingModel !== 'output') {
      addIssue(
        issues,
        '$.request',
        `${region.name} werkt met producten: vraag een product aan (request.product), geen profiel.`,
        'UNKNOWN_PROFILE',
      );
    } else {
      if (!findProfile(effective, request.profile))
        addIssue(
          issues,
          '$.request.profile',
          `Profiel ${request.profile} staat niet in de catalogus van ${region.name}.`,
          'UNKNOWN_PROFILE',
        );
      const segment = request.segment ?? 'midden';
      if (segment === 'top' && request.trajectoryCostCents === undefined) {
        addIssue(
          issues,
          '$.request.trajectoryCostCents',
          'Geef voor het topsegment de met de aanbieder afgesproken trajectprijs (in eurocent).',
          'invalid_type',
        );
      }
      if (segment === 'midden' && request.trajectoryCostCents !== undefined) {
        addIssue(
          issues,
          '$.request.trajectoryCostCents',
          'Een trajectprijs hoort alleen bij het topsegment (segment "top").',
        );
      }
    }
  } else if ('product' in request) {
    const product = findProduct(effective, request.product);
    if (region.fundingModel !== 'effort') {
      addIssue(
        issues,
        '$.request',
        `${region.name} werkt met profielen: vraag een profiel en intensiteit aan, geen product.`,
        'UNKNOWN_PRODUCT',
      );
    } else if (!product) {
      addIssue(
        issues,
        '$.request.product',
        `Product ${request.product} staat niet in de catalogus van ${region.name}.`,
        'UNKNOWN_PRODUCT',
      );
    } else if (!Number.isSafeInteger(Math.round(totalUnits(request) * (basePriceCents(effective, request) ?? 0) * 2))) {
      // a volume so large that its price no longer fits an exact number of cents
      addIssue(
        issues,
        '$.request.units',
        'Deze hoeveelheid is te groot om te beprijzen; controleer de eenheden en de periode.',
      );
    } else if (request.level !== undefined && !product.levels.includes(request.level)) {
      addIssue(
        issues,
        '$.request.level',
        product.levels.length > 0
          ? `${product.title} kent de niveaus ${product.levels.join(' en ')}, niet ${request.level}.`
          : `${product.title} kent geen niveaus.`,
      );
    }
  } else {
    const excluded = effective.parameters['scope.excludedServices'];
    if (!Array.isArray(excluded) || !excluded.includes(request.service)) {
      // name only what this region's catalogue has: MIJOV has products and no profiles, and a pgb
      // is a way of paying for care (003 Bijlage 1: "in natura of bij pgb"), not a product
      const what = region.fundingModel === 'output' ? 'een profiel en intensiteit' : 'een product uit de catalogus';
      addIssue(
        issues,
        '$.request.service',
        request.service === 'pgb'
          ? `Een pgb is in ${region.name} geen aparte dienst maar een manier om hulp te betalen: vraag de hulp zelf aan als ${what}.`
          : `${request.service} valt binnen het inkoopmodel van ${region.name}: vraag het aan als ${what}.`,
      );
    }
  }

  if (endBeforeStart(request)) addIssue(issues, '$.request.endDate', 'De einddatum ligt vóór de begindatum.');

  const isProfile10 = 'profile' in request && request.profile === 10;
  if (!isProfile10 && dayNumber(c.youth.birthDate) > dayNumber(c.referenceDate)) {
    addIssue(
      issues,
      '$.youth.birthDate',
      'De geboortedatum ligt na de peildatum; alleen profiel 10 begint al in de zwangerschap.',
    );
  }

  c.existingAllocations.forEach((a, i) => {
    if ((a.profile === undefined) === (a.product === undefined)) {
      addIssue(
        issues,
        `$.existingAllocations[${i}]`,
        'Geef bij een bestaande toewijzing óf een profiel óf een product.',
      );
    }
    if (endBeforeStart(a))
      addIssue(issues, `$.existingAllocations[${i}].endDate`, 'De einddatum ligt vóór de begindatum.');
  });
  return issues;
}

/** IJsselland contracts per profile (`profiel-1` … `profiel-12`), MIJOV per product. */
export function productGroupsOf(effective: EffectiveRuleSet): string[] {
  const { catalogue } = effective.region.document;
  return 'profiles' in catalogue
    ? catalogue.profiles.map((p) => `profiel-${p.number}`)
    : catalogue.products.map((p) => p.slug);
}

function admissionIssues(c: AdmissionCase, effective: EffectiveRuleSet): Issue[] {
  const groups = catalogueOf(effective).productGroups;
  const issues: Issue[] = [];
  const unknown = (group: string) => `Productgroep ${group} bestaat niet in ${effective.region.document.name}.`;
  if (!groups.has(c.requestedProductGroup)) {
    addIssue(issues, '$.requestedProductGroup', unknown(c.requestedProductGroup), 'UNKNOWN_PRODUCT_GROUP');
  }
  c.provider.productGroups.forEach((g, i) => {
    if (!groups.has(g)) addIssue(issues, `$.provider.productGroups[${i}]`, unknown(g), 'UNKNOWN_PRODUCT_GROUP');
  });
  const levels = findProduct(effective, c.requestedProductGroup)?.levels ?? [];
  c.provider.levels?.forEach((level, i) => {
    if (!levels.includes(level)) {
      issues.push({
        path: `$.provider.levels[${i}]`,
        message:
          levels.length > 0
            ? `Productgroep ${c.requestedProductGroup} kent de niveaus ${levels.join(' en ')}, niet ${level}.`
            : `Productgroep ${c.requestedProductGroup} kent geen niveaus.`,
        code: 'invalid_value',
      });
    }
  });
  return issues;
}
