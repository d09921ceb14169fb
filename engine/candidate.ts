/**
 * Candidates: a draft or a version put in place of the regional rule set or the overlay a case is
 * otherwise decided by. The one implementation behind the test bench (a draft or version against
 * the versions in force), replay (a version against the versions a logged decision used) and
 * impact analysis (a candidate against every logged decision), and the check that a candidate
 * can be published as the next version.
 */
import {
  asVersioned,
  compose,
  inForce,
  overlayIssues,
  regionOf,
  RuleSetRepository,
  versioned,
  type Composition,
  type EffectiveRuleSet,
  type Versioned,
  type VersionInput,
} from './compose.js';
import { dayNumber } from './dates.js';
import { CaseValidationError, CompositionError } from './errors.js';
import {
  MUNICIPALITIES_BY_REGION,
  type MunicipalityId,
  type MunicipalityOverlay,
  type RegionRuleSet,
  type RuleSetDocument,
  type RuleSetDraft,
  type RuleSetRef,
} from './schema.js';

/**
 * Composes the rule set a case is decided by with `candidate` in place of the version of the same
 * rule set in `base`: a regional candidate replaces the region, an overlay candidate the overlay.
 * Throws a CompositionError `VERSION_NOT_APPLICABLE` when the candidate is neither the case's
 * region nor its municipality's overlay, a CaseValidationError (issue `NO_RULE_SET_IN_FORCE`) when
 * no regional version is left to decide by, and a CompositionError when the overlay does not fit
 * the region.
 *
 * @example
 *   // the test bench: a draft against the versions in force on the case's date
 *   composeCandidate(c, repository.versionsInForce(c.municipality, c.referenceDate), versioned(draft));
 *   // replay and impact analysis: against the versions a logged decision used
 *   composeCandidate(c, recordedComposition(decision.ruleSets, find), candidate);
 */
export function composeCandidate(
  c: { municipality: MunicipalityId; referenceDate: string },
  base: Composition,
  candidate: Versioned,
): EffectiveRuleSet {
  const document = candidate.document;
  let { region, overlay } = base;
  if (document.kind === 'region') {
    if (!(MUNICIPALITIES_BY_REGION[document.id] as readonly string[]).includes(c.municipality)) {
      throw new CompositionError('VERSION_NOT_APPLICABLE', `${c.municipality} hoort niet bij ${document.id}.`, [
        { path: '$.municipality', message: `Kies een gemeente van ${document.name}.`, code: 'invalid_value' },
      ]);
    }
    region = candidate as Versioned<RegionRuleSet>;
  } else {
    if (document.id !== c.municipality) {
      throw new CompositionError(
        'VERSION_NOT_APPLICABLE',
        `Deze overlay is van ${document.id}, de casus van ${c.municipality}.`,
        [{ path: '$.municipality', message: `Verwacht ${document.id}.`, code: 'invalid_value' }],
      );
    }
    overlay = candidate as Versioned<MunicipalityOverlay>;
  }
  if (!region) {
    throw new CaseValidationError([
      {
        path: '$.referenceDate',
        message: `Op ${c.referenceDate} gold nog geen regelset voor ${regionOf(c.municipality)}.`,
        code: 'NO_RULE_SET_IN_FORCE',
      },
    ]);
  }
  return compose(region, overlay);
}

/**
 * The composition a logged decision used, from the versions it recorded (the region first, then
 * the overlay if there was one); `find` looks a version up and throws when it does not exist.
 */
export function recordedComposition(refs: readonly RuleSetRef[], find: (ref: RuleSetRef) => Versioned): Composition {
  const [region, overlay] = refs;
  return {
    region: region ? (find(region) as Versioned<RegionRuleSet>) : undefined,
    overlay: overlay ? (find(overlay) as Versioned<MunicipalityOverlay>) : undefined,
  };
}

/**
 * Checks a document as it would be published as the next version of its rule set, valid from
 * `validFrom`: the date must lie after the latest version's, an overlay must fit the regional
 * version in force on that date, and the whole set of versions (every overlay that builds on a
 * region, every region an overlay builds on) must still compose. Returns the numbered document and
 * the repository it would give; throws a CompositionError (`VALID_FROM_TOO_EARLY`, an overlay's
 * issue codes, …) otherwise.
 */
export function nextVersion(
  /** The published versions: documents, or versions hashed before (see `VersionInput`). */
  published: readonly VersionInput[],
  /** The draft to publish: its own version and date, if any, are replaced. */
  document: RuleSetDraft,
  validFrom: string,
): { document: RuleSetDocument; repository: RuleSetRepository } {
  const versions = published.map(asVersioned);
  const latest = versions
    .map((v) => v.document)
    .filter((d) => d.id === document.id)
    .reduce<RuleSetDocument | undefined>((a, d) => (a && a.version > d.version ? a : d), undefined);
  if (latest && dayNumber(validFrom) <= dayNumber(latest.validFrom)) {
    throw new CompositionError(
      'VALID_FROM_TOO_EARLY',
      `validFrom moet een datum zijn als 2026-01-01, na de geldigheidsdatum van de laatst gepubliceerde versie (${latest.validFrom}).`,
      [{ path: '$.validFrom', message: `Kies een datum na ${latest.validFrom}.`, code: 'VALID_FROM_TOO_EARLY' }],
    );
  }
  const candidate = versioned({ ...document, version: (latest?.version ?? 0) + 1, validFrom } as RuleSetDocument);
  const all = [...versions, candidate];
  if (candidate.document.kind === 'municipality') {
    const overlay = candidate as Versioned<MunicipalityOverlay>;
    const regions = all.filter(
      (v): v is Versioned<RegionRuleSet> => v.document.kind === 'region' && v.document.id === overlay.document.region,
    );
    const region = inForce(
      regions.sort((a, b) => a.document.version - b.document.version),
      validFrom,
    );
    if (region) {
      const issues = overlayIssues(overlay, region);
      if (issues.length > 0)
        throw new CompositionError(
          issues[0]!.code,
          `Overlay ${overlay.document.id} past niet binnen ${region.document.id} versie ${region.document.version}.`,
          issues,
        );
    }
  }
  return { document: candidate.document, repository: new RuleSetRepository(all) };
}
