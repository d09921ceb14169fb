/**
 * Which value comes from which document, and which is provisional: one Markdown table generated
 * from the rule sets in rules/ (npm run values-table). It writes the full table between
 * `<!-- values-table:start -->` and `<!-- values-table:end -->` in rules/README.md, and a summary
 * per rule set version between the same markers in README.md, each formatted by prettier with
 * the repository's settings. `test/values-table.test.ts` regenerates both and fails when the
 * files are stale.
 *
 * Rows, per region version and per overlay version that sets values: every parameter, the tariff
 * table (summarised), the catalogue's markings (illustrative entries, the 2022 components) and
 * every illustrative rule; for an overlay every parameter it sets and every rule switch with a
 * source. The source column gives document and section, or "voorlopig (illustratief)".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import type * as Prettier from 'prettier';
import { formatDate, formatEuros, formatMonthDay } from '../format.js';
import { DEFAULT_RULES_DIR, loadRuleSetFiles } from '../loader.js';
import type { MunicipalityOverlay, Parameter, RegionRuleSet, Rule, RuleSetDocument, Source } from '../schema.js';

/**
 * Prettier as Node loads it: under vitest the editor's build configuration would resolve the
 * browser build, which cannot read the repository's settings.
 */
const prettier = createRequire(import.meta.url)('prettier') as typeof Prettier;

export const START_MARKER = '<!-- values-table:start -->';
export const END_MARKER = '<!-- values-table:end -->';
export const PROVISIONAL = 'voorlopig (illustratief)';

/** Singular of the parameter units, for a value of 1. */
const SINGULAR: Record<string, string> = {
  maanden: 'maand',
  dagen: 'dag',
  metingen: 'meting',
  cliënten: 'cliënt',
  productgroepen: 'productgroep',
  niveaus: 'niveau',
};

const EFFECT_IN_WORDS: Record<Rule['effect'], string> = {
  reject: 'weigert',
  review: 'naar een medewerker',
  info: 'ter informatie',
};

export interface ValueRow {
  /** What the value is: a parameter's label and name, a table, a catalogue marking, a rule. */
  what: string;
  value: string;
  source: string;
  /** Whether no source gives it (in whole or in part). */
  provisional: boolean;
  /** Short name for the summary. */
  name: string;
  /** The copied documents or standards it cites. */
  documents: string[];
}

export interface ValueGroup {
  /** `ijsselland v2`, `deventer v2` */
  ruleSet: string;
  validFrom: string;
  /** The region an overlay applies to; undefined for a region version. */
  overlayOn?: string;
  rows: ValueRow[];
}

// ---------------------------------------------------------------------------------------------
// Values in words
// ---------------------------------------------------------------------------------------------

const monthDay = formatMonthDay;

function listed(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} en ${items.at(-1)}`;
}

/** A parameter value as policy staff write it: `€ 25.000`, `28 dagen`, `70%`, `1 januari en 1 juli`. */
export function valueInWords(parameter: Pick<Parameter, 'type'> & { unit?: string }, value: unknown): string {
  switch (parameter.type) {
    case 'cents':
      return formatEuros(value as number);
    case 'percentage':
      return `${value as number}%`;
    case 'integer': {
      const n = value as number;
      const unit = parameter.unit ?? '';
      if (unit === 'percentiel') return `percentiel ${n}`;
      return `${n} ${n === 1 ? (SINGULAR[unit] ?? unit) : unit}`.trim();
    }
    case 'month-days': {
      const days = value as string[];
      if (days.length === 12 && days.every((d, i) => d === `${String(i + 1).padStart(2, '0')}-01`))
        return 'de 1e van elke maand';
      return days.length === 0 ? 'geen' : listed(days.map(monthDay));
    }
    case 'string-list': {
      const items = value as string[];
      return items.length === 0 ? 'geen' : items.join(', ');
    }
  }
}

function sourceInWords(source: Source): string {
  return source === 'illustratief' ? PROVISIONAL : `${source.document}, ${source.section}`;
}

function documentsOf(...sources: (Source | undefined)[]): string[] {
  return sources.flatMap((s) => (s === undefined || s === 'illustratief' ? [] : [s.document]));
}

/** `1–10`, `1–10 en 12`: consecutive profile numbers as ranges. */
function numberRanges(numbers: readonly number[]): string {
  const ranges: string[] = [];
  let i = 0;
  while (i < numbers.length) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j += 1;
    ranges.push(j - i >= 2 ? `${numbers[i]}–${numbers[j]}` : numbers.slice(i, j + 1).join(', '));
    i = j + 1;
  }
  return listed(ranges);
}

const code = (text: string) => `\`${text}\``;

// ---------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------

function parameterRows(region: RegionRuleSet): ValueRow[] {
  return Object.entries(region.parameters).map(([name, p]) => ({
    what: `${p.label} (${code(name)})`,
    value: valueInWords(p, p.value),
    source: sourceInWords(p.source),
    provisional: p.source === 'illustratief',
    name: code(name),
    documents: documentsOf(p.source),
  }));
}

function tariffRow(region: RegionRuleSet): ValueRow {
  const { tariffs } = region;
  const entries: { priceCents: number; source?: Source }[] =
    tariffs.model === 'output' ? tariffs.middleSegment : tariffs.products;
  const prices = entries.map((e) => e.priceCents);
  const bySource = new Map<string, number>();
  for (const e of entries) {
    const text = sourceInWords(e.source ?? tariffs.source);
    bySource.set(text, (bySource.get(text) ?? 0) + 1);
  }
  const source =
    bySource.size === 1
      ? [...bySource.keys()][0]!
      : [...bySource].map(([text, n]) => `${n} bedragen: ${text}`).join('; ');
  const what = tariffs.model === 'output' ? 'tarieven middensegment' : 'tarieven per product en niveau';
  return {
    what: `${what} (${entries.length} bedragen)`,
    value: prices.length === 0 ? 'geen' : `${formatEuros(Math.min(...prices))} tot ${formatEuros(Math.max(...prices))}`,
    source,
    provisional: entries.some((e) => (e.source ?? tariffs.source) === 'illustratief'),
    name: 'tarieven',
    documents: documentsOf(tariffs.source, ...entries.map((e) => e.source)),
  };
}

function catalogueRows(region: RegionRuleSet): ValueRow[] {
  const rows: ValueRow[] = [];
  if ('profiles' in region.catalogue) {
    const { profiles } = region.catalogue;
    for (const p of profiles.filter((x) => x.illustrative))
      rows.push({
        what: `profiel ${p.number}`,
        value: 'gemarkeerd als illustratief',
        source: `${sourceInWords(p.source)}; ${PROVISIONAL}${p.source.note ? `: ${p.source.note}` : ''}`,
        provisional: true,
        name: `profiel-${p.number}`,
        documents: documentsOf(p.source),
      });
    // the components (004): one row per assignment, profiles with the same one together
    const groups = new Map<string, { numbers: number[]; value: string; source: Source }>();
    for (const p of profiles) {
      if (p.component === undefined || p.componentSource === undefined) continue;
      const value =
        p.topSegmentComponent && p.topSegmentComponent !== p.component
          ? `${p.component}; in het topsegment ${p.topSegmentComponent}`
          : p.component;
      const key = JSON.stringify([value, p.componentSource]);
      const group = groups.get(key) ?? { numbers: [], value, source: p.componentSource };
      group.numbers.push(p.number);
      groups.set(key, group);
    }
    for (const { numbers, value, source } of groups.values())
      rows.push({
        what: `onderdeel van ${numbers.length === 1 ? 'profiel' : 'profielen'} ${numberRanges(numbers)}`,
        value,
        source: sourceInWords(source),
        provisional: source === 'illustratief',
        name: `onderdeel van ${numbers.length === 1 ? 'profiel' : 'profielen'} ${numberRanges(numbers)}`,
        documents: documentsOf(source),
      });
  } else {
    const { products } = region.catalogue;
    const marked = products.filter((p) => p.illustrative);
    if (marked.length > 0) {
      const notes = [...new Set(marked.map((p) => (p.source === 'illustratief' ? '' : (p.source.note ?? ''))))];
      const cited = [...new Set(marked.map((p) => sourceInWords(p.source)))];
      const note = notes.length === 1 && notes[0] !== '' ? `: ${notes[0]}` : '';
      rows.push({
        what: `productcatalogus (${products.length} producten)`,
        value: `${marked.length} gemarkeerd als illustratief`,
        source: `${cited.join('; ')}; ${PROVISIONAL}${note}`,
        provisional: true,
        name: 'productcatalogus',
        documents: documentsOf(...marked.map((p) => p.source)),
      });
    }
  }
  return rows;
}

function illustrativeRuleRows(region: RegionRuleSet): ValueRow[] {
  return region.rules
    .filter((r) => r.illustrative)
    .map((r) => ({
      what: `regel ${code(r.id)}`,
      value: `${EFFECT_IN_WORDS[r.effect]}${r.optional ? `; ${r.optional.enabledByDefault ? 'standaard aan' : 'standaard uit'}` : ''}`,
      source: `${sourceInWords(r.source)}; ${PROVISIONAL}`,
      provisional: true,
      name: `regel ${code(r.id)}`,
      documents: documentsOf(r.source),
    }));
}

/** The region version an overlay applies to on its first day. */
function regionFor(overlay: MunicipalityOverlay, regions: readonly RegionRuleSet[]): RegionRuleSet | undefined {
  return regions
    .filter((r) => r.id === overlay.region && r.validFrom <= overlay.validFrom)
    .sort((a, b) => b.version - a.version)[0];
}

function overlayRows(overlay: MunicipalityOverlay, region: RegionRuleSet | undefined): ValueRow[] {
  const rows: ValueRow[] = Object.entries(overlay.parameters).map(([name, value]) => {
    const p = region?.parameters[name];
    const source = overlay.parameterSources?.[name];
    return {
      what: p ? `${p.label} (${code(name)})` : code(name),
      value: p ? valueInWords(p, value) : JSON.stringify(value),
      source: source === undefined ? 'besluit van de gemeente (zie `changes`)' : sourceInWords(source),
      provisional: source === 'illustratief',
      name: code(name),
      documents: documentsOf(source),
    };
  });
  for (const [id, sw] of Object.entries(overlay.rules)) {
    rows.push({
      what: `regel ${code(id)}`,
      value: sw.enabled ? 'aan' : 'uit',
      source: sw.source === undefined ? 'besluit van de gemeente (zie `changes`)' : sourceInWords(sw.source),
      provisional: sw.source === 'illustratief',
      name: `regel ${code(id)}`,
      documents: documentsOf(sw.source),
    });
  }
  return rows;
}

/** Every region version and every overlay version that sets a value, with its rows. */
export function valueGroups(documents: readonly RuleSetDocument[]): ValueGroup[] {
  const regions = documents.filter((d): d is RegionRuleSet => d.kind === 'region');
  const byRegionAndVersion = (a: RuleSetDocument, b: RuleSetDocument) =>
    a.region.localeCompare(b.region) || a.id.localeCompare(b.id) || a.version - b.version;
  const groups: ValueGroup[] = [...regions].sort(byRegionAndVersion).map((region) => ({
    ruleSet: `${region.id} v${region.version}`,
    validFrom: region.validFrom,
    rows: [...parameterRows(region), tariffRow(region), ...catalogueRows(region), ...illustrativeRuleRows(region)],
  }));
  const overlays = documents
    .filter((d): d is MunicipalityOverlay => d.kind === 'municipality')
    .filter((o) => Object.keys(o.parameters).length > 0 || Object.keys(o.rules).length > 0)
    .sort(byRegionAndVersion);
  for (const overlay of overlays)
    groups.push({
      ruleSet: `${overlay.id} v${overlay.version}`,
      validFrom: overlay.validFrom,
      overlayOn: overlay.region,
      rows: overlayRows(overlay, regionFor(overlay, regions)),
    });
  return groups;
}

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

const cell = (text: string) => text.replaceAll('|', '\\|').replace(/\s+/g, ' ').trim();

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function groupTitle(g: ValueGroup): string {
  const on = g.overlayOn ? `, op ${g.overlayOn}` : '';
  return `**${g.ruleSet}** (vanaf ${formatDate(g.validFrom)}${on})`;
}

/** The full table: one row per value, the rule set named on its first row. */
export function fullTable(groups: readonly ValueGroup[]): string {
  const rows = groups.flatMap((g) =>
    g.rows.map((r, i) => [i === 0 ? groupTitle(g) : '', r.what, r.value, r.source] as const),
  );
  return table(['rule set', 'value', 'set to', 'source'], rows);
}

/** One row per rule set version: how many values come from which documents, and which are provisional. */
export function summaryTable(groups: readonly ValueGroup[]): string {
  const rows = groups.map((g) => {
    const sourced = g.rows.filter((r) => !r.provisional);
    const documents = [...new Set(sourced.flatMap((r) => r.documents))].sort();
    const provisional = g.rows.filter((r) => r.provisional).map((r) => r.name);
    return [
      groupTitle(g),
      `${sourced.length}${documents.length > 0 ? `: ${documents.join('; ')}` : ''}`,
      provisional.length === 0 ? 'geen' : provisional.join(', '),
    ] as const;
  });
  return table(['rule set', 'values from a source', `${PROVISIONAL}`], rows);
}

/** `text` with everything between the markers replaced by `content`; throws without markers. */
export function replaceBetweenMarkers(text: string, content: string, file: string): string {
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`${file}: no ${START_MARKER} … ${END_MARKER} in it`);
  return `${text.slice(0, start + START_MARKER.length)}\n\n${content}\n\n${text.slice(end)}`;
}

/** The file as `npm run values-table` writes it: the table inserted and the whole formatted by prettier. */
export async function withTable(path: string, content: string): Promise<string> {
  const text = replaceBetweenMarkers(readFileSync(path, 'utf8'), content, path);
  const options = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(text, { ...options, filepath: path });
}

/** The two files and what they should hold. */
export async function expectedFiles(
  root: string,
  rulesDir: string = DEFAULT_RULES_DIR,
): Promise<{ path: string; expected: string }[]> {
  const groups = valueGroups(loadRuleSetFiles(rulesDir).map((f) => f.document));
  const rulesReadme = join(root, 'rules', 'README.md');
  const readme = join(root, 'README.md');
  return [
    { path: rulesReadme, expected: await withTable(rulesReadme, fullTable(groups)) },
    { path: readme, expected: await withTable(readme, summaryTable(groups)) },
  ];
}

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { path, expected } of await expectedFiles(REPOSITORY_ROOT)) {
    writeFileSync(path, expected);
    console.log(`wrote the values table in ${path.slice(REPOSITORY_ROOT.length)}`);
  }
}
