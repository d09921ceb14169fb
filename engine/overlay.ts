/**
 * What a municipality may change in its region's rule set: the parameters the region opens, within
 * their bounds, and the optional rules. Pure (no hashing, no file system), so the editor checks a
 * value as it is typed with the very function the server checks it with on publishing.
 */
import { type Issue, issuesFromZod, jsonPath } from './errors.js';
import {
  MUNICIPALITIES_BY_REGION,
  Parameter,
  type MunicipalityOverlay,
  type ParameterValue,
  type RegionRuleSet,
} from './schema.js';

/**
 * Checks one value a municipality sets for a regional parameter: the parameter must exist, be open
 * to municipalities, the value must have the parameter's type and lie within the bounds. `where`
 * names the regional version in messages.
 *
 * @example
 *   overrideIssues('admission.minClientsPerYear', region.parameters['admission.minClientsPerYear'], 3)
 *   // → [{ path: "$.parameters['admission.minClientsPerYear']", code: 'PARAMETER_OUT_OF_RANGE', … }]
 */
export function overrideIssues(
  name: string,
  parameter: Parameter | undefined,
  value: unknown,
  where = 'de regio',
): Issue[] {
  const path = jsonPath(['parameters', name]);
  if (!parameter) {
    return [{ path, message: `De parameter ${name} bestaat niet in ${where}.`, code: 'PARAMETER_NOT_OVERRIDABLE' }];
  }
  const policy = parameter.municipalOverride;
  if (!policy.allowed) {
    return [
      {
        path,
        message: `Een gemeente mag ${name} (${parameter.label}) niet aanpassen in ${where}.`,
        code: 'PARAMETER_NOT_OVERRIDABLE',
      },
    ];
  }
  const typed = Parameter.safeParse({ ...parameter, value });
  if (!typed.success) {
    return issuesFromZod(typed.error, ['parameters', name]).map((issue) => ({
      ...issue,
      path: issue.path.replace(/\.value$/, ''),
      code: 'PARAMETER_OUT_OF_RANGE',
    }));
  }
  return boundsIssues(name, value as ParameterValue, policy, path);
}

/**
 * Checks an overlay against one regional version: every parameter it sets must pass
 * `overrideIssues`; every rule it switches must be optional. Issues carry the contract's codes
 * `PARAMETER_NOT_OVERRIDABLE` and `PARAMETER_OUT_OF_RANGE`.
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
    issues.push(...overrideIssues(name, region.parameters[name], value, where));
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
