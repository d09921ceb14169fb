/**
 * Verify's check of a log entry's columns beside its texts (server/audit.ts): the municipality,
 * region, case type, reference date, outcome, reason codes, total, tariff copy and rule sets that
 * the log keeps in columns of their own (for its queries) must be what the case and decision texts
 * the entry's hash covers say. Run for every entry of the log, so it parses each text once and a
 * decision text seen before not at all.
 */
import { canonicalJson, regionOf, type Case, type Decision } from '../engine/index.js';
import { encodeReasonCodes, type StoredText } from './db/log.js';

/** What a decision text says of the columns beside it. */
interface DecisionSays {
  outcome: unknown;
  /** Encoded (`encodeReasonCodes`); undefined for a compact entry, which names its reasons' rules. */
  reasonCodes: string | undefined;
  totalCents: unknown;
  /** `JSON.stringify` of its tariff, what a tariff copy holds. */
  tariffJson: string | undefined;
  /** Canonical JSON of its rule sets; undefined for a compact entry, whose column is the record. */
  ruleSets: string | undefined;
}

/** Distinct decision texts remembered by one reader; beyond it starts again. */
const DECISIONS_REMEMBERED = 5_000;
/**
 * Longer decision texts are not remembered: a compact one is a few hundred characters; a whole
 * one, logged before compact entries, carries its trace (kilobytes) and seldom repeats. Together
 * at most a few megabytes of a worker's heap.
 */
const REMEMBERED_LENGTH = 1_024;

export const NOT_JSON = 'case_json of decision_json is geen JSON';

/**
 * The column check for one reader of the log. A compact decision text holds no id, date or
 * person (see `compactDecisionJson`): only the outcome, the reasons' rules, the tariff, the
 * municipality code and the engine, which many decisions share — so what a decision text says is
 * remembered by its text, as the rule sets' canonical JSON is (`CanonicalRuleSets`). Finding a
 * text seen before costs a tenth of parsing it (0.05 against 0.7 µs); a log whose decisions all
 * differ pays about a fifth more than parsing. Case texts hold the youth's and the provider's
 * data and are parsed every time.
 */
export class EntryColumns {
  private readonly decisions = new Map<string, DecisionSays | null>();

  /**
   * The columns of `row` that differ from what its texts say, by their names in the table (none:
   * an empty list); `ruleSets` is the canonical JSON of its rule-sets column (undefined when that
   * is not JSON), which the entry's hash needed too.
   */
  problems(row: StoredText, ruleSets: string | undefined): string[] {
    let c: Case;
    try {
      c = JSON.parse(row.caseJson) as Case;
    } catch {
      return [NOT_JSON];
    }
    const d = this.decision(row.decisionJson);
    if (d === null) return [NOT_JSON];
    const wrong: string[] = [];
    if (row.municipality !== c.municipality) wrong.push('municipality');
    if (row.region !== regionOrUndefined(c.municipality)) wrong.push('region');
    if (row.caseType !== c.type) wrong.push('case_type');
    if (row.referenceDate !== c.referenceDate) wrong.push('reference_date');
    if (row.outcome !== d.outcome) wrong.push('outcome');
    // a compact entry's decision names the rules of its reasons; the column is the codes' record
    if (d.reasonCodes !== undefined && row.reasonCodes !== d.reasonCodes) wrong.push('reason_codes');
    if (row.totalCents !== d.totalCents) wrong.push('total_cents');
    // entries logged before the copy existed have none; the decision text stays the record
    if (row.tariffJson !== null && row.tariffJson !== d.tariffJson) wrong.push('tariff_json');
    // a compact entry's decision keeps no copy of its rule sets: the column is the record
    if (d.ruleSets !== undefined && (ruleSets ?? 'null') !== d.ruleSets) wrong.push('rule_sets');
    return wrong;
  }

  /** What a decision text says (null: it is not JSON), remembered by its text. */
  private decision(text: string): DecisionSays | null {
    if (text.length > REMEMBERED_LENGTH) return decisionSays(text);
    let says = this.decisions.get(text);
    if (says === undefined) {
      says = decisionSays(text);
      if (this.decisions.size >= DECISIONS_REMEMBERED) this.decisions.clear();
      this.decisions.set(text, says);
    }
    return says;
  }
}

function decisionSays(text: string): DecisionSays | null {
  let d: Partial<Decision>;
  try {
    d = JSON.parse(text) as Partial<Decision>;
  } catch {
    return null;
  }
  return {
    outcome: d.outcome,
    reasonCodes: d.reasons === undefined ? undefined : encodeReasonCodes(d.reasons.map((r) => r.code)),
    totalCents: d.tariff?.totalCents ?? null,
    tariffJson: JSON.stringify(d.tariff),
    ruleSets: d.ruleSets === undefined ? undefined : canonicalJson(d.ruleSets),
  };
}

/** The region of a municipality a case names; undefined for one the rules do not know. */
function regionOrUndefined(municipality: Case['municipality']): string | undefined {
  try {
    return regionOf(municipality);
  } catch {
    return undefined;
  }
}
