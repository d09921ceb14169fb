/**
 * A parameter's municipal bounds in words: the range a municipality may choose from, in the
 * parameter's own unit (amounts in euros), and why it is what it is — a bound that equals the
 * region's own value means the region only allows a municipality to go one way.
 */
import { formatEuros, type Parameter } from '../../engine/browser.js';
import { t } from './i18n.js';

/** One value of a parameter as people read it: `€ 25.000`, `7`, `huisarts, SKJ`. */
export function parameterValueInWords(p: Parameter, value: unknown = p.value): string {
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.join(', ');
  if (typeof value !== 'number') return String(value);
  if (p.type === 'cents') return formatEuros(value);
  if (p.type === 'percentage') return `${value}%`;
  return String(value);
}

/** The allowed values, a minimum count, or a range, in the parameter's unit. */
export function boundsRange(p: Parameter): string {
  const policy = p.municipalOverride;
  if (Array.isArray(p.value))
    return [
      policy.allowedValues ? t('bounds.oneOf', { values: policy.allowedValues.join(', ') }) : undefined,
      policy.minItems === undefined ? undefined : t('bounds.minItems', { n: policy.minItems }),
    ]
      .filter((x) => x !== undefined)
      .join('; ');
  const show = (n: number | undefined) => (n === undefined ? undefined : parameterValueInWords(p, n));
  const [min, max] = [show(policy.min), show(policy.max)];
  if (min !== undefined && max !== undefined) return t('bounds.between', { min, max });
  if (min !== undefined) return t('bounds.atLeast', { min });
  if (max !== undefined) return t('bounds.atMost', { max });
  return t('bounds.any');
}

/** Why the bounds are what they are, when the region only allows one direction; else null. */
export function boundsReason(p: Parameter): string | null {
  const policy = p.municipalOverride;
  if (Array.isArray(p.value) || typeof p.value !== 'number') return null;
  if (policy.max !== undefined && policy.max === p.value && (policy.min === undefined || policy.min < p.value))
    return t('bounds.onlyLower');
  if (policy.min !== undefined && policy.min === p.value && (policy.max === undefined || policy.max > p.value))
    return t('bounds.onlyHigher');
  return null;
}

/** The bounds with their reason: `€ 0 tot en met € 25.000 — de regio staat alleen een lagere grens toe`. */
export function boundsInWords(p: Parameter): string {
  const reason = boundsReason(p);
  return reason ? `${boundsRange(p)} — ${reason}` : boundsRange(p);
}
