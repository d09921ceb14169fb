/**
 * Money as people write it. The engine keeps amounts in integer euro cents; every money field of
 * the editor shows them as Dutch euros (`20.000`, `4.860,50`) and reads what a person types:
 * `20000`, `20.000`, `20.000,00` and `€ 20.000` all mean 2,000,000 cents. A spelling that could
 * mean two amounts (`20,000.00`, `20,000`) is refused with a Dutch message, never guessed.
 */
import { formatEuros } from '../../engine/browser.js';

export { formatEuros };

export type ParsedEuros = { ok: true; cents: number } | { ok: false; error: string };

export const EURO_MESSAGES = {
  empty: 'Vul een bedrag in euro’s in, zoals 20.000 of 4.860,50.',
  negative: 'Een bedrag kan niet negatief zijn.',
  ambiguous:
    'Schrijf het bedrag op z’n Nederlands: een punt tussen de duizendtallen en een komma voor de centen, zoals 20.000,00.',
  decimals: 'Een bedrag heeft hoogstens twee cijfers achter de komma, zoals 4.860,50.',
  unreadable: 'Dit is geen bedrag. Schrijf het als 20.000 of 4.860,50.',
  tooLarge: 'Dit bedrag is te groot.',
} as const;

const fail = (error: string): ParsedEuros => ({ ok: false, error });

/**
 * Cents from an amount in euros as a person types it.
 * @example
 * parseEuros('€ 20.000'); // { ok: true, cents: 2000000 }
 * parseEuros('20,000.00'); // { ok: false, error: 'Schrijf het bedrag op z’n Nederlands: …' }
 */
export function parseEuros(text: string): ParsedEuros {
  let s = text
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/^€|€$/g, '')
    .replace(/^EUR|EUR$/i, '');
  if (s === '') return fail(EURO_MESSAGES.empty);
  if (/^[-−]/.test(s)) return fail(EURO_MESSAGES.negative);
  // "20.000,-" is a whole amount
  s = s.replace(/,[-–]$/, '');
  if (/[^\d.,]/.test(s) || !/\d/.test(s)) return fail(EURO_MESSAGES.unreadable);
  const commas = (s.match(/,/g) ?? []).length;
  const dots = (s.match(/\./g) ?? []).length;
  let euros: string;
  let fraction = '';
  if (commas > 0 && dots > 0) {
    // Dutch: dots group thousands, one comma before the cents — and the comma comes last
    if (commas > 1 || s.lastIndexOf(',') < s.lastIndexOf('.')) return fail(EURO_MESSAGES.ambiguous);
    [euros, fraction] = s.split(',') as [string, string];
    if (!/^\d{1,3}(\.\d{3})+$/.test(euros)) return fail(EURO_MESSAGES.ambiguous);
  } else if (commas > 0) {
    if (commas > 1) return fail(EURO_MESSAGES.ambiguous);
    [euros, fraction] = s.split(',') as [string, string];
    // "20,000" is twenty thousand in English and twenty euros in Dutch
    if (fraction.length === 3) return fail(EURO_MESSAGES.ambiguous);
  } else if (dots > 0) {
    if (/^\d{1,3}(\.\d{3})+$/.test(s)) euros = s;
    else if (dots === 1 && /^\d+\.\d{1,2}$/.test(s)) {
      // "3672.50": one dot with one or two digits after it can only be the decimal point
      [euros, fraction] = s.split('.') as [string, string];
    } else return fail(EURO_MESSAGES.ambiguous);
  } else euros = s;
  euros = euros.replace(/\./g, '');
  if (!/^\d+$/.test(euros) || !/^\d*$/.test(fraction)) return fail(EURO_MESSAGES.unreadable);
  if (fraction.length > 2) return fail(EURO_MESSAGES.decimals);
  const cents = Number(euros) * 100 + Number(fraction.padEnd(2, '0') || '0');
  if (!Number.isSafeInteger(cents)) return fail(EURO_MESSAGES.tooLarge);
  return { ok: true, cents };
}

/**
 * An amount in cents as it stands in an input field: the Dutch amount without the euro sign,
 * which stands beside the field (`20.000`, `4.860,50`).
 */
export function eurosForInput(cents: number): string {
  return formatEuros(cents).replace('€ ', '');
}
