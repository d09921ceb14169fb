/**
 * The motivation letter (Awb 3:46): a decision in words the family (or, for an admission, the
 * provider) can read — the outcome in one sentence, a paragraph per reason with the facts it used
 * and its source, the amount and how it is paid, what happens next, how to object, and a closing
 * block with what an auditor needs to replay it. Built as a small structure first, then rendered
 * as plain text or as HTML, so every place that shows the letter shows the same words.
 */
import { decisiveConditions, factInWords, placeName } from './explain.js';
import { formatDate, formatDateTime, formatEuros, listInWords } from './format.js';
import {
  FALLBACK_TEMPLATE,
  ILLUSTRATIVE_WARNING,
  OBJECTION,
  OBJECTION_REVIEW,
  OUTCOME_SENTENCES,
  REASON_TEMPLATES,
} from './letter-templates.js';
import type { Case, DecisionInLog, RuleTrace } from './schema.js';

export interface LetterInput {
  /** A logged decision may predate `engine` and `illustrative`. */
  decision: DecisionInLog;
  case: Case;
  /** The log's id; null for a preview of a decision that was not logged. */
  decisionId: string | null;
  /** When it was decided (ISO instant); the letter is dated that day. */
  decidedAt: string;
  /** A preview is marked as one everywhere it is shown. */
  preview?: boolean;
}

export interface LetterParagraph {
  heading: string;
  text: string[];
}

export interface Letter {
  preview: boolean;
  sender: string;
  date: string;
  addressee: string;
  subject: string;
  outcome: string;
  /** Shown before the reasons when the decision rests on provisional values. */
  warning: string | null;
  sections: LetterParagraph[];
  /** Label/value pairs for the auditor: versions with hashes, engine, decision id. */
  accountability: { label: string; value: string }[];
}

const COMPONENT_NAMES: Record<string, string> = {
  ambulant: 'ambulante jeugdhulp',
  'wonen-verblijf': 'wonen en verblijf',
  crisis: 'de crisisfunctie',
};

const ILLUSTRATIVE_KINDS: Record<string, string> = {
  parameter: 'grenswaarde',
  tariff: 'tarief',
  catalogue: 'gegeven uit de productcatalogus',
  rule: 'regel',
};

/** The facts a fired rule used, as one sentence ("Wij hebben gezien dat …"), or nothing. */
function factsSentence(trace: RuleTrace | undefined, c: Case): string | undefined {
  if (!trace) return undefined;
  const seen = new Set<string>();
  const clauses: string[] = [];
  for (const leaf of decisiveConditions(trace)) {
    if (seen.has(leaf.fact)) continue;
    seen.add(leaf.fact);
    const words = factInWords(leaf.fact, leaf.factValue, c);
    if (words) clauses.push(words);
  }
  return clauses.length > 0 ? `Wij hebben gezien dat ${listInWords(clauses)}.` : undefined;
}

function subjectOf(c: Case): string {
  if (c.type === 'admission')
    return `Uw aanmelding als aanbieder voor de productgroep ${c.requestedProductGroup} (ingangsdatum ${formatDate(c.entryDate)})`;
  const r = c.request;
  const what =
    'service' in r
      ? r.service
      : 'profile' in r
        ? `jeugdhulp, profiel ${r.profile} (${r.intensity})`
        : `jeugdhulp, ${r.product}`;
  return `Uw aanvraag voor ${what}, vanaf ${formatDate(r.startDate)}`;
}

function amountSection(decision: LetterInput['decision'], c: Case): LetterParagraph | undefined {
  const t = decision.tariff;
  if (!t || decision.outcome === 'rejected' || c.type !== 'allocation') return undefined;
  const text: string[] = [];
  if (t.model === 'output') {
    text.push(
      `De aanbieder krijgt voor dit traject in totaal ${formatEuros(t.totalCents)}. Bij de start van de hulp betaalt de gemeente ${t.advancePercentage}% (${formatEuros(t.advanceCents)}), de rest (${formatEuros(t.remainderCents)}) nadat de hulp is afgerond.`,
    );
  } else {
    text.push(
      `De aanbieder krijgt ${formatEuros(t.unitPriceCents)} per ${t.unit}, voor in totaal ${t.units} ${t.unit}: ${formatEuros(t.totalCents)}. De gemeente betaalt alleen de hulp die echt is geleverd.`,
    );
  }
  if (t.model === 'output' && t.component)
    text.push(`Deze hulp valt onder het onderdeel ${COMPONENT_NAMES[t.component] ?? t.component}.`);
  text.push('U betaalt de aanbieder zelf niets; de gemeente betaalt de aanbieder rechtstreeks.');
  return { heading: decision.outcome === 'review' ? 'Het bedrag, als de hulp wordt toegekend' : 'Het bedrag', text };
}

/**
 * The letter for a decision.
 *
 * @example
 *   const letter = motivationLetter({ decision, case: c, decisionId: row.id, decidedAt: row.decidedAt });
 *   console.log(letterText(letter));
 */
export function motivationLetter(input: LetterInput): Letter {
  const { decision, case: c } = input;
  const municipality = placeName(c.municipality);
  const traces = new Map(decision.trace.map((t) => [t.ruleId, t]));
  const sections: LetterParagraph[] = [];

  const why: string[] = [];
  for (const reason of decision.reasons) {
    const template = REASON_TEMPLATES[reason.code] ?? FALLBACK_TEMPLATE;
    const facts = factsSentence(traces.get(reason.ruleId), c);
    sections.push({
      heading: template.heading,
      text: [
        reason.message,
        ...(facts ? [facts] : []),
        template.meaning,
        `Dit staat in: ${reason.source.document}, ${reason.source.section}.`,
        ...(template.next && decision.outcome !== 'granted' ? [template.next] : []),
      ],
    });
    why.push(reason.code);
  }
  if (decision.reasons.length === 0) {
    sections.push({
      heading: 'Waarom',
      text: [
        'Uw aanvraag voldoet aan alle regels die de gemeenten in de regio samen hebben afgesproken. Geen van die regels staat toekenning in de weg.',
      ],
    });
  }

  const amount = amountSection(decision, c);
  if (amount) sections.push(amount);

  if (decision.outcome === 'review') {
    sections.push({
      heading: 'Wat gebeurt er nu',
      text: [
        `Een medewerker van de gemeente ${municipality} bekijkt uw aanvraag om de redenen hierboven. U krijgt daarna een besluit. Zo nodig nemen wij eerst contact met u op.`,
      ],
    });
  }

  const illustrative = decision.illustrative ?? [];
  const warning =
    illustrative.length > 0
      ? `${ILLUSTRATIVE_WARNING} Het gaat om: ${listInWords(
          illustrative.map((i) => `${ILLUSTRATIVE_KINDS[i.kind] ?? i.kind} ${i.id} (${i.ruleSet})`),
        )}.`
      : null;

  sections.push({
    heading: 'Bezwaar maken',
    text: [(decision.outcome === 'review' ? OBJECTION_REVIEW : OBJECTION).replaceAll('{gemeente}', municipality)],
  });

  const accountability = [
    { label: 'Besluitnummer', value: input.decisionId ?? 'geen (voorbeeld, niet vastgelegd)' },
    { label: 'Genomen op', value: formatDateTime(input.decidedAt) },
    ...decision.ruleSets.map((r) => ({
      label: `Regelset ${r.id}`,
      value: `versie ${r.version}, ${r.contentHash}`,
    })),
    { label: 'Versie van de rekenregels', value: decision.engine?.version ?? 'onbekend' },
  ];

  return {
    preview: input.preview ?? false,
    sender: `Gemeente ${municipality}`,
    date: formatDate(input.decidedAt),
    addressee:
      c.type === 'admission'
        ? `Aan ${c.provider.name}`
        : 'Aan de ouders of verzorgers van de jeugdige, of aan de jeugdige zelf',
    subject: subjectOf(c),
    outcome: OUTCOME_SENTENCES[c.type][decision.outcome],
    warning,
    sections,
    accountability,
  };
}

const PREVIEW_MARK = 'VOORBEELD — dit is geen besluit: de beslissing is niet vastgelegd.';

/** The letter as plain text, lines of at most a sentence or so, for mail or a case file. */
export function letterText(letter: Letter): string {
  const out: string[] = [];
  if (letter.preview) out.push(PREVIEW_MARK, '');
  out.push(letter.sender, letter.date, '', letter.addressee, '', `Betreft: ${letter.subject}`, '', letter.outcome, '');
  if (letter.warning) out.push(letter.warning, '');
  for (const section of letter.sections) out.push(section.heading, ...section.text, '');
  out.push('Verantwoording', ...letter.accountability.map((a) => `${a.label}: ${a.value}`));
  return `${out.join('\n')}\n`;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The letter as a self-contained HTML page that prints on A4 without the screen's chrome. */
export function letterHtml(letter: Letter): string {
  const e = escapeHtml;
  const sections = letter.sections
    .map((s) => `<section><h2>${e(s.heading)}</h2>${s.text.map((t) => `<p>${e(t)}</p>`).join('')}</section>`)
    .join('\n');
  const rows = letter.accountability.map((a) => `<tr><th>${e(a.label)}</th><td>${e(a.value)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>${e(letter.subject)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.1rem}h2{font-size:1rem;margin-top:1.5rem}
.preview{border:2px dashed #b45309;padding:.5rem;color:#7c2d12;font-weight:bold}
.warning{border-left:4px solid #b45309;padding-left:.75rem}
.accountability th{text-align:left;padding-right:1rem;font-weight:normal;color:#555}
.accountability td{font-family:monospace;word-break:break-all}
@media print{body{margin:0;max-width:none}@page{size:A4;margin:2cm}.preview{border-color:#000;color:#000}}
</style></head><body>
${letter.preview ? `<p class="preview">${e(PREVIEW_MARK)}</p>` : ''}
<p>${e(letter.sender)}<br>${e(letter.date)}</p>
<p>${e(letter.addressee)}</p>
<h1>Betreft: ${e(letter.subject)}</h1>
<p><strong>${e(letter.outcome)}</strong></p>
${letter.warning ? `<p class="warning">${e(letter.warning)}</p>` : ''}
${sections}
<section><h2>Verantwoording</h2><table class="accountability">${rows}</table></section>
</body></html>
`;
}
