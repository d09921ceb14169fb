/**
 * Spreadsheets both ways: a regional rule set's tariff grid, its parameters with their bounds and
 * its test cases as sheets with Dutch headers (amounts in euros, dates as dates), in `.xlsx` (one
 * sheet each) or `.csv` (one sheet a file); and a file read back into a draft, refused with a
 * problem per cell (`Tarieven!C7: "drie" is geen bedrag`). The file format is exceljs's: no zip or
 * XML is written here. Export followed by import gives the same draft.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  INTENSITIES,
  type Issue,
  IJW_UNITS,
  OUTCOMES,
  type Outcome,
  type Parameter,
  PRODUCT_LEVELS,
  type RegionRuleSet,
  type RuleSetDraft,
} from '../engine/index.js';
import { ProblemError } from './problems.js';

export const SHEETS = { tarieven: 'Tarieven', parameters: 'Parameters', testgevallen: 'Testgevallen' } as const;
export type SheetKey = keyof typeof SHEETS;
export const SHEET_KEYS = Object.keys(SHEETS) as SheetKey[];

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv';

/** A test case as the spreadsheet holds it. */
export interface SheetTestCase {
  name: string;
  case: unknown;
  expected: { outcome: Outcome; codes: string[] };
}

type RegionDraft = Extract<RuleSetDraft, { kind: 'region' }>;

const OUTPUT_TARIFF_HEADERS = ['Profiel', 'Intensiteit', 'Bedrag (€)', 'Bron'];
const EFFORT_TARIFF_HEADERS = ['Product', 'Niveau', 'Eenheid', 'Bedrag (€)', 'Bron'];
const PARAMETER_HEADERS = [
  'Naam',
  'Omschrijving',
  'Soort',
  'Waarde',
  'Eenheid',
  'Gemeente mag wijzigen',
  'Minimum',
  'Maximum',
  'Toegestane waarden',
  'Minimaal aantal',
];
const TEST_CASE_HEADERS = [
  'Naam',
  'Gemeente',
  'Peildatum',
  'Verwachte uitkomst',
  'Verwachte redencodes',
  'Casus (JSON)',
];
const EURO_FORMAT = '#,##0.00';

const sourceText = (source: RegionRuleSet['tariffs']['source'] | undefined) =>
  source === undefined ? '' : source === 'illustratief' ? 'illustratief' : `${source.document}, ${source.section}`;
const euros = (cents: number) => cents / 100;
const listText = (values: readonly string[] | undefined) => (values ?? []).join(', ');
const dateOf = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

function headerRow(sheet: ExcelJS.Worksheet, headers: string[]) {
  sheet.addRow(headers).font = { bold: true };
  sheet.columns.forEach((column, i) => (column.width = Math.max(12, headers[i]!.length + 4)));
}

function addSheets(workbook: ExcelJS.Workbook, doc: RegionDraft, testCases: SheetTestCase[], only?: SheetKey) {
  if (!only || only === 'tarieven') {
    const sheet = workbook.addWorksheet(SHEETS.tarieven);
    if (doc.tariffs.model === 'output') {
      headerRow(sheet, OUTPUT_TARIFF_HEADERS);
      for (const t of doc.tariffs.middleSegment)
        sheet.addRow([t.profile, t.intensity, euros(t.priceCents), sourceText(t.source)]);
      sheet.getColumn(3).numFmt = EURO_FORMAT;
    } else {
      headerRow(sheet, EFFORT_TARIFF_HEADERS);
      for (const t of doc.tariffs.products)
        sheet.addRow([t.product, t.level ?? '', t.unit, euros(t.priceCents), sourceText(t.source)]);
      sheet.getColumn(4).numFmt = EURO_FORMAT;
    }
  }
  if (!only || only === 'parameters') {
    const sheet = workbook.addWorksheet(SHEETS.parameters);
    headerRow(sheet, PARAMETER_HEADERS);
    for (const [name, p] of Object.entries(doc.parameters)) {
      const money = p.type === 'cents';
      const bound = (v: number | undefined) => (v === undefined ? '' : money ? euros(v) : v);
      const o = p.municipalOverride;
      sheet.addRow([
        name,
        p.label,
        p.type,
        Array.isArray(p.value) ? listText(p.value) : money ? euros(p.value) : p.value,
        money ? 'euro' : 'unit' in p ? p.unit : '',
        o.allowed ? 'ja' : 'nee',
        bound(o.min),
        bound(o.max),
        listText(o.allowedValues),
        o.minItems ?? '',
      ]);
    }
  }
  if (!only || only === 'testgevallen') {
    const sheet = workbook.addWorksheet(SHEETS.testgevallen);
    headerRow(sheet, TEST_CASE_HEADERS);
    for (const t of testCases) {
      const c = t.case as { municipality?: unknown; referenceDate?: unknown };
      const date = typeof c.referenceDate === 'string' ? dateOf(c.referenceDate) : '';
      sheet.addRow([
        t.name,
        typeof c.municipality === 'string' ? c.municipality : '',
        date,
        t.expected.outcome,
        t.expected.codes.join(', '),
        JSON.stringify(t.case),
      ]);
    }
    sheet.getColumn(3).numFmt = 'yyyy-mm-dd';
  }
}

/** The rule set's sheets as an `.xlsx` file, or one sheet as `.csv`. */
export async function exportSpreadsheet(
  doc: RegionDraft,
  testCases: SheetTestCase[],
  format: 'xlsx' | 'csv',
  sheet: SheetKey = 'tarieven',
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'jeugdzorg-regels';
  if (format === 'xlsx') {
    addSheets(workbook, doc, testCases);
    return new Uint8Array(await workbook.xlsx.writeBuffer());
  }
  addSheets(workbook, doc, testCases, sheet);
  const buffer = await workbook.csv.writeBuffer({
    sheetName: SHEETS[sheet],
    map: (value: unknown) =>
      value instanceof Date ? value.toISOString().slice(0, 10) : value === null || value === undefined ? '' : value,
  } as unknown as Parameters<typeof workbook.csv.writeBuffer>[0]);
  return new Uint8Array(buffer);
}

// ---- import ----------------------------------------------------------------------------------

/** What a file changes: the new draft document and the test cases it adds or replaces. */
export interface SpreadsheetImport {
  document: RegionDraft;
  testCases: SheetTestCase[] | undefined;
}

class CellReader {
  readonly issues: Issue[] = [];
  constructor(readonly sheet: ExcelJS.Worksheet) {}

  ref(row: number, col: number) {
    return `${this.sheet.name}!${this.sheet.getColumn(col).letter}${row}`;
  }

  fail(row: number, col: number, message: string) {
    this.issues.push({ path: this.ref(row, col), message, code: 'INVALID_CELL' });
    return undefined;
  }

  raw(row: number, col: number): unknown {
    const value = this.sheet.getRow(row).getCell(col).value;
    if (value && typeof value === 'object' && !(value instanceof Date)) {
      const v = value as { result?: unknown; richText?: { text: string }[]; text?: unknown };
      if (v.richText) return v.richText.map((t) => t.text).join('');
      if ('result' in v) return v.result;
      if (typeof v.text === 'string') return v.text;
    }
    return value;
  }

  text(row: number, col: number): string {
    const v = this.raw(row, col);
    if (v === null || v === undefined) return '';
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    return String(v).trim();
  }

  shown(row: number, col: number) {
    return `"${this.text(row, col)}"`;
  }

  number(row: number, col: number, what = 'getal'): number | undefined {
    const v = this.raw(row, col);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    const t = this.text(row, col);
    // 1234.5, 1234,5 and 1.234,50 (Dutch); no thousands separators otherwise
    const dutch = /^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)
      ? t.replaceAll('.', '').replace(',', '.')
      : t.replace(',', '.');
    if (/^-?\d+(\.\d+)?$/.test(dutch)) return Number(dutch);
    return this.fail(row, col, `${this.shown(row, col)} is geen ${what}`);
  }

  integer(row: number, col: number): number | undefined {
    const n = this.number(row, col, 'geheel getal');
    if (n === undefined) return undefined;
    return Number.isInteger(n) ? n : this.fail(row, col, `${this.shown(row, col)} is geen geheel getal`);
  }

  /** An amount in euros, as euro cents. */
  cents(row: number, col: number, options: { negative?: boolean } = {}): number | undefined {
    const t = this.text(row, col).replace(/^€\s*/, '');
    const v = this.raw(row, col);
    const n =
      typeof v === 'number'
        ? v
        : /^-?\d+([.,]\d+)?$/.test(t) || /^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)
          ? Number(
              /^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t) ? t.replaceAll('.', '').replace(',', '.') : t.replace(',', '.'),
            )
          : undefined;
    if (n === undefined || !Number.isFinite(n)) return this.fail(row, col, `${this.shown(row, col)} is geen bedrag`);
    const cents = Math.round(n * 100);
    if (Math.abs(n * 100 - cents) > 1e-6)
      return this.fail(row, col, `${this.shown(row, col)} is geen bedrag in hele centen`);
    if (cents < 0 && !options.negative) return this.fail(row, col, `${this.shown(row, col)} is een negatief bedrag`);
    return cents;
  }

  oneOf<T extends string>(row: number, col: number, values: readonly T[], what: string): T | undefined {
    const t = this.text(row, col);
    return (values as readonly string[]).includes(t)
      ? (t as T)
      : this.fail(row, col, `${this.shown(row, col)} is geen ${what} (${values.join(', ')})`);
  }

  list(row: number, col: number): string[] {
    const t = this.text(row, col);
    return t === '' ? [] : t.split(',').map((s) => s.trim());
  }

  /** Row numbers of the data rows: from row 2 to the last row with a value. */
  dataRows(): number[] {
    const rows: number[] = [];
    for (let r = 2; r <= this.sheet.rowCount; r++) {
      const values = this.sheet.getRow(r).values as unknown[];
      if (values.some((v) => v !== null && v !== undefined && String(v).trim() !== '')) rows.push(r);
    }
    return rows;
  }

  expectHeaders(headers: string[]) {
    headers.forEach((h, i) => {
      if (this.text(1, i + 1) !== h) this.fail(1, i + 1, `verwacht kop "${h}", niet ${this.shown(1, i + 1)}`);
    });
  }
}

function readTariffs(r: CellReader, doc: RegionDraft): RegionDraft['tariffs'] {
  const seen = new Map<string, number>();
  const duplicate = (key: string, row: number) => {
    if (seen.has(key)) r.fail(row, 1, `deze regel staat al op rij ${seen.get(key)}`);
    seen.set(key, row);
  };
  if (doc.tariffs.model === 'output') {
    r.expectHeaders(OUTPUT_TARIFF_HEADERS);
    const before = doc.tariffs.middleSegment;
    const middleSegment = r.dataRows().flatMap((row) => {
      const profile = r.integer(row, 1);
      if (profile !== undefined && (profile < 1 || profile > 12))
        r.fail(row, 1, `profiel ${profile} bestaat niet (1–12)`);
      const intensity = r.oneOf(row, 2, INTENSITIES, 'intensiteit');
      const priceCents = r.cents(row, 3);
      if (profile === undefined || intensity === undefined || priceCents === undefined) return [];
      duplicate(`${profile}.${intensity}`, row);
      const source = before.find((t) => t.profile === profile && t.intensity === intensity)?.source;
      return [{ profile, intensity, priceCents, ...(source === undefined ? {} : { source }) }];
    });
    return { ...doc.tariffs, middleSegment };
  }
  r.expectHeaders(EFFORT_TARIFF_HEADERS);
  const before = doc.tariffs.products;
  const products = r.dataRows().flatMap((row) => {
    const product = r.text(row, 1);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(product)) r.fail(row, 1, `${r.shown(row, 1)} is geen product`);
    const levelText = r.text(row, 2);
    const level = levelText === '' ? undefined : r.oneOf(row, 2, PRODUCT_LEVELS, 'niveau');
    const unit = r.oneOf(row, 3, IJW_UNITS, 'eenheid');
    const priceCents = r.cents(row, 4);
    if (unit === undefined || priceCents === undefined || (levelText !== '' && level === undefined)) return [];
    duplicate(`${product}.${level ?? ''}.${unit}`, row);
    const source = before.find((t) => t.product === product && t.level === level && t.unit === unit)?.source;
    return [
      {
        product,
        ...(level === undefined ? {} : { level }),
        unit,
        priceCents,
        ...(source === undefined ? {} : { source }),
      },
    ];
  });
  return { ...doc.tariffs, products };
}

function readParameters(r: CellReader, doc: RegionDraft): RegionDraft['parameters'] {
  r.expectHeaders(PARAMETER_HEADERS);
  const parameters = { ...doc.parameters };
  for (const row of r.dataRows()) {
    const name = r.text(row, 1);
    const p = parameters[name];
    if (!p) {
      r.fail(row, 1, `parameter "${name}" bestaat niet in deze regelset`);
      continue;
    }
    const money = p.type === 'cents';
    const bound = (col: number) =>
      r.text(row, col) === '' ? undefined : money ? r.cents(row, col) : r.number(row, col);
    let value: Parameter['value'] | undefined;
    if (p.type === 'month-days' || p.type === 'string-list') value = r.list(row, 4);
    else if (p.type === 'cents') value = r.cents(row, 4);
    else if (p.type === 'integer') value = r.integer(row, 4);
    else value = r.number(row, 4);
    const allowed = r.oneOf(row, 6, ['ja', 'nee'] as const, 'ja of nee');
    const min = bound(7);
    const max = bound(8);
    const allowedValues = r.text(row, 9) === '' ? undefined : r.list(row, 9);
    const minItems = r.text(row, 10) === '' ? undefined : r.integer(row, 10);
    if (value === undefined || allowed === undefined) continue;
    const override = {
      allowed: allowed === 'ja',
      ...(min === undefined ? {} : { min }),
      ...(max === undefined ? {} : { max }),
      ...(allowedValues === undefined ? {} : { allowedValues }),
      ...(minItems === undefined ? {} : { minItems }),
    };
    parameters[name] = { ...p, value, municipalOverride: override } as Parameter;
  }
  return parameters;
}

function readTestCases(r: CellReader): SheetTestCase[] {
  r.expectHeaders(TEST_CASE_HEADERS);
  return r.dataRows().flatMap((row) => {
    const name = r.text(row, 1);
    if (name === '') r.fail(row, 1, 'een testgeval heeft een naam');
    const outcome = r.oneOf(row, 4, OUTCOMES, 'uitkomst');
    const codes = r.list(row, 5);
    let c: unknown;
    try {
      c = JSON.parse(r.text(row, 6));
    } catch {
      return r.fail(row, 6, 'de casus is geen JSON') ?? [];
    }
    if (name === '' || outcome === undefined) return [];
    return [{ name, case: c, expected: { outcome, codes } }];
  });
}

/** Which sheet a CSV file is, from its first header. */
function sheetOfHeader(first: string): SheetKey | undefined {
  if (first === 'Profiel' || first === 'Product') return 'tarieven';
  if (first === 'Naam') return undefined; // parameters and test cases both start with Naam
  return undefined;
}

/**
 * Reads a file into a draft: the sheets it holds replace the tariff grid, update the parameters
 * it names, and give the test cases. Throws a 422 with a problem per cell.
 */
export async function importSpreadsheet(
  doc: RegionDraft,
  body: Uint8Array,
  format: 'xlsx' | 'csv',
  csvSheet?: SheetKey,
): Promise<SpreadsheetImport> {
  const workbook = new ExcelJS.Workbook();
  const sheets: [SheetKey, ExcelJS.Worksheet][] = [];
  try {
    if (format === 'xlsx') {
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
      for (const key of SHEET_KEYS) {
        const sheet = workbook.getWorksheet(SHEETS[key]);
        if (sheet) sheets.push([key, sheet]);
      }
    } else {
      const sheet = await workbook.csv.read(Readable.from([Buffer.from(body)]), {
        sheetName: 'csv',
        map: (value: unknown) => value,
      } as unknown as Parameters<typeof workbook.csv.read>[1]);
      const first = String(sheet.getRow(1).getCell(1).value ?? '').trim();
      const second = String(sheet.getRow(1).getCell(2).value ?? '').trim();
      const key = csvSheet ?? sheetOfHeader(first) ?? (second === 'Omschrijving' ? 'parameters' : 'testgevallen');
      sheet.name = SHEETS[key];
      sheets.push([key, sheet]);
    }
  } catch {
    throw new ProblemError(422, 'INVALID_SPREADSHEET', 'Het bestand is geen leesbaar Excel- of CSV-bestand.');
  }
  if (sheets.length === 0)
    throw new ProblemError(
      422,
      'INVALID_SPREADSHEET',
      `Het bestand heeft geen werkblad ${Object.values(SHEETS).join(', ')}.`,
    );

  const issues: Issue[] = [];
  let document: RegionDraft = doc;
  let testCases: SheetTestCase[] | undefined;
  for (const [key, sheet] of sheets) {
    const r = new CellReader(sheet);
    if (key === 'tarieven') document = { ...document, tariffs: readTariffs(r, doc) } as RegionDraft;
    else if (key === 'parameters') document = { ...document, parameters: readParameters(r, doc) };
    else testCases = readTestCases(r);
    issues.push(...r.issues);
  }
  if (issues.length > 0)
    throw new ProblemError(422, 'INVALID_SPREADSHEET', `Het bestand heeft ${issues.length} fout(en).`, issues);
  return { document, testCases };
}
