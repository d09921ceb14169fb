import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  nextValidFrom,
  addMonths,
  ageInYears,
  calendarMonthsTouched,
  calendarWeeksTouched,
  dayNumber,
  daysInclusive,
  fromDayNumber,
  isValidIsoDate,
  monthsSpanned,
  monthsUntil,
  periodsOverlap,
} from '../engine/dates.js';

describe('calendar arithmetic', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2026-13-01', false],
    ['2026-04-31', false],
    ['2026-4-1', false],
    ['2026-00-10', false],
  ])('%s is a real date: %s', (iso, valid) => {
    expect(isValidIsoDate(iso)).toBe(valid);
  });

  it.each([
    // the day before, on and after the 7th birthday
    ['2019-03-02', '2026-03-01', 6],
    ['2019-03-02', '2026-03-02', 7],
    ['2019-03-02', '2026-03-03', 7],
    ['2013-03-02', '2026-03-01', 12],
    ['2013-03-02', '2026-03-02', 13],
    // born on 29 February: the birthday counts as reached on 1 March in other years
    ['2016-02-29', '2023-02-28', 6],
    ['2016-02-29', '2023-03-01', 7],
    // before birth
    ['2026-06-01', '2026-03-01', -1],
  ])('born %s is %i years on %s', (birth, ref, age) => {
    expect(ageInYears(birth, ref)).toBe(age);
  });

  it('counts both the start and the end date of a period', () => {
    expect(daysInclusive('2026-04-10', '2026-04-10')).toBe(1);
    expect(daysInclusive('2026-04-10', '2026-05-07')).toBe(28);
    expect(daysInclusive('2026-04-10', '2026-05-08')).toBe(29);
    expect(daysInclusive('2024-02-01', '2024-03-01')).toBe(30); // leap year
  });

  it('clamps to the end of the month when adding months', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-03-01', -9)).toBe('2025-06-01');
  });

  it('measures the months a period spans', () => {
    expect(monthsSpanned('2026-02-01', '2026-07-31')).toBe(6);
    expect(monthsSpanned('2026-02-01', '2026-08-01')).toBe(7);
    expect(monthsSpanned('2026-02-01', '2026-02-01')).toBe(1);
    expect(monthsSpanned('2026-01-01', '2026-12-31')).toBe(12);
    expect(monthsSpanned('2026-01-01', '2027-01-01')).toBe(13);
  });

  it('counts whole months from the start date, not calendar months touched', () => {
    expect(monthsSpanned('2027-01-31', '2027-02-28')).toBe(1);
    expect(monthsSpanned('2027-01-01', '2027-01-31')).toBe(1);
    expect(monthsSpanned('2027-01-01', '2027-02-01')).toBe(2); // a month and a day
    expect(monthsSpanned('2027-01-28', '2027-02-27')).toBe(1);
    expect(monthsSpanned('2027-01-28', '2027-02-28')).toBe(2);
    expect(monthsSpanned('2027-01-31', '2027-03-01')).toBe(2);
    expect(monthsSpanned('2028-01-31', '2028-02-29')).toBe(1); // leap year
    expect(monthsSpanned('2028-01-29', '2028-02-28')).toBe(1);
    expect(monthsSpanned('2028-01-29', '2028-02-29')).toBe(2);
    expect(monthsSpanned('2026-03-31', '2026-04-30')).toBe(1);
    // volumes per month keep counting the calendar months a period touches
    expect(calendarMonthsTouched('2027-01-31', '2027-02-28')).toBe(2);
  });

  it('counts the months until a later birth, rounded up', () => {
    expect(monthsUntil('2026-03-01', '2026-03-01')).toBe(0);
    expect(monthsUntil('2026-03-01', '2020-01-01')).toBe(0);
    expect(monthsUntil('2026-03-01', '2026-12-01')).toBe(9);
    expect(monthsUntil('2026-03-01', '2026-12-02')).toBe(10);
    expect(monthsUntil('2026-03-01', '2026-03-02')).toBe(1);
  });

  it('treats touching periods as overlapping and adjacent ones as not', () => {
    const existing = { startDate: '2026-01-01', endDate: '2026-01-31' };
    expect(periodsOverlap(existing, { startDate: '2026-01-31', endDate: '2026-03-01' })).toBe(true);
    expect(periodsOverlap(existing, { startDate: '2026-02-01', endDate: '2026-03-01' })).toBe(false);
    expect(periodsOverlap(existing, { startDate: '2025-12-01', endDate: '2026-01-01' })).toBe(true);
    expect(periodsOverlap(existing, { startDate: '2025-12-01', endDate: '2025-12-31' })).toBe(false);
    // an open-ended allocation overlaps everything after its start
    expect(periodsOverlap({ startDate: '2020-01-01' }, { startDate: '2030-01-01', endDate: '2030-02-01' })).toBe(true);
  });

  it('counts calendar weeks (Monday to Sunday) and months a period touches', () => {
    // 2026-03-01 is a Sunday, 2026-03-02 a Monday
    expect(calendarWeeksTouched('2026-03-01', '2026-03-02')).toBe(2);
    expect(calendarWeeksTouched('2026-03-02', '2026-03-08')).toBe(1);
    expect(calendarWeeksTouched('2026-03-02', '2026-03-09')).toBe(2);
    expect(calendarMonthsTouched('2026-01-31', '2026-02-01')).toBe(2);
    expect(calendarMonthsTouched('2026-02-01', '2026-07-31')).toBe(6);
    expect(calendarMonthsTouched('2025-12-15', '2026-01-15')).toBe(2);
  });
});

describe('month counting agrees with its definition by addMonths', () => {
  // dates from 1900 to 2100 as ISO text, the way cases carry them
  const isoDate = fc
    .integer({ min: dayNumber('1900-01-01'), max: dayNumber('2100-12-31') })
    .map((n) => fromDayNumber(n));

  it('monthsSpanned is the smallest m whose m-th month from the start ends on or after the end', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 0, max: 800 }), (start, length) => {
        const end = fromDayNumber(dayNumber(start) + length);
        // the m-th month ends the day before start + m months, or on the last day of the month
        // reached when the start's day does not exist there (addMonths then clamps)
        const lastDayOf = (m: number) => {
          const reached = addMonths(start, m);
          return reached.slice(8) < start.slice(8) ? dayNumber(reached) : dayNumber(reached) - 1;
        };
        let m = 1;
        while (lastDayOf(m) < dayNumber(end)) m += 1;
        expect(monthsSpanned(start, end)).toBe(m);
      }),
    );
  });

  it('monthsUntil is the smallest m with reference + m months on or after the later date', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -400, max: 400 }), (reference, offset) => {
        const later = fromDayNumber(dayNumber(reference) + offset);
        let m = 0;
        while (dayNumber(addMonths(reference, m)) < dayNumber(later)) m += 1;
        expect(monthsUntil(reference, later)).toBe(m);
      }),
    );
  });

  it('refuses text that is not an ISO date instead of guessing', () => {
    for (const bad of ['2026-1-01', '2026/01/01', '2026-01-0x', '+02026-01-01']) {
      expect(() => dayNumber(bad)).toThrow(RangeError);
    }
  });
});

describe('the next valid-from date', () => {
  it('is today when the latest version started before today, or there is none', () => {
    expect(nextValidFrom('2026-01-01', '2026-03-02')).toBe('2026-03-02');
    expect(nextValidFrom(undefined, '2026-03-02')).toBe('2026-03-02');
  });

  it('is the day after the latest version when that starts today or later', () => {
    expect(nextValidFrom('2026-03-02', '2026-03-02')).toBe('2026-03-03');
    expect(nextValidFrom('2026-12-31', '2026-03-02')).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});

describe('far dates', () => {
  it('reads years below 100 as they are written, not as 19xx', () => {
    expect(dayNumber('0050-01-01')).toBeLessThan(dayNumber('1000-01-01'));
    expect(daysInclusive('0004-02-01', '0004-03-01')).toBe(30); // the year 4 was a leap year
  });

  it('has no date after 9999-12-31: the next valid-from date is a clear problem at $.validFrom', () => {
    expect(nextValidFrom('9999-12-30', '2026-01-01')).toBe('9999-12-31');
    expect(() => nextValidFrom('9999-12-31', '2026-01-01')).toThrow(
      expect.objectContaining({
        code: 'VALID_FROM_TOO_LATE',
        issues: [expect.objectContaining({ path: '$.validFrom' })],
      }),
    );
  });
});

describe('day numbers by arithmetic', () => {
  it('equal Date.UTC for every day from 1599 to 2401 and around year 0', () => {
    for (const from of [Date.UTC(1599, 0, 1) / 86_400_000, -719_528 - 800]) {
      for (let n = from; n < from + (from < 0 ? 1_600 : 293_000); n++) {
        const iso = fromDayNumber(n);
        if (iso.startsWith('-') || iso.length !== 10) continue;
        expect(dayNumber(iso)).toBe(n);
      }
    }
    expect(dayNumber('0000-03-01')).toBe(-719_468);
  });
});
