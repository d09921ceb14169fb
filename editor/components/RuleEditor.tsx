/**
 * One rule in the form, as a policy advisor reads it: a Dutch sentence ("Als … dan afwijzen"),
 * then every field of the rule — id, reason code, kind, effect, the citizen's message, the source,
 * whether municipalities may switch it — and its conditions. Every edit goes through
 * `store.update`, so the JSON view follows; removing a rule asks first.
 */
import { createSignal, For, Show } from 'solid-js';
import {
  jsonPath,
  CONTRACT_REASON_CODES,
  EFFECTS,
  ReasonCode,
  RULE_KINDS,
  RuleId,
  type Condition,
  type RegionRuleSet,
  type Rule,
} from '../../engine/browser.js';
import { asTopLevel, conditionSentence } from '../lib/conditions.js';
import { pathSegments } from '../lib/json-path.js';
import type { MessageKey } from '../i18n/nl.js';
import { t } from '../lib/i18n.js';
import type { RuleSetStore } from '../lib/ruleset-store.js';
import { ConditionTree } from './ConditionTree.js';

export const slug = (s: string) => s.replace(/[^a-zA-Z0-9]+/g, '-');

const KIND_KEYS: Record<Rule['kind'], MessageKey> = {
  eligibility: 'kind.eligibility',
  referral: 'kind.referral',
  stacking: 'kind.stacking',
  admission: 'kind.admission',
  tariff: 'kind.tariff',
  signal: 'kind.signal',
};
const EFFECT_KEYS: Record<Rule['effect'], MessageKey> = {
  reject: 'effect.reject',
  review: 'effect.review',
  info: 'effect.info',
};
/** A rule's kind in words: toegang, verwijzing, stapeling, toelating, tarief, signaal. */
export const kindLabel = (k: Rule['kind']) => t(KIND_KEYS[k]);
/** A rule's effect in words: afwijzen, laten beoordelen, ter informatie. */
export const effectLabel = (e: Rule['effect']) => t(EFFECT_KEYS[e]);

/** The DOM id of a rule's card, for the decision table's links. */
export const ruleCardId = (index: number) => `rule-card-${index}`;

export interface RuleEditorProps {
  rule: Rule;
  index: number;
  store: RuleSetStore;
  parameters: string[];
  parameterLabel: (name: string) => string;
}

/** A text field with its label and, when its value is not acceptable, the reason at the field. */
function Field(props: {
  id: string;
  label: string;
  value: string;
  error?: string | null | undefined;
  multiline?: boolean;
  list?: string;
  onCommit: (value: string) => void;
}) {
  const errorId = () => `${props.id}-error`;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <Show
        when={props.multiline}
        fallback={
          <input
            id={props.id}
            value={props.value}
            list={props.list}
            aria-invalid={props.error ? 'true' : undefined}
            aria-describedby={props.error ? errorId() : undefined}
            onChange={(e) => props.onCommit(e.currentTarget.value)}
          />
        }
      >
        <textarea
          id={props.id}
          rows="2"
          value={props.value}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? errorId() : undefined}
          onChange={(e) => props.onCommit(e.currentTarget.value)}
        />
      </Show>
      <Show when={props.error}>
        <span class="field-error" id={errorId()}>
          {props.error}
        </span>
      </Show>
    </div>
  );
}

export function RuleEditor(props: RuleEditorProps) {
  const [confirming, setConfirming] = createSignal(false);
  const id = () => `rule-${props.index}`;
  const region = () => props.store.doc.value as RegionRuleSet;

  const patch = (fn: (rule: Rule) => Rule) =>
    props.store.update((d) => {
      const r = d as RegionRuleSet;
      r.rules[props.index] = fn(r.rules[props.index]!);
      return r;
    });
  const set = <K extends keyof Rule>(key: K, value: Rule[K]) => patch((rule) => ({ ...rule, [key]: value }));
  const setConditions = (c: Condition) => set('conditions', asTopLevel(c));
  const remove = () => {
    // cards are kept by position: the next rule moves into this card, unconfirmed
    setConfirming(false);
    props.store.update((d) => {
      const r = d as RegionRuleSet;
      r.rules.splice(props.index, 1);
      return r;
    });
  };

  const idError = () => {
    const value = props.rule.id;
    if (!RuleId.safeParse(value).success) return t('rule.idFormat');
    if (region().rules.some((r, i) => i !== props.index && r.id === value)) return t('rule.idTaken');
    return null;
  };
  const codeError = () => (ReasonCode.safeParse(props.rule.code).success ? null : t('rule.codeFormat'));
  const required = (v: string | undefined) => (v && v.trim() ? null : t('field.required'));

  /** The server's issues with this rule, from the last save: `$.rules[3].message`. */
  const issues = () =>
    props.store.issues().filter((i) => {
      const [head, index] = pathSegments(i.path);
      return head === 'rules' && index === props.index;
    });
  /** The fields that show their own issues beside them; the others are listed above the fields. */
  const FIELDS = [['id'], ['code'], ['message'], ['source', 'document'], ['source', 'section']];
  const issueAt = (...path: (string | number)[]) =>
    props.store
      .issuesAt(jsonPath(['rules', props.index, ...path]))
      .map((i) => i.message)
      .join(' ') || null;
  const otherIssues = () =>
    issues().filter((i) => {
      const rest = pathSegments(i.path).slice(2);
      return !FIELDS.some((f) => f.every((s, n) => rest[n] === s));
    });

  const sentence = () =>
    t('rule.sentence', {
      conditions: conditionSentence(props.rule.conditions, props.parameterLabel),
      effect: effectLabel(props.rule.effect),
      code: props.rule.code,
    });

  return (
    <article class="card rule-card" id={ruleCardId(props.index)} data-testid={`rule-${slug(props.rule.id)}`}>
      <header>
        <h4>{props.rule.id}</h4>
        <span class="chip">{kindLabel(props.rule.kind)}</span>
        <span class={`chip effect-${props.rule.effect}`}>{effectLabel(props.rule.effect)}</span>
        <Show when={props.rule.optional}>
          <span class="chip">{t('rule.switchable')}</span>
        </Show>
        <span class="spacer" />
        <Show
          when={confirming()}
          fallback={
            <button type="button" class="link danger" onClick={() => setConfirming(true)}>
              {t('rule.remove')}
            </button>
          }
        >
          <span class="confirm" role="group" aria-label={t('rule.remove')}>
            {t('rule.removeConfirm', { id: props.rule.id })}{' '}
            <button type="button" class="danger" onClick={remove}>
              {t('rule.removeYes')}
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </span>
        </Show>
      </header>
      <p class="rule-sentence" data-testid="rule-sentence">
        {sentence()}
      </p>
      <Show when={otherIssues().length > 0}>
        <ul class="problem" role="alert">
          <For each={otherIssues()}>{(i) => <li>{i.message}</li>}</For>
        </ul>
      </Show>
      <div class="rule-fields">
        <Field
          id={`${id()}-id`}
          label={t('rule.id')}
          value={props.rule.id}
          error={idError() ?? issueAt('id')}
          onCommit={(v) => set('id', v.trim())}
        />
        <Field
          id={`${id()}-code`}
          label={t('rule.code')}
          value={props.rule.code}
          error={codeError() ?? issueAt('code')}
          list="reason-codes"
          onCommit={(v) => set('code', v.trim())}
        />
        <div class="field">
          <label for={`${id()}-kind`}>{t('rule.kind')}</label>
          <select
            id={`${id()}-kind`}
            value={props.rule.kind}
            onChange={(e) => set('kind', e.currentTarget.value as Rule['kind'])}
          >
            <For each={[...RULE_KINDS]}>{(k) => <option value={k}>{kindLabel(k)}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for={`${id()}-effect`}>{t('rule.effect')}</label>
          <select
            id={`${id()}-effect`}
            value={props.rule.effect}
            onChange={(e) => set('effect', e.currentTarget.value as Rule['effect'])}
          >
            <For each={[...EFFECTS]}>{(x) => <option value={x}>{effectLabel(x)}</option>}</For>
          </select>
        </div>
      </div>
      <Field
        id={`${id()}-message`}
        label={t('rule.message')}
        value={props.rule.message}
        error={required(props.rule.message) ?? issueAt('message')}
        multiline
        onCommit={(v) => set('message', v)}
      />
      <div class="rule-fields">
        <Field
          id={`${id()}-source-document`}
          label={t('rule.sourceDocument')}
          value={props.rule.source.document}
          error={required(props.rule.source.document) ?? issueAt('source', 'document')}
          onCommit={(v) => set('source', { ...props.rule.source, document: v })}
        />
        <Field
          id={`${id()}-source-section`}
          label={t('rule.sourceSection')}
          value={props.rule.source.section}
          error={required(props.rule.source.section) ?? issueAt('source', 'section')}
          onCommit={(v) => set('source', { ...props.rule.source, section: v })}
        />
      </div>
      <Field
        id={`${id()}-description`}
        label={t('rule.description')}
        value={props.rule.description ?? ''}
        multiline
        onCommit={(v) =>
          patch((rule) => {
            const { description: _, ...rest } = rule;
            return v.trim() ? { ...rest, description: v } : rest;
          })
        }
      />
      <div class="rule-fields">
        <label class="check">
          <input
            type="checkbox"
            checked={Boolean(props.rule.optional)}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              patch((rule) => {
                const { optional: _, ...rest } = rule;
                return on ? { ...rest, optional: { municipalityMaySwitch: true, enabledByDefault: true } } : rest;
              });
            }}
          />{' '}
          {t('rule.municipalityMaySwitch')}
        </label>
        <Show when={props.rule.optional}>
          {(o) => (
            <label class="check">
              <input
                type="checkbox"
                checked={o().enabledByDefault}
                onChange={(e) =>
                  set('optional', { municipalityMaySwitch: true, enabledByDefault: e.currentTarget.checked })
                }
              />{' '}
              {t('rule.enabledByDefault')}
            </label>
          )}
        </Show>
      </div>
      <h5>{t('rule.conditions')}</h5>
      <ConditionTree
        condition={props.rule.conditions}
        parameters={props.parameters}
        parameterLabel={props.parameterLabel}
        onChange={setConditions}
        idPrefix={id()}
      />
    </article>
  );
}

/** The reason codes every client knows, offered while typing a rule's code. */
export function ReasonCodeList() {
  return (
    <datalist id="reason-codes">
      <For each={[...CONTRACT_REASON_CODES]}>{(c) => <option value={c} />}</For>
    </datalist>
  );
}
