/**
 * Versions in time and composition: which regional version and which municipal overlay version
 * are in force on a date, whether an overlay stays within its region's bounds, and the effective
 * rule set (region + overlay) a case is decided by.
 */
import { contentHash } from './canonical.js';
import { dayNumber } from './dates.js';
import { CompositionError } from './errors.js';
import { validateOverlay } from './overlay.js';
import {
  MUNICIPALITIES_BY_REGION,
  type MunicipalityId,
  type MunicipalityOverlay,
  type ParameterValue,
  type RegionId,
  type RegionRuleSet,
  type Rule,
  type RuleSetDocument,
  type RuleSetRef,
} from './schema.js';

/** A version of a rule set with the hash of its canonical content. */
export interface Versioned<T extends RuleSetDocument = RuleSetDocument> {
  document: T;
  contentHash: string;
}

/** A document with the hash of its canonical content. */
export function versioned<T extends RuleSetDocument>(document: T): Versioned<T> {
  return { document, contentHash: contentHash(document) };
}

/**
 * A document, or a version hashed before: the service keeps the versions it read with their hash,
 * so that building a repository again after a publish does not hash every version again.
 */
export type VersionInput = RuleSetDocument | Versioned;

/** A version input as a version, hashed only when it is a bare document. */
export function asVersioned(input: VersionInput): Versioned {
  return 'contentHash' in input && 'document' in input ? input : versioned(input);
}

/**
 * Pairs of an overlay version and a regional version known to fit (`validateOverlay` gave no
 * issue). Whether they fit depends on the two documents only, and a version object's document
 * never changes, so a repository built again over the same version objects (after a publish), the
 * check of a candidate and each composition check only the pairs not seen before. Keyed by the
 * version objects, so that an entry goes when its versions do.
 */
const fitting = new WeakMap<Versioned, WeakSet<Versioned>>();

/** `validateOverlay` of two versions, remembered when they fit (see `fitting`). */
export function overlayIssues(overlay: Versioned<MunicipalityOverlay>, region: Versioned<RegionRuleSet>) {
  if (fitting.get(overlay)?.has(region)) return [];
  const issues = validateOverlay(overlay.document, region.document);
  if (issues.length === 0) {
    let regions = fitting.get(overlay);
    if (!regions) fitting.set(overlay, (regions = new WeakSet()));
    regions.add(region);
  }
  return issues;
}

/** How a decision records the version it used. */
export function refOf(v: Versioned): RuleSetRef {
  return { id: v.document.id, version: v.document.version, contentHash: v.contentHash };
}

/** The rule set a case is decided by: one regional version plus the municipality's overlay. */
export interface EffectiveRuleSet {
  region: Versioned<RegionRuleSet>;
  overlay: Versioned<MunicipalityOverlay> | undefined;
  /** Every parameter's value after the overlay's overrides. */
  parameters: Readonly<Record<string, ParameterValue>>;
  /** The region's rules in order, each with whether it is switched on for this municipality. */
  rules: readonly { rule: Rule; enabled: boolean }[];
  /** Identifies the composition: the hashes of both versions. */
  key: string;
  ruleSets: RuleSetRef[];
}

/** The versions a case is decided by, before composing: a regional version and the municipality's overlay, if any. */
export interface Composition {
  region: Versioned<RegionRuleSet> | undefined;
  overlay: Versioned<MunicipalityOverlay> | undefined;
}

/** The region a municipality belongs to. */
export function regionOf(municipality: MunicipalityId): RegionId {
  const region = REGION_OF.get(municipality);
  if (region === undefined) throw new CompositionError('UNKNOWN_MUNICIPALITY', `Onbekende gemeente ${municipality}.`);
  return region;
}

/** Each municipality's region, looked up once per decision. */
const REGION_OF: ReadonlyMap<string, RegionId> = new Map(
  Object.entries(MUNICIPALITIES_BY_REGION).flatMap(([region, members]) =>
    members.map((m): [string, RegionId] => [m, region as RegionId]),
  ),
);

/** The version in force on `date`: the latest that starts on or before it (versions sorted). */
export function inForce<T extends RuleSetDocument>(
  versions: readonly Versioned<T>[],
  date: string,
): Versioned<T> | undefined {
  return inForceOnDay(versions, dayNumber(date));
}

/** Composes the effective rule set of one region version and (optionally) one overlay version. */
export function compose(
  region: Versioned<RegionRuleSet>,
  overlay: Versioned<MunicipalityOverlay> | undefined,
): EffectiveRuleSet {
  const parameters: Record<string, ParameterValue> = {};
  for (const [name, p] of Object.entries(region.document.parameters)) parameters[name] = p.value;
  const switches = overlay?.document.rules ?? {};
  if (overlay) {
    const issues = overlayIssues(overlay, region);
    if (issues.length > 0) {
      throw new CompositionError(
        issues[0]!.code,
        `Overlay ${overlay.document.id} versie ${overlay.document.version} past niet op ${region.document.id} versie ${region.document.version}.`,
        issues,
      );
    }
    Object.assign(parameters, overlay.document.parameters);
  }
  const rules = region.document.rules.map((rule) => ({
    rule,
    enabled: switches[rule.id]?.enabled ?? rule.optional?.enabledByDefault ?? true,
  }));
  const ruleSets = overlay ? [refOf(region), refOf(overlay)] : [refOf(region)];
  return { region, overlay, parameters, rules, key: ruleSets.map((r) => r.contentHash).join('|'), ruleSets };
}

/**
 * All versions of all rule sets, in memory. Checks on construction that versions of one rule
 * set have distinct numbers and valid-from dates rising with the version, and that every overlay
 * version fits every regional version it can be combined with in time.
 */
export class RuleSetRepository {
  private readonly regions = new Map<RegionId, Versioned<RegionRuleSet>[]>();
  private readonly overlays = new Map<MunicipalityId, Versioned<MunicipalityOverlay>[]>();
  private readonly composed = new Map<string, EffectiveRuleSet>();
  /** The same compositions by the version objects (this repository's versions, a fixed set). */
  private readonly composedByVersion = new Map<Versioned, Map<Versioned | undefined, EffectiveRuleSet>>();
  /** Per municipality, the days its composition changes (see `timelineOf`), made when first asked. */
  private readonly timelines = new Map<MunicipalityId, Timeline>();

  /** From documents, or from versions hashed before (see `VersionInput`). */
  constructor(documents: readonly VersionInput[]) {
    for (const input of documents) {
      const version = asVersioned(input);
      const document = version.document;
      if (document.kind === 'region') {
        if (document.id !== document.region) {
          throw new CompositionError(
            'INVALID_RULE_SET',
            `Regelset ${document.id} moet region "${document.id}" hebben.`,
            [{ path: '$.region', message: `Verwacht ${document.id}.`, code: 'INVALID_RULE_SET' }],
          );
        }
        push(this.regions, document.id, version as Versioned<RegionRuleSet>);
      } else {
        push(this.overlays, document.id, version as Versioned<MunicipalityOverlay>);
      }
    }
    for (const list of [...this.regions.values(), ...this.overlays.values()]) checkVersionOrder(list);
    for (const [, list] of this.overlays) {
      list.forEach((overlay, i) => {
        const until = list[i + 1]?.document.validFrom;
        for (const region of this.overlappingRegionVersions(
          overlay.document.region,
          overlay.document.validFrom,
          until,
        )) {
          const issues = overlayIssues(overlay, region);
          if (issues.length > 0) {
            throw new CompositionError(
              issues[0]!.code,
              `Overlay ${overlay.document.id} v${overlay.document.version} past niet binnen ${region.document.id} v${region.document.version}: ${issues.map((x) => `${x.path}: ${x.message}`).join('; ')}`,
              issues,
            );
          }
        }
      });
    }
  }

  /** Regional versions whose validity overlaps [from, until). */
  private overlappingRegionVersions(
    regionId: RegionId,
    from: string,
    until: string | undefined,
  ): Versioned<RegionRuleSet>[] {
    const list = this.regions.get(regionId) ?? [];
    return list.filter((v, i) => {
      const next = list[i + 1]?.document.validFrom;
      const startsBeforeEnd = until === undefined || dayNumber(v.document.validFrom) < dayNumber(until);
      const endsAfterStart = next === undefined || dayNumber(next) > dayNumber(from);
      return startsBeforeEnd && endsAfterStart;
    });
  }

  regionVersions(region: RegionId): readonly Versioned<RegionRuleSet>[] {
    return this.regions.get(region) ?? [];
  }

  overlayVersions(municipality: MunicipalityId): readonly Versioned<MunicipalityOverlay>[] {
    return this.overlays.get(municipality) ?? [];
  }

  /** A version of a rule set, or undefined when there is none. */
  find(id: string, version: number): Versioned | undefined {
    const list: readonly Versioned[] =
      this.regions.get(id as RegionId) ?? this.overlays.get(id as MunicipalityId) ?? [];
    return list.find((v) => v.document.version === version);
  }

  /** The regional version and the overlay version in force for a municipality on a date (either may be missing). */
  versionsInForce(municipality: MunicipalityId, date: string): Composition {
    return {
      region: inForce(this.regionVersions(regionOf(municipality)), date),
      overlay: inForce(this.overlayVersions(municipality), date),
    };
  }

  /** Every version of every rule set, regions first. */
  all(): Versioned[] {
    return [...[...this.regions.values()].flat(), ...[...this.overlays.values()].flat()];
  }

  /**
   * A municipality's compositions in time: from each day a regional or overlay version starts, the
   * versions in force. The versions never change after construction, so this is made once, and a
   * decision reads one date instead of every version's valid-from date.
   */
  private timelineOf(municipality: MunicipalityId): Timeline {
    let timeline = this.timelines.get(municipality);
    if (timeline) return timeline;
    const regions = this.regionVersions(regionOf(municipality));
    const overlays = this.overlayVersions(municipality);
    const days = [...new Set([...regions, ...overlays].map((v) => dayNumber(v.document.validFrom)))].sort(
      (a, b) => a - b,
    );
    timeline = days.map((day) => ({
      day,
      region: inForceOnDay(regions, day),
      overlay: inForceOnDay(overlays, day),
      effective: undefined,
    }));
    this.timelines.set(municipality, timeline);
    return timeline;
  }

  /** The effective rule set for a municipality on a date, or undefined when no region version is in force yet. */
  effectiveOn(municipality: MunicipalityId, date: string): EffectiveRuleSet | undefined {
    const timeline = this.timelineOf(municipality);
    const day = dayNumber(date);
    let i = timeline.length - 1;
    while (i >= 0 && timeline[i]!.day > day) i--;
    if (i < 0) return undefined;
    const moment = timeline[i]!;
    return (moment.effective ??= this.composedOf(moment.region, moment.overlay));
  }

  /** The composition of two versions, composed once (a region version is required). */
  private composedOf(
    region: Versioned<RegionRuleSet> | undefined,
    overlay: Versioned<MunicipalityOverlay> | undefined,
  ): EffectiveRuleSet | undefined {
    if (!region) return undefined;
    // the same two version objects as before: no key to build (two hashes) on the hot path
    let byOverlay = this.composedByVersion.get(region);
    if (!byOverlay) this.composedByVersion.set(region, (byOverlay = new Map()));
    let effective = byOverlay.get(overlay);
    if (effective) return effective;
    const key = `${region.contentHash}|${overlay?.contentHash ?? ''}`;
    effective = this.composed.get(key);
    if (!effective) {
      effective = compose(region, overlay);
      this.composed.set(key, effective);
    }
    byOverlay.set(overlay, effective);
    return effective;
  }
}

/** From `day` on (until the next moment), these versions are in force; `effective` once composed. */
type Timeline = {
  day: number;
  region: Versioned<RegionRuleSet> | undefined;
  overlay: Versioned<MunicipalityOverlay> | undefined;
  effective: EffectiveRuleSet | undefined;
}[];

/** `inForce` for a day number. */
function inForceOnDay<T extends RuleSetDocument>(
  versions: readonly Versioned<T>[],
  day: number,
): Versioned<T> | undefined {
  let found: Versioned<T> | undefined;
  for (const v of versions) if (dayNumber(v.document.validFrom) <= day) found = v;
  return found;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

function checkVersionOrder(list: Versioned[]) {
  list.sort((a, b) => a.document.version - b.document.version);
  for (let i = 1; i < list.length; i++) {
    const prev = list[i - 1]!.document;
    const cur = list[i]!.document;
    if (prev.version === cur.version) {
      throw new CompositionError('DUPLICATE_VERSION', `${cur.id} heeft twee keer versie ${cur.version}.`);
    }
    if (dayNumber(cur.validFrom) <= dayNumber(prev.validFrom)) {
      throw new CompositionError(
        'VALID_FROM_NOT_AFTER_PREVIOUS',
        `${cur.id} versie ${cur.version} geldt vanaf ${cur.validFrom}; dat moet na ${prev.validFrom} (versie ${prev.version}) liggen.`,
        [
          {
            path: '$.validFrom',
            message: `Kies een datum na ${prev.validFrom}.`,
            code: 'VALID_FROM_NOT_AFTER_PREVIOUS',
          },
        ],
      );
    }
  }
}
