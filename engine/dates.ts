/**
 * Calendar arithmetic on ISO dates (`YYYY-MM-DD`) without time zones: every date is a day
 * number (days since 1970-01-01, UTC), so nothing depends on where the server runs.
 */

import { CompositionError } from './errors.js';

const MS_PER_DAY = 86_400_000;

/** The last date an ISO date of four-digit years can name: nothing comes after it. */
export const LAST_ISO_DATE = '9999-12-31';

/**
 * `Date.UTC`, also for the years 0–99 (which `Date.UTC` takes for 1900–1999). Dates are read with
 * four-digit years, so 0001-01-01 is the year 1, not 1901.
 */
function utc(year: number, monthIndex: number, day: number): number {
  if (year >= 100) return Date.UTC(year, monthIndex, day);
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d.getTime();
}

interface Ymd {
  year: number;
  month: number; // 1–12
  day: number;
}

/**
 * Year, month and day of an ISO date. Read digit by digit rather than with a regular expression:
 * deriving a case's facts parses a dozen dates, and this is most of that work.
 */
function parts(iso: string): Ymd {
  if (iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) notIso(iso);
  return { year: digits(iso, 0, 4), month: digits(iso, 5, 7), day: digits(iso, 8, 10) };
}

function digits(iso: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = iso.charCodeAt(i) - 48;
    if (d < 0 || d > 9) notIso(iso);
    n = n * 10 + d;
  }
  return n;
}

function notIso(iso: string): never {
  throw new RangeError(`Not an ISO date: ${iso}`);
}

/** True for an existing calendar date such as 2024-02-29; false for 2023-02-29 or 2026-13-01. */
export function isValidIsoDate(iso: string): boolean {
  // by character rather than with ISO and a Date: every case checks half a dozen dates with this
  if (iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return false;
  const year = digitsOrNaN(iso, 0, 4);
  const month = digitsOrNaN(iso, 5, 7);
  const day = digitsOrNaN(iso, 8, 10);
  // NaN (a character that is no digit) fails every comparison
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function digitsOrNaN(iso: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = iso.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar (as Date.UTC counts, year 0 a leap year). */
function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}

function dayNumberOf({ year, month, day }: Ymd): number {
  if (month < 1 || month > 12) return utc(year, month - 1, day) / MS_PER_DAY;
  return daysFromCivil(year, month, day);
}

/**
 * Days since 1970-01-01 of a date in the proleptic Gregorian calendar, by arithmetic (H. Hinnant's
 * days_from_civil) rather than Date.UTC: a decision reads a dozen dates, and this was a tenth of
 * its time. Linear in the day, as Date.UTC is (30 February is 2 March).
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Day number of an ISO date (days since 1970-01-01). */
export function dayNumber(iso: string): number {
  return dayNumberOf(parts(iso));
}

/** The ISO date of a day number. */
export function fromDayNumber(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The date `days` days later (or earlier, for a negative number). */
export function addDays(iso: string, days: number): string {
  return fromDayNumber(dayNumber(iso) + days);
}

/** The calendar date (UTC) of an ISO timestamp such as `2026-03-02T09:30:00.000Z`. */
export function dateOf(timestamp: string): string {
  return timestamp.slice(0, 10);
}

/**
 * The first date a new version can be valid from: today, unless the latest version starts today
 * or later, then the day after it (versions of one rule set start on different days, in order).
 */
export function nextValidFrom(latestValidFrom: string | undefined, today: string): string {
  if (latestValidFrom === undefined || dayNumber(today) > dayNumber(latestValidFrom)) return today;
  // no date follows the last one a date can name (a version valid from 9999-12-31 is the last)
  if (latestValidFrom >= LAST_ISO_DATE)
    throw new CompositionError(
      'VALID_FROM_TOO_LATE',
      `De laatste versie geldt vanaf ${latestValidFrom}; daarna kan geen versie meer beginnen.`,
      [{ path: '$.validFrom', message: `Na ${latestValidFrom} is er geen datum meer.`, code: 'VALID_FROM_TOO_LATE' }],
    );
  return addDays(latestValidFrom, 1);
}

/**
 * Whole years between birth and the reference date: the age on that day. A birthday on
 * 29 February counts as reached on 1 March in non-leap years. Negative before birth.
 */
export function ageInYears(birthDate: string, referenceDate: string): number {
  const b = parts(birthDate);
  const r = parts(referenceDate);
  let years = r.year - b.year;
  if (r.month < b.month || (r.month === b.month && r.day < b.day)) years -= 1;
  return years;
}

/** The same day `months` months later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(iso: string, months: number): string {
  const { year: y, month: m, day: d } = plusMonths(parts(iso), months);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function plusMonths({ year, month, day }: Ymd, months: number): Ymd {
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return { year: y, month: m, day: Math.min(day, daysInMonth(y, m)) };
}

/** Days in a period counting both the start and the end date (a one-day period is 1). */
export function daysInclusive(startDate: string, endDate: string): number {
  return dayNumber(endDate) - dayNumber(startDate) + 1;
}

/**
 * How many whole months a period lasts, counted from its start date (both dates inclusive): the
 * smallest `m` ≥ 1 such that the period ends on or before the last day of its `m`-th month. That
 * month ends the day before `startDate + m months`, or, when the start's day does not exist in
 * the month reached (31 January + 1 month), on that month's last day. So 31 January … 28 February
 * is 1 month, 1 … 31 January is 1, 1 January … 1 February is 2 (a month and a day), 28 January …
 * 27 February is 1 and 28 January … 28 February is 2. This is the length of an indication; volumes
 * `per-maand` count calendar months touched instead (`calendarMonthsTouched`).
 */
export function monthsSpanned(startDate: string, endDate: string): number {
  const start = parts(startDate);
  const end = dayNumber(endDate);
  let m = Math.max(1, Math.floor((end - dayNumberOf(start)) / 31));
  while (lastDayOfMonthNumber(start, m) < end) m += 1;
  return m;
}

/** Day number of the last day of the `m`-th month from `start` (see `monthsSpanned`). */
function lastDayOfMonthNumber(start: Ymd, m: number): number {
  const reached = plusMonths(start, m);
  const clamped = reached.day < start.day;
  return dayNumberOf(reached) - (clamped ? 0 : 1);
}

/**
 * How many months lie between the reference date and a later birth date, rounded up: 0 when the
 * child is born. A birth exactly nine months after the reference date gives 9, a day later 10.
 */
export function monthsUntil(referenceDate: string, laterDate: string): number {
  const reference = parts(referenceDate);
  const later = dayNumber(laterDate);
  if (later <= dayNumberOf(reference)) return 0;
  let m = 0;
  while (dayNumberOf(plusMonths(reference, m)) < later) m += 1;
  return m;
}

/** Inclusive periods; a missing end date is open-ended. Touching on one shared day overlaps. */
export function periodsOverlap(
  a: { startDate: string; endDate?: string | undefined },
  b: { startDate: string; endDate?: string | undefined },
): boolean {
  const aEnd = a.endDate === undefined ? Infinity : dayNumber(a.endDate);
  const bEnd = b.endDate === undefined ? Infinity : dayNumber(b.endDate);
  return dayNumber(a.startDate) <= bEnd && dayNumber(b.startDate) <= aEnd;
}

/** Calendar weeks (Monday to Sunday) that a period touches. */
export function calendarWeeksTouched(startDate: string, endDate: string): number {
  // 1970-01-01 was a Thursday: shift so that weeks start on Monday.
  const week = (iso: string) => Math.floor((dayNumber(iso) + 3) / 7);
  return week(endDate) - week(startDate) + 1;
}

/** Calendar months that a period touches. */
export function calendarMonthsTouched(startDate: string, endDate: string): number {
  const s = parts(startDate);
  const e = parts(endDate);
  return (e.year - s.year) * 12 + (e.month - s.month) + 1;
}

/** `MM-DD` of a date, to compare with yearly moments such as 01-01 and 07-01. */
export function monthDay(iso: string): string {
  return iso.slice(5, 10);
}
