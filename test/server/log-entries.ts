/**
 * Log entries for the store tests: one real decision with a reason (a renewal in Apeldoorn by a
 * provider with too few clients), whose reasons each test replaces with the codes it needs.
 */
import { regionOf } from '../../engine/compose.js';
import type { Case, Decision } from '../../engine/schema.js';
import type { NewDecision } from '../../server/db/log.js';
import { apeldoornRenewal, decide } from '../support/factories.js';

export interface EntryTemplate {
  case: Case;
  decision: Decision;
}

/** The decision the entries are made of; it has at least one reason. */
export async function entryTemplate(): Promise<EntryTemplate> {
  const c = apeldoornRenewal(1) as Case;
  const decision = await decide(c);
  if (decision.reasons.length === 0) throw new Error('the template decision has no reason');
  return { case: c, decision };
}

/** An entry of `template` whose reasons have `codes` (each a copy of its first reason). */
export function entryWithCodes(template: EntryTemplate, codes: string[], decidedBy: string): NewDecision {
  const reason = template.decision.reasons[0]!;
  return {
    municipality: template.case.municipality,
    region: regionOf(template.case.municipality),
    case: template.case,
    decision: { ...template.decision, reasons: codes.map((code) => ({ ...reason, code })) },
    decidedBy,
  };
}
