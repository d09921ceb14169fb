/**
 * Versions in time and composition: which regional version and which municipal overlay version
 * are in force on a date, whether an overlay stays within its region's bounds, and the effective
 * rule set (region + overlay) a case is decided by.
 */
import { contentHash } from './canonical.js';
import { dayNumber } from './dates.js';
import { CompositionError, type Issue, issuesFromZod, jsonPath } from './errors.js';
import {
  MUNICIPALITIES_BY_REGION,
  Parameter,
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

export function versioned<T extends RuleSetDocument>(document: T): Versioned<T> {
  return { document, contentHash: contentHash(document) };
}

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

export function regionOf(municipality: MunicipalityId): RegionId {
  for (const [region, members] of Object.entries(MUNICIPALITIES_BY_REGION)) {
    if ((members as readonly string[]).includes(municipality)) return region as RegionId;
  }
  throw new CompositionError('UNKNOWN_MUNICIPALITY', `Onbekende gemeente ${municipality}.`);
}

/** The version in force on `date`: the latest that starts on or before it (versions sorted). */
export function inForce<T extends RuleSetDocument>(
  versions: readonly Versioned<T>[],
  date: string,
): Versioned<T> | undefined {
  const day = dayNumber(date);
  let found: Versioned<T> | undefined;
  for (const v of versions) if (dayNumber(v.document.validFrom) <= day) found = v;
  return found;
}

/**
 * Checks an overlay against one regional version: every parameter it sets must exist, be open to
 * municipalities, have the parameter's type and lie within the bounds; every rule it switches
 * must be optional. Issues carry the contract's codes `PARAMETER_NOT_OVERRIDABLE` and
 * `PARAMETER_OUT_OF_RANGE`.
 */
export function validateOverlay(overlay: MunicipalityOverlay, region: RegionRuleSet): Issue[] {
  const issues: Issue[] = [];
  const where = `regelset ${region.id} versie ${region.version}`;
  if (overlay.region !== region.id) {
    issues.push({
      path: '$.region',
      message: `De overlay hoort bij ${overlay.region}, niet bij ${region.id}.`,
      code: 'OVERLAY_REGION_MISMATCH',
    });
  }
  if (!(MUNICIPALITIES_BY_REGION[region.id] as readonly string[]).includes(overlay.id)) {
    issues.push({
      path: '$.id',
      message: `${overlay.id} is geen gemeente van ${region.name}.`,
      code: 'OVERLAY_REGION_MISMATCH',
    });
  }
  for (const [name, value] of Object.entries(overlay.parameters)) {
    const path = jsonPath(['parameters', name]);
    const parameter = region.parameters[name];
    if (!parameter) {
      issues.push({
        path,
        message: `De parameter ${name} bestaat niet in ${where}.`,
        code: 'PARAMETER_NOT_OVERRIDABLE',
      });
      continue;
    }
    const policy = parameter.municipalOverride;
    if (!policy.allowed) {
      issues.push({
        path,
        message: `Een gemeente mag ${name} (${parameter.label}) niet aanpassen in ${where}.`,
        code: 'PARAMETER_NOT_OVERRIDABLE',
      });
      continue;
    }
    const typed = Parameter.safeParse({ ...parameter, value });
    if (!typed.success) {
      for (const issue of issuesFromZod(typed.error, ['parameters', name])) {
        issues.push({ ...issue, path: issue.path.replace(/\.value$/, ''), code: 'PARAMETER_OUT_OF_RANGE' });
      }
      continue;
    }
    issues.push(...boundsIssues(name, value as ParameterValue, policy, path));
  }
  // a source belongs to a value the overlay sets; one for a value it does not set cites nothing
  for (const name of Object.keys(overlay.parameterSources ?? {})) {
    if (!Object.hasOwn(overlay.parameters, name)) {
      issues.push({
        path: jsonPath(['parameterSources', name]),
        message: `De overlay geeft een bron voor ${name} maar stelt die parameter niet in; verwijder de bron of stel de waarde in.`,
        code: 'PARAMETER_SOURCE_WITHOUT_VALUE',
      });
    }
  }
  for (const ruleId of Object.keys(overlay.rules)) {
    const rule = region.rules.find((r) => r.id === ruleId);
    if (!rule?.optional?.municipalityMaySwitch) {
      issues.push({
        path: jsonPath(['rules', ruleId]),
        message: rule
          ? `De regel ${ruleId} mag een gemeente niet aan- of uitzetten.`
          : `De regel ${ruleId} bestaat niet in ${where}.`,
        code: 'RULE_NOT_SWITCHABLE',
      });
    }
  }
  return issues;
}

function boundsIssues(
  name: string,
  value: ParameterValue,
  policy: Parameter['municipalOverride'],
  path: string,
): Issue[] {
  const out: Issue[] = [];
  const outOfRange = (message: string) => out.push({ path, message, code: 'PARAMETER_OUT_OF_RANGE' });
  if (typeof value === 'number') {
    if (policy.min !== undefined && value < policy.min)
      outOfRange(`${name} moet minstens ${policy.min} zijn (nu ${value}).`);
    if (policy.max !== undefined && value > policy.max)
      outOfRange(`${name} mag hoogstens ${policy.max} zijn (nu ${value}).`);
  } else {
    if (policy.allowedValues) {
      const allowed = policy.allowedValues;
      const wrong = value.filter((v) => !allowed.includes(v));
      if (wrong.length > 0)
        outOfRange(`${name} mag alleen waarden uit ${allowed.join(', ')} bevatten; niet ${wrong.join(', ')}.`);
    }
    if (policy.minItems !== undefined && value.length < policy.minItems) {
      outOfRange(`${name} moet minstens ${policy.minItems} waarde(n) bevatten.`);
    }
    if (new Set(value).size !== value.length) outOfRange(`${name} bevat dubbele waarden.`);
  }
  return out;
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
    const issues = validateOverlay(overlay.document, region.document);
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

  constructor(documents: readonly RuleSetDocument[]) {
    for (const document of documents) {
      if (document.kind === 'region') {
        if (document.id !== document.region) {
          throw new CompositionError(
            'INVALID_RULE_SET',
            `Regelset ${document.id} moet region "${document.id}" hebben.`,
            [{ path: '$.region', message: `Verwacht ${document.id}.`, code: 'INVALID_RULE_SET' }],
          );
        }
        push(this.regions, document.id, versioned(document));
      } else {
        push(this.overlays, document.id, versioned(document));
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
          const issues = validateOverlay(overlay.document, region.document);
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

  /** Every version of every rule set, regions first. */
  all(): Versioned[] {
    return [...[...this.regions.values()].flat(), ...[...this.overlays.values()].flat()];
  }

  /** The effective rule set for a municipality on a date, or undefined when no region version is in force yet. */
  effectiveOn(municipality: MunicipalityId, date: string): EffectiveRuleSet | undefined {
    const region = inForce(this.regionVersions(regionOf(municipality)), date);
    if (!region) return undefined;
    const overlay = inForce(this.overlayVersions(municipality), date);
    const key = `${region.contentHash}|${overlay?.contentHash ?? ''}`;
    let effective = this.composed.get(key);
    if (!effective) {
      effective = compose(region, overlay);
      this.composed.set(key, effective);
    }
    return effective;
  }
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
