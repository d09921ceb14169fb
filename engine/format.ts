/**
 * Dutch formatting of the values the engine keeps in machine form: money is integer euro cents
 * inside and `€ 20.000` on screen and in letters; dates are ISO inside and `1 januari 2027` outside.
 * Pure, without `Intl` locale data, so the server, the command line and the browser all print
 * the same characters.
 */

const MONTHS = [
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
] as const;

/** Digits grouped by dots, as Dutch writes thousands: 1234567 → "1.234.567". */
function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/**
 * An amount in cents as Dutch writes it: whole euros without decimals, otherwise with a comma.
 *
 * @example
 *   formatEuros(2_000_000); // "€ 20.000"
 *   formatEuros(486_050); // "€ 4.860,50"
 */
export function formatEuros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  const euros = Math.floor(abs / 100);
  const rest = abs % 100;
  return `${sign}€ ${groupThousands(euros)}${rest === 0 ? '' : `,${String(rest).padStart(2, '0')}`}`;
}

/**
 * An ISO date as Dutch writes it in a letter.
 *
 * @example
 *   formatDate('2027-01-01'); // "1 januari 2027"
 */
export function formatDate(iso: string): string {
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number);
  return `${day} ${MONTHS[(month ?? 1) - 1]} ${year}`;
}

/**
 * A yearly moment (`MM-DD`, as entry moments are written) in words; anything else as it is.
 *
 * @example
 *   formatMonthDay('07-01'); // "1 juli"
 */
export function formatMonthDay(monthDay: string): string {
  const match = /^(\d{2})-(\d{2})$/.exec(monthDay);
  const month = match ? MONTHS[Number(match[1]) - 1] : undefined;
  return match && month ? `${Number(match[2])} ${month}` : monthDay;
}

/**
 * An ISO instant as a Dutch date and time in the Netherlands' time zone (CET, or CEST from the
 * last Sunday of March to the last Sunday of October), with the zone named so nobody has to guess.
 *
 * @example
 *   formatDateTime('2026-03-02T09:15:00.000Z'); // "2 maart 2026 om 10:15 (CET)"
 */
export function formatDateTime(iso: string): string {
  const utc = new Date(iso);
  if (Number.isNaN(utc.getTime())) return iso;
  const summer = isDutchSummerTime(utc);
  const local = new Date(utc.getTime() + (summer ? 2 : 1) * 3_600_000);
  const date = local.toISOString();
  return `${formatDate(date)} om ${date.slice(11, 16)} (${summer ? 'CEST' : 'CET'})`;
}

/** EU summer time: from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October. */
function isDutchSummerTime(utc: Date): boolean {
  const year = utc.getUTCFullYear();
  const lastSunday = (month: number) => {
    const last = new Date(Date.UTC(year, month + 1, 0, 1));
    return new Date(last.getTime() - last.getUTCDay() * 86_400_000);
  };
  return utc >= lastSunday(2) && utc < lastSunday(9);
}

/** "1 jaar", "2 jaar"; "1 dag", "3 dagen": Dutch counts with their noun. */
export function count(n: number, one: string, many: string): string {
  return `${groupThousands(n)} ${n === 1 ? one : many}`;
}

/** A Dutch list: "a", "a en b", "a, b en c". */
export function listInWords(items: readonly string[], last = 'en'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`;
}
