/**
 * A rule's conditions as an editable tree, in Dutch: groups (alle waar / minstens één waar /
 * niet) and conditions (feit, vergelijking, waarde). Pickers offer only the facts, operators and
 * parameters that exist, by their Dutch labels. The tree it is given may be a store proxy that
 * changes shape under it (a removed condition shifts the next one into its place), so every
 * branch reads the node it shows reactively.
 */
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { FACTS, OPERATORS, type Condition, type LeafCondition } from '../../engine/browser.js';
import {
  appendAt,
  children,
  defaultLiteral,
  factLabel,
  groupKind,
  isLeaf,
  LIST_OPERATORS,
  choiceLabel,
  factChoices,
  factType,
  literalFits,
  literalType,
  newLeaf,
  operatorLabel,
  removeAt,
  replaceAt,
  setGroupKind,
  type Path,
} from '../lib/conditions.js';
import { t } from '../lib/i18n.js';

export interface ConditionTreeProps {
  condition: Condition;
  /** The rule set's parameter names, in the order to offer them. */
  parameters: string[];
  /** A parameter as the picker shows it: `Dyslexiezorg: minimumleeftijd (7)`; its name otherwise. */
  parameterLabel?: (name: string) => string;
  onChange: (next: Condition) => void;
  /** Prefix for element ids, unique per rule. */
  idPrefix: string;
}

type ValueKind = 'literal' | 'parameter' | 'fact';
function valueKind(v: LeafCondition['value']): ValueKind {
  if (v !== null && typeof v === 'object' && !Array.isArray(v))
    return v.fact.startsWith('param:') ? 'parameter' : 'fact';
  return 'literal';
}

/** Literal values are typed as JSON where they parse (12, true, ["a"]) and as text otherwise. */
export function parseLiteral(text: string): LeafCondition['value'] {
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || ['number', 'boolean', 'string'].includes(typeof v) || Array.isArray(v))
      return v as LeafCondition['value'];
  } catch {
    // plain text
  }
  return text;
}
const jsonText = (v: LeafCondition['value']) => (typeof v === 'string' ? v : JSON.stringify(v));

/** A number typed in Dutch or English (`6`, `2,5`, `2.5`); null when it is empty or no number. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

const FACT_NAMES = Object.keys(FACTS).sort((a, b) => factLabel(a).localeCompare(factLabel(b), 'nl'));

export function ConditionTree(props: ConditionTreeProps) {
  const root = () => props.condition;
  const change = (next: Condition) => props.onChange(next);
  const paramLabel = (name: string) => props.parameterLabel?.(name) ?? name;

  function Leaf(p: { path: Path; leaf: LeafCondition; removable: boolean }) {
    const id = (part: string) => `${props.idPrefix}-${p.path.join('-')}-${part}`;
    const set = (patch: Partial<LeafCondition>) => {
      const next = { fact: p.leaf.fact, operator: p.leaf.operator, value: p.leaf.value, ...patch };
      // a new fact or operator may need another kind of value: a number for a number, a list for "is een van"
      if (!('value' in patch) && !literalFits(next.fact, next.operator, next.value))
        next.value = defaultLiteral(next.fact, next.operator);
      change(replaceAt(root(), p.path, next));
    };
    const kind = () => valueKind(p.leaf.value);
    const [error, setError] = createSignal<string | null>(null);
    const literal = () => literalType(p.leaf);
    const setList = (text: string) => {
      const items = text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const numbers = factType(p.leaf.fact) === 'number' ? items.map((s) => parseNumber(s)) : null;
      if (numbers?.some((n) => n === null)) return setError(t('field.numbers'));
      setError(null);
      set({ value: numbers ? (numbers as number[]) : items });
    };
    const valueInput = (onCommit: (text: string) => void, text: () => string, numeric = false) => (
      <input
        id={id('value')}
        value={text()}
        inputMode={numeric ? 'decimal' : 'text'}
        aria-invalid={error() ? 'true' : undefined}
        aria-describedby={error() ? id('value-error') : undefined}
        onChange={(e) => onCommit(e.currentTarget.value)}
      />
    );
    return (
      <div class="cond-leaf" data-testid="condition">
        <label for={id('fact')} class="sr-only">
          {t('cond.fact')}
        </label>
        <select
          id={id('fact')}
          value={p.leaf.fact}
          onChange={(e) => set({ fact: e.currentTarget.value as LeafCondition['fact'] })}
        >
          <For each={FACT_NAMES}>
            {(f) => (
              <option value={f} title={FACTS[f as keyof typeof FACTS]}>
                {factLabel(f)}
              </option>
            )}
          </For>
        </select>
        <label for={id('op')} class="sr-only">
          {t('cond.operator')}
        </label>
        <select
          id={id('op')}
          value={p.leaf.operator}
          onChange={(e) => set({ operator: e.currentTarget.value as LeafCondition['operator'] })}
        >
          <For each={[...OPERATORS]}>{(o) => <option value={o}>{operatorLabel(o)}</option>}</For>
        </select>
        <label for={id('kind')} class="sr-only">
          {t('cond.valueKind')}
        </label>
        <select
          id={id('kind')}
          value={kind()}
          onChange={(e) => {
            const k = e.currentTarget.value as ValueKind;
            setError(null);
            set({
              value:
                k === 'literal'
                  ? defaultLiteral(p.leaf.fact, p.leaf.operator)
                  : k === 'parameter'
                    ? { fact: `param:${props.parameters[0] ?? ''}` }
                    : { fact: 'profile' },
            });
          }}
        >
          <option value="literal">{t('cond.literal')}</option>
          <option value="parameter">{t('cond.parameter')}</option>
          <option value="fact">{t('cond.otherFact')}</option>
        </select>
        <label for={id('value')} class="sr-only">
          {t('cond.value')}
        </label>
        <Switch>
          <Match when={kind() === 'parameter'}>
            <select
              id={id('value')}
              value={(p.leaf.value as { fact: string }).fact.slice('param:'.length)}
              onChange={(e) => set({ value: { fact: `param:${e.currentTarget.value}` } })}
            >
              <For each={props.parameters}>{(name) => <option value={name}>{paramLabel(name)}</option>}</For>
            </select>
          </Match>
          <Match when={kind() === 'fact'}>
            <select
              id={id('value')}
              value={(p.leaf.value as { fact: string }).fact}
              onChange={(e) => set({ value: { fact: e.currentTarget.value as LeafCondition['fact'] } })}
            >
              <For each={FACT_NAMES}>{(f) => <option value={f}>{factLabel(f)}</option>}</For>
            </select>
          </Match>
          <Match when={literal() === 'boolean'}>
            <select
              id={id('value')}
              value={String(p.leaf.value)}
              onChange={(e) => set({ value: e.currentTarget.value === 'true' })}
            >
              <option value="true">{t('common.yes')}</option>
              <option value="false">{t('common.no')}</option>
            </select>
          </Match>
          <Match when={literal() === 'number'}>
            {valueInput(
              (text) => {
                const n = parseNumber(text);
                if (n === null) return setError(t('field.number'));
                setError(null);
                set({ value: n });
              },
              () => String(p.leaf.value),
              true,
            )}
          </Match>
          <Match when={literal() === 'list' || (LIST_OPERATORS.has(p.leaf.operator) && literal() !== 'json')}>
            {valueInput(setList, () => (Array.isArray(p.leaf.value) ? p.leaf.value.join(', ') : String(p.leaf.value)))}
          </Match>
          <Match when={literal() === 'text' && factChoices(p.leaf.fact)}>
            {(choices) => (
              <select
                id={id('value')}
                value={String(p.leaf.value)}
                onChange={(e) => set({ value: e.currentTarget.value })}
              >
                <Show when={!choices().includes(String(p.leaf.value))}>
                  <option value={String(p.leaf.value)}>{choiceLabel(String(p.leaf.value))}</option>
                </Show>
                <For each={[...choices()]}>{(c) => <option value={c}>{choiceLabel(c)}</option>}</For>
              </select>
            )}
          </Match>
          <Match when={literal() === 'text'}>
            {valueInput(
              (text) => {
                setError(null);
                set({ value: text });
              },
              () => String(p.leaf.value),
            )}
          </Match>
          <Match when={true}>
            {valueInput(
              (text) => set({ value: parseLiteral(text) }),
              () => jsonText(p.leaf.value),
            )}
          </Match>
        </Switch>
        <Show when={error()}>
          <span class="field-error" id={id('value-error')} role="alert">
            {error()}
          </span>
        </Show>
        <button
          type="button"
          class="link"
          disabled={!p.removable}
          title={p.removable ? undefined : t('cond.lastOne')}
          onClick={() => change(removeAt(root(), p.path))}
        >
          {t('cond.removeCondition')}
        </button>
      </div>
    );
  }

  function Group(p: { path: Path; node: Condition; removable: boolean }) {
    const kind = createMemo(() => groupKind(p.node) ?? 'all');
    const id = () => `${props.idPrefix}-${p.path.join('-')}-group`;
    const kids = () => children(p.node);
    return (
      <fieldset class="cond-group" data-testid="condition-group">
        <legend>
          <label for={id()} class="sr-only">
            {t('cond.group')}
          </label>
          <select
            id={id()}
            value={kind()}
            onChange={(e) => change(setGroupKind(root(), p.path, e.currentTarget.value as 'all' | 'any' | 'not'))}
          >
            <option value="all">{t('cond.all')}</option>
            <option value="any">{t('cond.any')}</option>
            <option value="not">{t('cond.not')}</option>
          </select>
        </legend>
        <For each={kids()}>
          {(child, i) => (
            <Node path={[...p.path, i()]} node={child} removable={kind() !== 'not' && kids().length > 1} />
          )}
        </For>
        <div class="cond-actions">
          <Show when={kind() !== 'not'}>
            <button type="button" class="link" onClick={() => change(appendAt(root(), p.path, newLeaf()))}>
              {t('cond.addCondition')}
            </button>
            <button type="button" class="link" onClick={() => change(appendAt(root(), p.path, { all: [newLeaf()] }))}>
              {t('cond.addGroup')}
            </button>
          </Show>
          <Show when={p.path.length > 0}>
            <button type="button" class="link" disabled={!p.removable} onClick={() => change(removeAt(root(), p.path))}>
              {t('cond.removeGroup')}
            </button>
          </Show>
        </div>
      </fieldset>
    );
  }

  function Node(p: { path: Path; node: Condition; removable: boolean }) {
    return (
      <Show when={isLeaf(p.node)} fallback={<Group path={p.path} node={p.node} removable={p.removable} />}>
        <Leaf path={p.path} leaf={p.node as LeafCondition} removable={p.removable} />
      </Show>
    );
  }

  return (
    <div class="cond-tree">
      <Node path={[]} node={root()} removable={false} />
    </div>
  );
}
