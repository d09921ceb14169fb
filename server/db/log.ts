/**
 * The decision log: append-only and hash-chained, each entry's hash covering the one before.
 * Searching and paging it, streaming it in batches for impact analysis, and verifying the chain.
 * The log stores reason codes in a form its queries can match; callers only ever see lists.
 *
 * Entries are compact (see `compactDecisionJson`): a decision is deterministic given its case, the
 * versions it used and the engine version, so an entry keeps what a reader relies on and not the
 * trace, which the service rebuilds on reading. Entries logged before hold the whole decision
 * with its trace; both kinds are told apart by their stored text and hash by the same rule.
 */
import { hash } from 'node:crypto';
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  getTableName,
  gt,
  gte,
  like,
  lte,
  sql,
  type Column,
  type SQL,
} from 'drizzle-orm';
import {
  canonicalJson,
  decisionMembers,
  type Case,
  type Decision,
  type DecisionMembers,
  type DecisionInLog,
  type Outcome,
  type RuleSetRef,
} from '../../engine/index.js';
import { timeOrderedUuid } from './ids.js';
import { inTransaction, type Conn } from './connection.js';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { decisions } from './schema.js';

export const GENESIS_HASH = `sha256:${'0'.repeat(64)}`;

/** A log entry as stored: case and decision as the JSON text its hash covers, reason codes encoded. */
export type StoredDecision = typeof decisions.$inferSelect;
/** A decision as an entry logged before compact entries holds it: whole, with its trace. */
export type WholeEntryDecision = DecisionInLog & { reasonRules?: undefined };

/**
 * A compact entry's decision as the log gives it back: no trace, and its reasons as the ids of
 * the rules that gave them (`reasonRules`); the service rebuilds both with the recorded versions.
 */
export type CompactEntryDecision = Omit<DecisionInLog, 'trace' | 'reasons'> & {
  reasonRules: string[];
  trace?: undefined;
};

/**
 * A logged decision as the log gives it back: whole (entries logged before compact entries) or
 * compact. Entries logged before decisions recorded `engine` and `illustrative` lack them.
 */
export type EntryDecision = WholeEntryDecision | CompactEntryDecision;

/** A log entry with its case and decision parsed and its reason codes as a list. */
export type DecisionRow = Omit<StoredDecision, 'caseJson' | 'decisionJson' | 'reasonCodes'> & {
  caseJson: Case;
  decisionJson: EntryDecision;
  reasonCodes: string[];
};
/** A log entry as lists show it: everything but the case and decision themselves. */
export type DecisionListRow = Omit<DecisionRow, 'caseJson' | 'decisionJson'>;
/** A logged decision as impact analysis reads it (see `summaries`): the case stays JSON text. */
export type DecisionSummaryRow = Pick<
  DecisionRow,
  'seq' | 'id' | 'municipality' | 'referenceDate' | 'outcome' | 'reasonCodes' | 'ruleSets' | 'totalCents'
> &
  Pick<StoredDecision, 'caseJson'> & { tariffJson: string };

/** Log entries with `after < seq <= until`. */
export interface SeqRange {
  after: number;
  until: number;
}

export interface DecisionFilter {
  municipality?: string | undefined;
  region?: string | undefined;
  outcome?: Outcome | undefined;
  reasonCode?: string | undefined;
  /** Reference dates from / to (inclusive, ISO). */
  from?: string | undefined;
  to?: string | undefined;
  /** Who logged the decisions (a case system reads only its own). */
  decidedBy?: string | undefined;
}

/** The columns a filter reads, as both stores' tables name them. */
type FilterColumns = Record<
  'municipality' | 'region' | 'outcome' | 'reasonCodes' | 'referenceDate' | 'decidedBy',
  Column
>;

/**
 * The condition of a filter over either store's table (undefined: every entry). `likeOperator`
 * matches a reason code in the encoded column: SQLite's LIKE ignores ASCII case, so PostgreSQL's
 * store passes ILIKE, and both find the same entries.
 */
export function filterCondition(
  t: FilterColumns,
  filter: DecisionFilter,
  likeOperator: (column: Column, pattern: string) => SQL,
): SQL | undefined {
  return and(
    filter.municipality ? eq(t.municipality, filter.municipality) : undefined,
    filter.region ? eq(t.region, filter.region) : undefined,
    filter.outcome ? eq(t.outcome, filter.outcome) : undefined,
    filter.reasonCode ? likeOperator(t.reasonCodes, `%${encodeReasonCodes([filter.reasonCode])}%`) : undefined,
    filter.from ? gte(t.referenceDate, filter.from) : undefined,
    filter.to ? lte(t.referenceDate, filter.to) : undefined,
    filter.decidedBy ? eq(t.decidedBy, filter.decidedBy) : undefined,
  );
}

export interface NewDecision {
  municipality: string;
  region: string;
  case: Case;
  decision: Decision;
  decidedBy: string;
}

/**
 * Reason codes as the log stores them: separated by spaces, with a space before the first and
 * after the last, so that `LIKE '% CODE %'` matches one whole code. The entry's hash covers this
 * text, so the encoding cannot change for entries already logged.
 */
export function encodeReasonCodes(codes: readonly string[]): string {
  return ` ${codes.join(' ')} `;
}

/** The reason codes of a stored entry as a list (see `encodeReasonCodes`). */
export function decodeReasonCodes(stored: string): string[] {
  return stored.split(' ').filter((code) => code !== '');
}

/**
 * The decision text of a compact entry: what a reader relies on, each field covered by the
 * entry's hash (`entryHash`, the same rule as for every entry) — outcome, reasons, tariff,
 * municipality code, engine version, illustrative values — and not what the recorded versions
 * determine:
 * - no trace: the service rebuilds it by deciding the case again with the recorded versions;
 * - the reasons as the ids of the rules that gave them (`reasonRules`, in the decision's order):
 *   a reason is its rule's code, kind, effect, message and source in the recorded version, which
 *   the entry pins by its content hash (engine `reasonsOfRuleIds`); their codes are also in the
 *   `reason_codes` column;
 * - no rule sets: the entry's `rule_sets` column holds them, ids, versions and content hashes;
 * - no separate copy of the tariff (`tariff_json` stays empty): the text is small enough to read
 *   it from.
 * Told from an older, whole entry by its missing trace.
 */
export function compactDecisionJson(d: Decision, members = decisionMembers(d, false)): string {
  // `JSON.stringify` of { outcome, reasonRules, tariff, municipalityCode, engine, illustrative }
  // (test/server/prepared-entries.test.ts holds it so), from the members' texts: a batch worker
  // has them already, written once for the answer and the log
  const text =
    field('outcome', members.outcome) +
    field('reasonRules', JSON.stringify(d.reasons.map((r) => r.ruleId))) +
    field('tariff', members.tariff) +
    field('municipalityCode', members.municipalityCode) +
    field('engine', members.engine) +
    field('illustrative', members.illustrative);
  return `{${text.slice(1)}}`;
}

/**
 * A stored decision text read back: an older entry's as it is (whole, with its trace); a compact
 * one's with its rule sets from the column.
 */
export function entryDecision(text: string, ruleSets: RuleSetRef[]): EntryDecision {
  const d = JSON.parse(text) as EntryDecision;
  return d.trace !== undefined ? d : { ...d, ruleSets };
}

/** The stored reason codes, decoded as drizzle maps the row: no second pass over the rows. */
const reasonCodeList = sql<string>`${decisions.reasonCodes}`.mapWith(decodeReasonCodes);

/**
 * The hash of a log entry: its fields in canonical JSON, then the case and decision texts exactly
 * as stored, chained to the previous entry's hash. Hashing the stored bytes means verifying the
 * chain needs no parsing, and no re-serialisation can hide a change.
 */
export function entryHash(row: Omit<StoredDecision, 'seq' | 'hash'>): string {
  return hashOfEntry(entryFieldsText(row, canonicalJson(row.ruleSets)), row);
}

/** The hash of an entry from the text of its fields (`entryFieldsText`) and its stored texts. */
export function hashOfEntry(fields: string, texts: Pick<StoredDecision, 'caseJson' | 'decisionJson'>): string {
  // one string, hashed at once: the same bytes as hashing the parts one after the other
  return `sha256:${hash('sha256', `${fields}\n${texts.caseJson}\n${texts.decisionJson}`)}`;
}

/** `,"key":value` for a field that `canonicalJson` keeps (it leaves out undefined), given as JSON. */
const field = (key: string, json: string | undefined) => (json === undefined ? '' : `,"${key}":${json}`);
const scalar = (key: string, value: string | number | null) => field(key, jsonOf(value));

/**
 * The characters `JSON.stringify` writes otherwise than as themselves: the quote, the backslash,
 * control characters, and surrogates (it escapes lone ones; paired ones go the slow way too).
 * Matched by code unit (no `u` flag), so that half a pair is found.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(value)`, with a string that holds nothing to escape (ids, dates, codes, hashes:
 * every field of an entry as the service writes it) put between quotes as it is: calling
 * `JSON.stringify` for each of an entry's twelve fields was a fifth of verifying it, and it is on
 * the path of every logged decision too.
 */
function jsonOf(value: string | number | null): string | undefined {
  return typeof value === 'string' && !ESCAPED.test(value) ? `"${value}"` : JSON.stringify(value);
}

/**
 * What `canonicalJson` gives of an entry's hashed fields — the same text, byte for byte (a test
 * holds them equal over random rows) — written field by field in the sorted order of their keys
 * instead of copying and sorting an object per entry: most of the cost of hashing a logged
 * decision was that generic walk. `ruleSets` comes as its canonical JSON, so that a reader of many
 * entries can compute it once per distinct stored text.
 */
export function entryFieldsText(
  row: Omit<StoredDecision, 'seq' | 'hash' | 'caseJson' | 'decisionJson' | 'tariffJson' | 'ruleSets'>,
  ruleSetsCanonical: string | undefined,
): string {
  const text =
    scalar('caseType', row.caseType) +
    scalar('decidedAt', row.decidedAt) +
    scalar('decidedBy', row.decidedBy) +
    scalar('id', row.id) +
    scalar('municipality', row.municipality) +
    scalar('outcome', row.outcome) +
    scalar('prevHash', row.prevHash) +
    scalar('reasonCodes', row.reasonCodes) +
    scalar('referenceDate', row.referenceDate) +
    scalar('region', row.region) +
    field('ruleSets', ruleSetsCanonical) +
    scalar('totalCents', row.totalCents);
  return `{${text.slice(1)}}`;
}

/** A log entry exactly as stored: its rule sets too as the JSON text the column holds. */
export type StoredText = Omit<StoredDecision, 'ruleSets'> & { ruleSets: string };

/** Distinct stored rule-set texts remembered by one reader; beyond it starts again. */
const RULE_SETS_REMEMBERED = 10_000;

/**
 * The canonical JSON of many entries' rule sets (what `entryFieldsText` takes) from their stored
 * text, worked out once per distinct text for one reader (verify): a log names a handful of
 * combinations of versions over millions of entries.
 */
export class CanonicalRuleSets {
  private readonly canonical = new Map<string, string>();
  /** The last text and its canonical JSON: entries logged one after the other mostly share it. */
  private last: { text: string; canonical: string } | undefined;

  /** Throws when `text` is not JSON. */
  of(text: string): string {
    // comparing two equal strings is cheaper than hashing a fresh one for the map
    if (text === this.last?.text) return this.last.canonical;
    let canonical = this.canonical.get(text);
    if (canonical === undefined) {
      if (this.canonical.size >= RULE_SETS_REMEMBERED) this.canonical.clear();
      canonical = canonicalJson(JSON.parse(text));
      this.canonical.set(text, canonical);
    }
    this.last = { text, canonical };
    return canonical;
  }
}

export function parsed(row: StoredDecision): DecisionRow {
  return {
    ...row,
    reasonCodes: decodeReasonCodes(row.reasonCodes),
    caseJson: JSON.parse(row.caseJson) as Case,
    decisionJson: entryDecision(row.decisionJson, row.ruleSets),
  };
}

/**
 * A compact entry as the deciding side makes it: every stored field but the four only the
 * appending side knows (id, time, author, and the previous entry's hash), all of it text. A batch
 * worker prepares its entries (`prepareEntry`) beside the decision, so that the thread that
 * appends only chains, hashes and inserts them; text crosses threads cheaply, objects do not.
 */
export interface PreparedEntry {
  municipality: string;
  region: string;
  caseType: string;
  referenceDate: string;
  outcome: Outcome;
  /** Encoded (`encodeReasonCodes`). */
  reasonCodes: string;
  totalCents: number | null;
  caseJson: string;
  decisionJson: string;
  /** The rule sets as the column stores them (`JSON.stringify`, as drizzle's JSON columns do). */
  ruleSets: string;
  /**
   * The entry's hashed fields (`entryHash`) that this side knows, as the canonical JSON text they
   * make, in the three pieces that the appending side's fields go between: canonical JSON sorts
   * the keys, and `decidedAt`, `decidedBy`, `id` come after `caseType`, `prevHash` after
   * `outcome`.
   */
  hashed: [string, string, string];
}

/**
 * The compact entry of a decision (see `compactDecisionJson`), prepared for appending: the case
 * as received, the decision without its trace, the summary columns beside them. `members`: the
 * decision's member texts when the caller has them already (`decisionMembers`).
 */
export function prepareEntry(entry: Omit<NewDecision, 'decidedBy'>, members?: DecisionMembers): PreparedEntry {
  const { decision } = entry;
  const ruleSets = ruleSetTexts(decision.ruleSets);
  const reasonCodes = encodeReasonCodes(decision.reasons.map((r) => r.code));
  const totalCents = decision.tariff?.totalCents ?? null;
  return {
    municipality: entry.municipality,
    region: entry.region,
    caseType: entry.case.type,
    referenceDate: entry.case.referenceDate,
    outcome: decision.outcome,
    reasonCodes,
    totalCents,
    caseJson: JSON.stringify(entry.case),
    decisionJson: compactDecisionJson(decision, members),
    ruleSets: ruleSets.stored,
    // `entryFieldsText`'s fields in its order, split where the appending side's go
    hashed: [
      `{${scalar('caseType', entry.case.type).slice(1)}`,
      scalar('municipality', entry.municipality) + scalar('outcome', decision.outcome),
      scalar('reasonCodes', reasonCodes) +
        scalar('referenceDate', entry.case.referenceDate) +
        scalar('region', entry.region) +
        field('ruleSets', ruleSets.canonical) +
        scalar('totalCents', totalCents) +
        '}',
    ],
  };
}

/**
 * The rule sets' texts, stored and canonical, made once per list: the engine gives every decision
 * of one composition the same list (its `EffectiveRuleSet`'s), and sorting its keys again for each
 * entry was a third of preparing it. Weak: a list goes when its composition does.
 */
const ruleSetTextCache = new WeakMap<readonly RuleSetRef[], { stored: string; canonical: string }>();
function ruleSetTexts(refs: readonly RuleSetRef[]) {
  let texts = ruleSetTextCache.get(refs);
  if (!texts) ruleSetTextCache.set(refs, (texts = { stored: JSON.stringify(refs), canonical: canonicalJson(refs) }));
  return texts;
}

/** What only the appending side knows of an entry: its id, time, author and place in the chain. */
export interface Chained {
  id: string;
  decidedAt: string;
  decidedBy: string;
  prevHash: string;
}

/**
 * `entryHash` of a prepared entry, without building the row and sorting its keys again: the
 * pieces of its canonical JSON with the appending side's fields put between them
 * (test/server/prepared-entries.test.ts holds it equal to `entryHash`).
 */
export function preparedHash(p: PreparedEntry, c: Chained): string {
  const fields =
    p.hashed[0] +
    scalar('decidedAt', c.decidedAt) +
    scalar('decidedBy', c.decidedBy) +
    scalar('id', c.id) +
    p.hashed[1] +
    scalar('prevHash', c.prevHash) +
    p.hashed[2];
  return hashOfEntry(fields, p);
}

/** The columns of an INSERT of a prepared entry, in the order `insertValues` gives them. */
const INSERT_COLUMNS = [
  decisions.id,
  decisions.municipality,
  decisions.region,
  decisions.caseType,
  decisions.referenceDate,
  decisions.outcome,
  decisions.reasonCodes,
  decisions.totalCents,
  decisions.caseJson,
  decisions.decisionJson,
  decisions.tariffJson,
  decisions.ruleSets,
  decisions.decidedAt,
  decisions.decidedBy,
  decisions.prevHash,
  decisions.hash,
].map((column) => column.name);

/**
 * SQLite's INSERT of `rows` prepared entries' rows, their values in `insertValues` order, one row
 * after the other (the log inserts one a statement; test/load/sqlite-row.ts measures more).
 */
export function insertSql(rows = 1): string {
  const row = `(${INSERT_COLUMNS.map(() => '?').join(', ')})`;
  return `INSERT INTO ${getTableName(decisions)} (${INSERT_COLUMNS.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')}`;
}

/** A prepared entry's row as stored, in `INSERT_COLUMNS` order (both stores insert it so). */
export function insertValues(p: PreparedEntry, c: Chained, hash: string): (string | number | null)[] {
  // tariff_json stays empty in compact entries: see `compactDecisionJson`
  return [
    c.id,
    p.municipality,
    p.region,
    p.caseType,
    p.referenceDate,
    p.outcome,
    p.reasonCodes,
    p.totalCents,
    p.caseJson,
    p.decisionJson,
    null,
    p.ruleSets,
    c.decidedAt,
    c.decidedBy,
    c.prevHash,
    hash,
  ];
}

/** What appending prepared entries gives back: their ids in order, and the log's new head. */
export interface AppendedEntries {
  ids: string[];
  head: { seq: number; hash: string };
}

/** What an append gives back: the row as stored, with the case and the whole decision as given. */
export function appendedRow(p: PreparedEntry, c: Chained, seq: number, hash: string, entry: NewDecision): DecisionRow {
  return {
    seq,
    ...c,
    municipality: p.municipality,
    region: p.region,
    caseType: p.caseType,
    referenceDate: p.referenceDate,
    outcome: p.outcome,
    reasonCodes: decodeReasonCodes(p.reasonCodes),
    totalCents: p.totalCents,
    tariffJson: null,
    ruleSets: entry.decision.ruleSets as RuleSetRef[],
    hash,
    caseJson: entry.case,
    decisionJson: entry.decision,
  };
}

/**
 * A store's chaining of prepared entries in one transaction (each store's `chained`): each entry
 * gets its id, time, author and the hash before it, `each` sees it as it is inserted, and the
 * new head comes back.
 */
export type ChainEntries = (
  entries: readonly PreparedEntry[],
  decidedBy: (i: number) => string,
  decidedAt: string,
  each: (i: number, c: Chained, seq: number, hash: string) => void,
) => Promise<{ seq: number; hash: string }>;

/** `appendMany` of either store over its `chain`: the decisions prepared, chained, and their rows. */
export async function appendDecisions(
  chain: ChainEntries,
  entries: readonly NewDecision[],
  at: string,
): Promise<DecisionRow[]> {
  const prepared = entries.map((entry) => prepareEntry(entry));
  const rows: DecisionRow[] = [];
  await chain(
    prepared,
    (i) => entries[i]!.decidedBy,
    at,
    (i, c, seq, hash) => rows.push(appendedRow(prepared[i]!, c, seq, hash, entries[i]!)),
  );
  return rows;
}

/** `appendPrepared` of either store over its `chain`: a batch's chunk, all by `decidedBy`. */
export async function appendPreparedEntries(
  chain: ChainEntries,
  entries: readonly PreparedEntry[],
  decidedBy: string,
  at: string,
): Promise<AppendedEntries> {
  const ids: string[] = [];
  const head = await chain(
    entries,
    () => decidedBy,
    at,
    (_, c) => ids.push(c.id),
  );
  return { ids, head };
}

/**
 * The whole log (up to `lastSeq`) in `parts` ranges of equal width by sequence number. Without a
 * filter no entry needs counting: numbers are given one after the other, so equal widths hold
 * (nearly) equal numbers of entries, and a gap — an entry deleted behind the log's back — only
 * makes one range lighter. Counting a million entries, and skipping to each boundary with
 * OFFSET, held the thread that answers the API for some 100 ms at the start of every verify.
 */
export function rangesUpTo(lastSeq: number, parts: number): SeqRange[] {
  const bounds = Array.from({ length: parts }, (_, k) => Math.floor((k * lastSeq) / parts));
  bounds.push(Number.MAX_SAFE_INTEGER);
  return bounds.slice(1).map((until, k) => ({ after: bounds[k]!, until }));
}

/** What checking the chain found: how many entries held, and the first that did not. */
export interface ChainCheck {
  ok: boolean;
  checked: number;
  firstBroken?: { id: string; seq: number; reason: string };
}

/**
 * Recomputes the hash chain over entries as stored, oldest first; reports the first entry whose
 * hash or link does not hold. Both stores' `verifyChain`: only how they read the rows differs.
 */
export async function checkChain(batches: AsyncIterable<StoredDecision[]>): Promise<ChainCheck> {
  let prev = GENESIS_HASH;
  let checked = 0;
  for await (const batch of batches) {
    for (const row of batch) {
      if (row.prevHash !== prev)
        return {
          ok: false,
          checked,
          firstBroken: { id: row.id, seq: row.seq, reason: 'prevHash does not match the previous entry' },
        };
      if (entryHash(row) !== row.hash)
        return {
          ok: false,
          checked,
          firstBroken: { id: row.id, seq: row.seq, reason: 'content does not match its hash' },
        };
      prev = row.hash;
      checked += 1;
    }
  }
  return { ok: true, checked };
}

/**
 * How `readRows` reads a kind of row: the columns it selects, and the row made of their values,
 * which come in the order of `fields`.
 */
interface RowReader<T> {
  fields: Record<string, SQLiteColumn | SQL>;
  row(values: unknown[]): T;
}

/**
 * A reader of `fields`, its row an object literal with a property per field in their order, made
 * by a function generated once: every row then has one shape, as hand-written literals have, and
 * the field names are written once. `fields` must name every property of `T` (tsc checks);
 * the values come from the driver unmapped (a JSON column's text stays text).
 */
function rowReader<T>(fields: Record<keyof T & string, SQLiteColumn | SQL>): RowReader<T> {
  const properties = Object.keys(fields).map((name, i) => `${JSON.stringify(name)}: v[${i}]`);
  const row = new Function('v', `return { ${properties.join(', ')} };`) as (values: unknown[]) => T;
  return { fields, row };
}

/** Every column of an entry, as stored. */
const STORED_TEXT = rowReader<StoredText>({
  seq: decisions.seq,
  id: decisions.id,
  municipality: decisions.municipality,
  region: decisions.region,
  caseType: decisions.caseType,
  referenceDate: decisions.referenceDate,
  outcome: decisions.outcome,
  reasonCodes: decisions.reasonCodes,
  totalCents: decisions.totalCents,
  caseJson: decisions.caseJson,
  decisionJson: decisions.decisionJson,
  tariffJson: decisions.tariffJson,
  // as stored: the values come from the driver, never through the JSON column's mapping
  ruleSets: decisions.ruleSets,
  decidedAt: decisions.decidedAt,
  decidedBy: decisions.decidedBy,
  prevHash: decisions.prevHash,
  hash: decisions.hash,
});

/**
 * What `summaries` reads, its codes still encoded and its rule sets as text. Entries logged before
 * the tariff copy existed have their tariff read from the decision itself.
 */
const SUMMARY_TEXT = rowReader<SummaryText>({
  seq: decisions.seq,
  id: decisions.id,
  municipality: decisions.municipality,
  referenceDate: decisions.referenceDate,
  outcome: decisions.outcome,
  reasonCodes: decisions.reasonCodes,
  totalCents: decisions.totalCents,
  caseJson: decisions.caseJson,
  ruleSets: decisions.ruleSets,
  tariffJson: sql`coalesce(${decisions.tariffJson}, json_extract(${decisions.decisionJson}, '$.tariff'), 'null')`,
});

/** A summary as SQLite gives it, before its codes are decoded and its rule sets parsed. */
type SummaryText = Omit<DecisionSummaryRow, 'reasonCodes' | 'ruleSets'> & { reasonCodes: string; ruleSets: string };

/**
 * The rule sets of many entries parsed once per distinct stored text, for one reader: a log names
 * a handful of combinations of versions. The lists it gives are shared, to be read, not changed.
 */
export class ParsedRuleSets {
  private readonly parsed = new Map<string, RuleSetRef[]>();
  /** The last text and its list: entries logged one after the other mostly share it. */
  private last: { text: string; list: RuleSetRef[] } | undefined;

  of(text: string): RuleSetRef[] {
    // comparing two equal strings is cheaper than hashing a fresh one for the map
    if (text === this.last?.text) return this.last.list;
    let list = this.parsed.get(text);
    if (list === undefined) {
      if (this.parsed.size >= RULE_SETS_REMEMBERED) this.parsed.clear();
      list = JSON.parse(text) as RuleSetRef[];
      this.parsed.set(text, list);
    }
    this.last = { text, list };
    return list;
  }
}

export class DecisionLog {
  constructor(
    private readonly c: Conn,
    /**
     * Awaited before an append when it gives a promise: the WAL checkpointer's chance to empty
     * the WAL first (`WalCheckpointer.beforeAppend`). Not given inside a transaction.
     */
    private readonly beforeAppend: () => Promise<void> | undefined = () => undefined,
  ) {}

  private get db() {
    return this.c.db;
  }

  /**
   * The statements of every logged evaluation (chaining and appending a decision), prepared
   * once: building and preparing them per request cost more than running them. Made on first
   * use, after the migrations have shaped the tables. The INSERT is better-sqlite3's own, with
   * positional values and no RETURNING (the new seq is the statement's last row id): drizzle's
   * mapping of sixteen named values and the RETURNING row took about half of each append's time.
   */
  private prepared?: ReturnType<DecisionLog['prepare']>;

  private prepare() {
    return {
      lastHash: this.db
        .select({ hash: decisions.hash })
        .from(decisions)
        .orderBy(desc(decisions.seq))
        .limit(1)
        .prepare(),
      insert: this.db.$client.prepare<(string | number | null)[]>(insertSql()),
    };
  }

  private get statements() {
    return (this.prepared ??= this.prepare());
  }

  /** Appends a decision, chained to the previous entry's hash, in one transaction. */
  async append(entry: NewDecision, at: string): Promise<DecisionRow> {
    return (await this.appendMany([entry], at))[0]!;
  }

  /**
   * Appends several decisions as compact entries in one transaction, each chained to the one
   * before: one commit (and one sync to disk) for all of them — what group commit builds on.
   */
  async appendMany(entries: readonly NewDecision[], at: string): Promise<DecisionRow[]> {
    await this.beforeAppend();
    return appendDecisions(this.chained, entries, at);
  }

  /**
   * Appends prepared entries (`prepareEntry`), all logged by `decidedBy` at `at`, in one
   * transaction, each chained to the one before: a batch's chunk. Gives back their ids and the
   * new head, not the rows, which the batch has no use for.
   */
  async appendPrepared(entries: readonly PreparedEntry[], decidedBy: string, at: string): Promise<AppendedEntries> {
    await this.beforeAppend();
    return appendPreparedEntries(this.chained, entries, decidedBy, at);
  }

  /**
   * Chains and inserts `entries` in one transaction, once no one else's transaction is open on the
   * connection; `each` sees every entry as it is inserted.
   */
  private readonly chained: ChainEntries = async (entries, decidedBy, decidedAt, each) =>
    // synchronous from reading the last hash to the last insert: no other append can come between
    this.c.run(() =>
      inTransaction(this.db, () => {
        const { insert, lastHash } = this.statements;
        let prevHash = lastHash.get()?.hash ?? GENESIS_HASH;
        let seq = 0;
        entries.forEach((p, i) => {
          const c = { id: timeOrderedUuid(), decidedAt, decidedBy: decidedBy(i), prevHash };
          const hash = preparedHash(p, c);
          seq = Number(insert.run(...insertValues(p, c, hash)).lastInsertRowid);
          each(i, c, seq, hash);
          prevHash = hash;
        });
        return { seq, hash: prevHash };
      }),
    );

  /** One entry by its id, parsed. */
  async get(id: string): Promise<DecisionRow | undefined> {
    const row = await this.c.run(() => this.db.select().from(decisions).where(eq(decisions.id, id)).get());
    return row && parsed(row);
  }

  private where(filter: DecisionFilter): SQL | undefined {
    return filterCondition(decisions, filter, like);
  }

  /** A page of the matching entries for lists, newest first, with how many match in all. */
  async page(
    filter: DecisionFilter,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; items: DecisionListRow[] }> {
    return this.c.run(() => this.pageNow(filter, page));
  }

  private pageNow(filter: DecisionFilter, page: { limit: number; offset: number }) {
    const where = this.where(filter);
    const total = this.countWhere(where);
    const { caseJson: _case, decisionJson: _decision, ...columns } = getTableColumns(decisions);
    const items = this.db
      .select({ ...columns, reasonCodes: reasonCodeList })
      .from(decisions)
      .where(where)
      .orderBy(desc(decisions.seq))
      .limit(page.limit)
      .offset(page.offset)
      .all();
    return { total, items };
  }

  /** How many entries match. */
  async count(filter: DecisionFilter): Promise<number> {
    return this.c.run(() => this.countWhere(this.where(filter)));
  }

  private countWhere(where: SQL | undefined): number {
    return this.db.select({ n: count() }).from(decisions).where(where).get()?.n ?? 0;
  }

  /**
   * Runs `page(after)` — the next rows with a seq above `after`, in seq order — until it comes
   * back empty: the log streams in batches, never loaded into memory whole.
   */
  private async *inBatches<T extends { seq: number }>(page: (after: number) => T[], after = 0): AsyncGenerator<T[]> {
    for (;;) {
      const batch = await this.c.run(() => page(after));
      if (batch.length === 0) return;
      yield batch;
      after = batch[batch.length - 1]!.seq;
    }
  }

  /**
   * What impact analysis needs of each matching decision, in batches, oldest first: the case as
   * stored text, the versions it used, and its outcome, reason codes and tariff — never the whole
   * decision with its trace, whose parsing would be most of the work. Read as plain rows by SQL of
   * its own (`readRows`); the rule sets' JSON parsed once per distinct text.
   */
  async *summaries(
    filter: DecisionFilter,
    batchSize = 1000,
    /** Only entries with `after < seq <= until`: one worker's part of the log. */
    range: SeqRange = { after: 0, until: Number.MAX_SAFE_INTEGER },
  ): AsyncGenerator<DecisionSummaryRow[]> {
    const ruleSets = new ParsedRuleSets();
    const where = this.where(filter);
    for await (const batch of this.readRows(SUMMARY_TEXT, where, batchSize, range))
      yield batch.map((row) => ({
        ...row,
        reasonCodes: decodeReasonCodes(row.reasonCodes),
        ruleSets: ruleSets.of(row.ruleSets),
      }));
  }

  /**
   * Batches of rows (`reader`) of the entries matching `where` in `range`, oldest first, by one
   * statement prepared for the stream, made from the values SQLite gives in column order. Reading
   * the log whole (verify, impact analysis) spent a fifth of its time in drizzle's mapping of
   * each row's columns, and better-sqlite3's own row objects cost half as much again as arrays
   * made into object literals here.
   */
  private readRows<T extends { seq: number }>(
    reader: RowReader<T>,
    where: SQL | undefined,
    batchSize: number,
    range: SeqRange,
  ): AsyncGenerator<T[]> {
    const statement = this.db
      .select(reader.fields)
      .from(decisions)
      .where(and(where, gt(decisions.seq, sql.placeholder('after')), lte(decisions.seq, sql.placeholder('until'))))
      .orderBy(asc(decisions.seq))
      .limit(sql.placeholder('limit'))
      .prepare();
    return this.inBatches(
      (after) => statement.values({ after, until: range.until, limit: batchSize }).map(reader.row),
      range.after,
    );
  }

  /**
   * Splits the matching entries into `parts` ranges of about equal size, in log order, for
   * workers to analyse side by side.
   */
  async seqRanges(filter: DecisionFilter, parts: number): Promise<SeqRange[]> {
    return this.c.run(() => this.seqRangesNow(filter, parts));
  }

  private seqRangesNow(filter: DecisionFilter, parts: number): SeqRange[] {
    const where = this.where(filter);
    if (where === undefined) return rangesUpTo(this.headNow().seq, parts);
    const total = this.countWhere(where);
    const bounds = [0];
    for (let k = 1; k < parts; k++) {
      const offset = Math.floor((k * total) / parts) - 1;
      const row =
        offset < 0
          ? undefined
          : this.db
              .select({ seq: decisions.seq })
              .from(decisions)
              .where(where)
              .orderBy(asc(decisions.seq))
              .limit(1)
              .offset(offset)
              .get();
      bounds.push(Math.max(row?.seq ?? 0, bounds.at(-1)!));
    }
    bounds.push(Number.MAX_SAFE_INTEGER);
    return bounds.slice(1).map((until, k) => ({ after: bounds[k]!, until }));
  }

  /** The last entry's sequence number and hash (0 and the genesis hash for an empty log). */
  async head(): Promise<{ seq: number; hash: string }> {
    return this.c.run(() => this.headNow());
  }

  private headNow(): { seq: number; hash: string } {
    const row = this.db
      .select({ seq: decisions.seq, hash: decisions.hash })
      .from(decisions)
      .orderBy(desc(decisions.seq))
      .limit(1)
      .get();
    return row ?? { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * Every entry as stored (JSON text, encoded codes, the rule sets' JSON as text), oldest first:
   * the exact bytes the hashes cover, for verifying the log.
   */
  storedText(
    batchSize = 1000,
    /** Only entries with `after < seq <= until`: one verifying worker's part of the log. */
    range: SeqRange = { after: 0, until: Number.MAX_SAFE_INTEGER },
  ): AsyncGenerator<StoredText[]> {
    return this.readRows(STORED_TEXT, undefined, batchSize, range);
  }

  /** Every entry as stored (JSON text, encoded codes), oldest first: the exact bytes the hashes cover. */
  private stored(batchSize: number): AsyncGenerator<StoredDecision[]> {
    return this.inBatches((after) =>
      this.db
        .select()
        .from(decisions)
        .where(gt(decisions.seq, after))
        .orderBy(asc(decisions.seq))
        .limit(batchSize)
        .all(),
    );
  }

  /** Recomputes the hash chain; reports the first entry whose hash or link does not hold. */
  async verifyChain(): Promise<ChainCheck> {
    return checkChain(this.stored(2000));
  }
}
