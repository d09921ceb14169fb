/**
 * Every citation in rules/ can be checked against the source documents copied into
 * docs/sources/, with nothing from outside the repository.
 *
 * Documents. Wherever a `source` object (`{ document, section, note? }`) appears in a rule set
 * file (rules, parameters, tariffs, profiles, products: the JSON is walked generically), its
 * `document` must be exactly the name docs/sources/README.md gives one of the copied documents,
 * such as "002 Inkoopstrategie IJsselland (2017)"; the number picks the file (`002-….txt`). A
 * standard README lists under "Not copied" may be cited too; its section cannot be checked.
 * `"source": "illustratief"` cites nothing and is not checked.
 *
 * Sections. A `section` is one or more references joined by " en " (each starting with §,
 * Bijlage or Hoofdstuk). A reference is a path of locators separated by ", " (outside
 * parentheses); each locator is looked for inside the part of the document the previous one found:
 *
 *   §3.4 Title         a numbered heading: a line starting with "3.4" (or "3.4.", or for a chapter
 *                      "3." or "Hoofdstuk 3") whose heading text begins with Title; or, when Title
 *                      is not the heading's own title, a line inside that numbered part that
 *                      begins with Title (an unnumbered sub-heading such as 003 §6 "Regie op
 *                      totaal aantal gecontracteerde aanbieders").
 *   Bijlage B Title    a line starting with "Bijlage B" (any case) followed by Title, if given.
 *   Hoofdstuk 6 Title  likewise.
 *   profiel 12         a profile heading: a line starting with "Profiel 12." or "Profiel 12:".
 *   Title              any other locator: an unnumbered heading, for a document without numbered
 *                      ones (004): a whole line that is Title, or Title after a list number
 *                      ("3.  Crisisfunctie"), and is a short heading line (at most six words, a
 *                      capital first, no punctuation at its end).
 *
 * Titles are compared ignoring case and line breaks. A parenthesised part at the end of a
 * locator that is not part of the heading's title, such as "(Stapeling)" or "(toelichting,
 * protocol Blommert)", lists terms (separated by ", ") that must occur, ignoring case and line
 * breaks, in the text of that part. A part runs from its heading to the next heading of the same
 * or a higher level. Level 0: lines starting with "Hoofdstuk N" or "Bijlage X", and numbered
 * chapters in capitals ("6. CONCRETE UITWERKING NAAR EEN INKOOPMODEL"). Level 1: numbered
 * sections ("3.4 Wat is nog meer van belang") and profile headings. Numbered list items in
 * ordinary type ("1. Perspectief, korte duur, …") are not headings. An unnumbered heading's part
 * ends at any of those or at the next short heading line of the same or a higher level: level 2
 * a line as "Onderdelen jeugdhulp", level 3 one after a list number as "2.  Wonen en Verblijf".
 *
 * Quotations. Text between double quotes ("…", “…” or „…") in any string of a rule set file is a
 * quotation (single quotes are not: Dutch writes zo'n and euro's). It quotes the copied
 * document whose number (000–004) the same string names nearest before it; failing that, the
 * document of the source the string belongs to (the source object the string is in, or the
 * `source` of the nearest object around it that has one); failing that, the document the string
 * names after it. The quotation must occur word for word in that
 * document. Before comparing, both are normalised only in whitespace (every run of spaces and
 * line breaks is one space), in typographic variants of quotes (‘’‚ → ', “”„ → ") and of dashes
 * (‐‑‒–—− → -), and to Unicode NFC; case, spelling and punctuation must be the document's. A text
 * that is not the document's exact words must not be put between double quotes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, pathFromModule } from '../engine/loader.js';

const SOURCES_DIR = pathFromModule('../docs/sources', import.meta.url);

// ---------------------------------------------------------------------------------------------
// The documents
// ---------------------------------------------------------------------------------------------

interface SourceDocument {
  number: string;
  file: string;
  name: string;
  lines: string[];
  /** The whole text, normalised for quotations. */
  normalised: string;
}

function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.trim().startsWith('|') && !/^\|[\s|:-]+\|$/.test(line.trim()))
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim().replace(/^`(.*)`$/, '$1')),
    );
}

const readme = readFileSync(join(SOURCES_DIR, 'README.md'), 'utf8');
const [copiedPart = '', notCopiedPart = ''] = readme.split(/^## Not copied$/m);
const documents = new Map<string, SourceDocument>(
  tableRows(copiedPart)
    .filter(([number]) => /^\d{3}$/.test(number ?? ''))
    .map(([number = '', file = '', name = '']) => {
      const text = readFileSync(join(SOURCES_DIR, file), 'utf8');
      return [number, { number, file, name, lines: text.split(/\r?\n/), normalised: normalise(text) }];
    }),
);
const notCopied = new Set(
  tableRows(notCopiedPart.split(/^## /m)[0] ?? '')
    .slice(1)
    .map(([name = '']) => name),
);

/** Whitespace, typographic quotes and dashes, Unicode form: nothing else. */
function normalise(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[‘’‚‛]/g, "'")
    .replace(/[“”„‟]/g, '"')
    .replace(/[‐‑‒–—―−]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

const loose = (text: string) => normalise(text).toLowerCase();

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

/** Lines [start, end) of a document. */
interface Part {
  start: number;
  end: number;
}

function headingLevel(line: string): 0 | 1 | null {
  if (/^\s*(Hoofdstuk\s+\d+|Bijlage\s+[A-Z0-9]+)\b/i.test(line)) return 0;
  // a numbered chapter in capitals: no lower-case letters, at least three capitals in a row
  if (/^\s*\d+\.\s+\S/.test(line) && !/\p{Ll}/u.test(line) && /\p{Lu}{3}/u.test(line)) return 0;
  if (/^\s*\d+\.\d+\.?\s+\S/.test(line)) return 1;
  if (/^\s*Profiel\s+\d+\s*[.:]/i.test(line)) return 1;
  return null;
}

/** Level of a short heading line without a number (004 "Onderdelen jeugdhulp", "3.  Crisisfunctie"). */
function plainHeadingLevel(line: string): 2 | 3 | null {
  const text = line.trim();
  if (text === '' || headingLevel(line) !== null || /[.,;:!?]$/.test(text)) return null;
  const listed = /^\d+\.\s+/.exec(text);
  const title = listed ? text.slice(listed[0].length) : text;
  if (!/^\p{Lu}/u.test(title) || title.split(/\s+/).length > 6) return null;
  return listed ? 3 : 2;
}

/** The title of a short heading line, without its list number. */
const plainTitle = (line: string) => loose(line.trim().replace(/^\d+\.\s+/, ''));

function plainPartFrom(doc: SourceDocument, start: number, level: 2 | 3, within: Part): Part {
  let end = start + 1;
  while (end < within.end) {
    const line = doc.lines[end]!;
    const l = plainHeadingLevel(line);
    if (headingLevel(line) !== null || (l !== null && l <= level)) break;
    end += 1;
  }
  return { start, end };
}

/** Finds an unnumbered heading inside `within`; a string says why not. */
function locatePlain(doc: SourceDocument, locator: string, within: Part): Part | string {
  const problems: string[] = [];
  for (let line = within.start; line < within.end; line += 1) {
    const level = plainHeadingLevel(doc.lines[line]!);
    if (level === null) continue;
    for (const { title, terms } of titleReadings(locator.trim())) {
      if (plainTitle(doc.lines[line]!) !== loose(title)) continue;
      const found = plainPartFrom(doc, line, level, within);
      const body = partText(doc, found);
      const missing = terms.filter((term) => !body.includes(loose(term)));
      if (missing.length === 0) return found;
      problems.push(`"${missing.join('", "')}" does not occur in "${locator}" (lines ${found.start + 1}–${found.end})`);
    }
  }
  return problems[0] ?? `no heading "${locator}" in ${doc.file} (lines ${within.start + 1}–${within.end})`;
}

function partFrom(doc: SourceDocument, start: number, level: 0 | 1, within: Part): Part {
  let end = start + 1;
  while (end < within.end) {
    const l = headingLevel(doc.lines[end]!);
    if (l !== null && l <= level) break;
    end += 1;
  }
  return { start, end };
}

/** The text from `line` on, a few lines long, to compare a heading with. */
function textFrom(doc: SourceDocument, line: number, after = 0): string {
  return loose(doc.lines.slice(line, line + 4).join(' ')).slice(after);
}

function partText(doc: SourceDocument, part: Part): string {
  return loose(doc.lines.slice(part.start, part.end).join(' '));
}

/** Splits at `separator` outside parentheses. */
function splitOutsideParentheses(text: string, separator: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (depth === 0 && text.startsWith(separator, i)) {
      pieces.push(current);
      current = '';
      i += separator.length - 1;
    } else current += ch;
  }
  return [...pieces, current];
}

/** A title with its trailing "(terms)", or without them when they are not part of the title. */
function titleReadings(rest: string): { title: string; terms: string[] }[] {
  const readings = [{ title: rest, terms: [] as string[] }];
  const qualified = /^(.*?)\s*\(([^()]*)\)$/.exec(rest);
  if (qualified) readings.push({ title: qualified[1]!, terms: qualified[2]!.split(/,\s*/) });
  return readings;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Finds one locator inside `within`; a string says why not. */
function locate(doc: SourceDocument, locator: string, within: Part): Part | string {
  const match =
    /^(?:§\s*(?<num>\d+(?:\.\d+)*)|(?<kind>Bijlage|Hoofdstuk)\s+(?<id>[A-Z0-9]+)|profiel\s+(?<profile>\d+))(?=\s|$)\s*(?<rest>.*)$/i.exec(
      locator.trim(),
    );
  if (!match?.groups) return locatePlain(doc, locator, within);
  const { num, kind, id, profile, rest = '' } = match.groups;

  let heading: RegExp;
  let level: 0 | 1;
  if (num !== undefined) {
    level = num.includes('.') ? 1 : 0;
    heading =
      level === 0
        ? new RegExp(`^\\s*(?:Hoofdstuk\\s+${num}|${num}\\.)(?=\\s)`, 'i')
        : new RegExp(`^\\s*${escape(num)}\\.?(?=\\s)`);
  } else if (kind !== undefined) {
    level = 0;
    heading = new RegExp(`^\\s*${kind}\\s+${escape(id!)}(?=\\s|$)`, 'i');
  } else {
    level = 1;
    heading = new RegExp(`^\\s*Profiel\\s+${profile}\\s*[.:]`, 'i');
  }

  const problems: string[] = [];
  for (let line = within.start; line < within.end; line += 1) {
    const text = doc.lines[line]!;
    const head = heading.exec(text);
    if (!head || headingLevel(text) === null) continue;
    const part = partFrom(doc, line, level, within);
    if (kind === undefined && num === undefined && rest === '') return part;
    for (const { title, terms } of titleReadings(rest)) {
      let found: Part | null = null;
      const wanted = loose(title);
      if (textFrom(doc, line, loose(head[0]).length).trimStart().startsWith(wanted)) found = part;
      else if (num !== undefined) {
        // an unnumbered sub-heading inside the numbered part
        for (let sub = part.start + 1; sub < part.end && !found; sub += 1) {
          if (wanted !== '' && textFrom(doc, sub).startsWith(wanted)) found = { start: sub, end: part.end };
        }
      }
      if (!found) continue;
      const body = partText(doc, found);
      const missing = terms.filter((term) => !body.includes(loose(term)));
      if (missing.length === 0) return found;
      problems.push(`"${missing.join('", "')}" does not occur in "${locator}" (lines ${found.start + 1}–${found.end})`);
    }
  }
  return problems[0] ?? `no heading "${locator}" in ${doc.file} (lines ${within.start + 1}–${within.end})`;
}

/** Every problem with a section reference in a document; none if it exists. */
function sectionProblems(doc: SourceDocument, section: string): string[] {
  const whole: Part = { start: 0, end: doc.lines.length };
  return section.split(/\s+en\s+(?=§|Bijlage\b|Hoofdstuk\b)/i).flatMap((reference) => {
    let within: Part = whole;
    for (const locator of splitOutsideParentheses(reference, ', ')) {
      const found = locate(doc, locator, within);
      if (typeof found === 'string') return [found];
      within = found;
    }
    return [];
  });
}

// ---------------------------------------------------------------------------------------------
// The rule data: every source reference and every quotation
// ---------------------------------------------------------------------------------------------

interface SourceRefJson {
  document: string;
  section: string;
  note?: string;
}

interface Citation {
  path: string;
  source: SourceRefJson;
}

interface Quotation {
  path: string;
  text: string;
  /** The document number it quotes, or null. */
  document: string | null;
  /** How the document was found, or why none was. */
  attributedBy: string;
  /** The section of the source the quotation belongs to, if any. */
  section: string | null;
}

const isSourceRef = (value: unknown): value is SourceRefJson =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as SourceRefJson).document === 'string' &&
  typeof (value as SourceRefJson).section === 'string';

const QUOTATION = /"([^"]+)"|“([^”]+)”|„([^”“"]+)[”“"]/g;
/** A three-digit document number standing on its own (not in "€ 25.000" or "2019"). */
const DOCUMENT_NUMBER = /(?<![\p{L}\p{N}.,])(\d{3})(?![\p{L}\p{N}]|[.,]\d)/gu;

function documentNumberOf(name: string): string | null {
  const number = /^(\d{3})\s/.exec(name)?.[1];
  return number !== undefined && documents.has(number) ? number : null;
}

function key(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

/** What an object is, for messages: a rule id, a profile number, a product slug. */
function label(value: Record<string, unknown>): string {
  if (typeof value.id === 'string' && typeof value.code === 'string') return ` (rule ${value.id})`;
  if (typeof value.number === 'number' && typeof value.title === 'string') return ` (profiel ${value.number})`;
  if (typeof value.slug === 'string') return ` (product ${value.slug})`;
  return '';
}

function collect(json: unknown): { citations: Citation[]; quotations: Quotation[] } {
  const citations: Citation[] = [];
  const quotations: Quotation[] = [];

  function quotationsIn(text: string, path: string, around: SourceRefJson | null) {
    const named = [...text.matchAll(DOCUMENT_NUMBER)].filter((m) => documents.has(m[1]!));
    for (const m of text.matchAll(QUOTATION)) {
      const quoted = m[1] ?? m[2] ?? m[3] ?? '';
      const before = named.filter((n) => n.index < m.index).at(-1);
      const after = named.find((n) => n.index > m.index);
      const own = around ? documentNumberOf(around.document) : null;
      const [document, attributedBy] = before
        ? [before[1]!, `the document named before it`]
        : own
          ? [own, `the source it belongs to`]
          : after
            ? [after[1]!, `the document named after it`]
            : [null, around ? `its source "${around.document}" is not a copied document` : 'no document is named'];
      quotations.push({ path, text: quoted, document, attributedBy, section: around?.section ?? null });
    }
  }

  function walk(value: unknown, path: string, around: SourceRefJson | null, what: string) {
    if (typeof value === 'string') quotationsIn(value, `${path}${what}`, around);
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`, around, what));
    else if (typeof value === 'object' && value !== null) {
      const object = value as Record<string, unknown>;
      const itsWhat = label(object) || what;
      let itsSource = around;
      if (isSourceRef(object)) itsSource = object;
      else if (isSourceRef(object.source)) itsSource = object.source;
      else if (object.source !== undefined) itsSource = null;
      if (isSourceRef(object)) citations.push({ path: `${path}${itsWhat}`, source: object });
      for (const [name, child] of Object.entries(object)) walk(child, key(path, name), itsSource, itsWhat);
    }
  }

  walk(json, '$', null, '');
  return { citations, quotations };
}

function ruleSetFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return ruleSetFiles(path);
      return entry.name.endsWith('.json') ? [path] : [];
    });
}

const files = ruleSetFiles(DEFAULT_RULES_DIR).map((path) => {
  const file = relative(join(DEFAULT_RULES_DIR, '..'), path).replaceAll('\\', '/');
  return { file, ...collect(JSON.parse(readFileSync(path, 'utf8'))) };
});
const regionFiles = files.filter((f) => f.citations.length > 0);

const describeCitation = (file: string, c: Citation) =>
  `${file} ${c.path}: "${c.source.document}", section "${c.source.section}"`;

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('source documents', () => {
  it('are all listed in docs/sources/README.md with their number, file and name, and nothing else is', () => {
    const txt = readdirSync(SOURCES_DIR)
      .filter((f) => f.endsWith('.txt'))
      .sort();
    expect([...documents.values()].map((d) => d.file).sort()).toEqual(txt);
    for (const doc of documents.values()) {
      expect(doc.file.startsWith(`${doc.number}-`), doc.file).toBe(true);
      expect(doc.name.startsWith(`${doc.number} `), doc.name).toBe(true);
      expect(doc.normalised.length, doc.file).toBeGreaterThan(1000);
    }
    expect(documents.size).toBe(5);
    // the RSJ IJsselland FAQ gives the 70/30 advance split that 002 §5.8 leaves open
    expect([...notCopied]).toEqual([
      'iJw 3.2 (Informatievoorziening Jeugd)',
      'RSJ IJsselland, antwoorden aan aanbieders (FAQ)',
    ]);
  });

  it('are found by the section matcher as the header comment describes, and wrong sections are not', () => {
    const doc002 = documents.get('002')!;
    const doc003 = documents.get('003')!;
    expect(sectionProblems(doc002, '§3.4 Wat is nog meer van belang (Stapeling)')).toEqual([]);
    expect(
      sectionProblems(doc002, 'Bijlage B Lijst van profielen, profiel 12 (toelichting, protocol Blommert)'),
    ).toEqual([]);
    expect(sectionProblems(doc002, 'Hoofdstuk 5 Inkoopprocedure, §5.7 Aantal opdrachtnemers')).toEqual([]);
    expect(sectionProblems(doc003, '§7 Wat kopen we (waar) in?')).toEqual([]);
    expect(sectionProblems(doc003, '§6 Regie op totaal aantal gecontracteerde aanbieders')).toEqual([]);
    const doc004 = documents.get('004')!;
    expect(sectionProblems(doc004, 'Onderdelen jeugdhulp, Crisisfunctie (spoedhulp IJsselland)')).toEqual([]);
    expect(sectionProblems(doc004, 'Een aantal verbeteringen op een rij (keuzebudget, reëel tarief)')).toEqual([]);
    // wrong: a part that ends before the term, a heading outside the part, a line that is no heading
    expect(sectionProblems(doc004, 'Crisisfunctie (Ambulante jeugdhulp)')).toHaveLength(1);
    expect(sectionProblems(doc004, 'Onderdelen jeugdhulp (keuzebudget)')).toHaveLength(1);
    expect(sectionProblems(doc004, 'Onderdelen jeugdhulp, Vervolg')).toHaveLength(1);
    expect(sectionProblems(doc004, 'Zie inleiding')).toHaveLength(1);
    expect(sectionProblems(doc002, 'Wonen en Verblijf')).toHaveLength(1);
    // wrong: a section that does not exist, a title of another section, a term not in the section
    expect(sectionProblems(doc002, '§3.9 Wat is nog meer van belang')).toHaveLength(1);
    expect(sectionProblems(doc002, '§3.4 Beprijzing segmenten')).toHaveLength(1);
    expect(sectionProblems(doc002, '§3.3 Beprijzing segmenten (Stapeling)')).toHaveLength(1);
    expect(sectionProblems(doc002, 'Bijlage B, profiel 13')).toHaveLength(1);
    expect(sectionProblems(doc002, 'Bijlage A Risicoanalyse, profiel 1')).toHaveLength(1);
    expect(sectionProblems(doc003, '§4 Regie op totaal aantal gecontracteerde aanbieders')).toHaveLength(1);
    expect(sectionProblems(doc003, 'Bijlage 1 Begrippenlijst (Uitsplitsing per productgroep), profiel 1')).toHaveLength(
      1,
    );
  });

  it('are read from docs/sources/ inside the repository', () => {
    expect(relative(join(DEFAULT_RULES_DIR, '..'), SOURCES_DIR).replaceAll('\\', '/')).toBe('docs/sources');
  });
});

describe('citations in the rule data', () => {
  it('are found in the regional rule sets (the walk finds every source object)', () => {
    expect(regionFiles.map((f) => f.file)).toEqual([
      'rules/ijsselland/ijsselland.v1.json',
      'rules/ijsselland/ijsselland.v2.json',
      'rules/midden-ijssel-oost-veluwe/midden-ijssel-oost-veluwe.v1.json',
      'rules/midden-ijssel-oost-veluwe/midden-ijssel-oost-veluwe.v2.json',
    ]);
    for (const f of regionFiles) expect(f.citations.length, f.file).toBeGreaterThan(20);
  });

  it.each(regionFiles.map((f) => [f.file, f] as const))(
    '%s: every source names a document copied into docs/sources/ by the name its README gives',
    (file, { citations }) => {
      const problems = citations.flatMap((c) => {
        if (notCopied.has(c.source.document)) return [];
        const number = /^(\d{3})\b/.exec(c.source.document)?.[1];
        const doc = number === undefined ? undefined : documents.get(number);
        if (!doc) return [`${describeCitation(file, c)}: no document in docs/sources/ has this number`];
        if (doc.name !== c.source.document)
          return [`${describeCitation(file, c)}: docs/sources/README.md calls ${doc.file} "${doc.name}"`];
        return [];
      });
      expect(problems).toEqual([]);
    },
  );

  it.each(regionFiles.map((f) => [f.file, f] as const))(
    '%s: every cited section exists in its document',
    (file, { citations }) => {
      const problems = citations.flatMap((c) => {
        const number = documentNumberOf(c.source.document);
        const doc = number === null ? undefined : documents.get(number);
        if (!doc) return [];
        return sectionProblems(doc, c.source.section).map((p) => `${describeCitation(file, c)}: ${p}`);
      });
      expect(problems).toEqual([]);
    },
  );

  it.each(files.map((f) => [f.file, f] as const))(
    '%s: every quotation is found word for word in the document it quotes',
    (file, { quotations }) => {
      const problems = quotations.flatMap((q) => {
        const doc = q.document === null ? undefined : documents.get(q.document);
        const where = q.section === null ? '' : `, in a text citing section "${q.section}"`;
        if (!doc)
          return [`${file} ${q.path}: cannot tell which document "${q.text}" quotes (${q.attributedBy}${where})`];
        if (doc.normalised.includes(normalise(q.text))) return [];
        return [`${file} ${q.path}: "${q.text}" is not in "${doc.name}" (${doc.file}; ${q.attributedBy}${where})`];
      });
      expect(problems).toEqual([]);
    },
  );
});
