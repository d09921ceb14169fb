/**
 * A rule's conditions as an editable tree: groups (all / any / not) and conditions (fact,
 * operator, value). Pickers offer only the facts, operators and parameters that exist.
 */
import { For, Show } from 'solid-js';
import { FACTS, OPERATORS, type Condition, type LeafCondition } from '../../engine/browser.js';
import {
  appendAt,
  children,
  groupKind,
  isLeaf,
  newLeaf,
  removeAt,
  replaceAt,
  setGroupKind,
  type Path,
} from '../lib/conditions.js';
import { t } from '../lib/i18n.js';

export interface ConditionTreeProps {
  condition: Condition;
  parameters: string[];
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
const literalText = (v: LeafCondition['value']) => (typeof v === 'string' ? v : JSON.stringify(v));

export function ConditionTree(props: ConditionTreeProps) {
  const root = () => props.condition;
  const change = (next: Condition) => props.onChange(next);

  function Leaf(p: { path: Path; leaf: LeafCondition }) {
    const id = (part: string) => `${props.idPrefix}-${p.path.join('-')}-${part}`;
    const set = (patch: Partial<LeafCondition>) => change(replaceAt(root(), p.path, { ...p.leaf, ...patch }));
    const kind = () => valueKind(p.leaf.value);
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
          <For each={Object.keys(FACTS)}>
            {(f) => (
              <option value={f} title={FACTS[f as keyof typeof FACTS]}>
                {f}
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
          <For each={[...OPERATORS]}>{(o) => <option value={o}>{o}</option>}</For>
        </select>
        <label for={id('kind')} class="sr-only">
          {t('cond.valueKind')}
        </label>
        <select
          id={id('kind')}
          value={kind()}
          onChange={(e) => {
            const k = e.currentTarget.value as ValueKind;
            set({
              value:
                k === 'literal'
                  ? 0
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
        <Show when={kind() === 'literal'}>
          <input
            id={id('value')}
            value={literalText(p.leaf.value)}
            onChange={(e) => set({ value: parseLiteral(e.currentTarget.value) })}
          />
        </Show>
        <Show when={kind() === 'parameter'}>
          <select
            id={id('value')}
            value={(p.leaf.value as { fact: string }).fact.slice('param:'.length)}
            onChange={(e) => set({ value: { fact: `param:${e.currentTarget.value}` } })}
          >
            <For each={props.parameters}>{(name) => <option value={name}>{name}</option>}</For>
          </select>
        </Show>
        <Show when={kind() === 'fact'}>
          <select
            id={id('value')}
            value={(p.leaf.value as { fact: string }).fact}
            onChange={(e) => set({ value: { fact: e.currentTarget.value as LeafCondition['fact'] } })}
          >
            <For each={Object.keys(FACTS)}>{(f) => <option value={f}>{f}</option>}</For>
          </select>
        </Show>
        <Show when={p.path.length > 0}>
          <button type="button" class="link" onClick={() => change(removeAt(root(), p.path))}>
            {t('cond.remove')}
          </button>
        </Show>
      </div>
    );
  }

  function Node(p: { path: Path; node: Condition }) {
    if (isLeaf(p.node)) return <Leaf path={p.path} leaf={p.node} />;
    const kind = groupKind(p.node)!;
    const id = `${props.idPrefix}-${p.path.join('-')}-group`;
    return (
      <fieldset class="cond-group" data-testid="condition-group">
        <legend>
          <label for={id} class="sr-only">
            {t('cond.group')}
          </label>
          <select
            id={id}
            value={kind}
            onChange={(e) => change(setGroupKind(root(), p.path, e.currentTarget.value as 'all' | 'any' | 'not'))}
          >
            <option value="all">{t('cond.all')}</option>
            <option value="any">{t('cond.any')}</option>
            <option value="not">{t('cond.not')}</option>
          </select>
        </legend>
        <For each={children(p.node)}>{(child, i) => <Node path={[...p.path, i()]} node={child} />}</For>
        <Show when={kind !== 'not'}>
          <div class="cond-actions">
            <button type="button" class="link" onClick={() => change(appendAt(root(), p.path, newLeaf()))}>
              {t('cond.addCondition')}
            </button>
            <button type="button" class="link" onClick={() => change(appendAt(root(), p.path, { all: [newLeaf()] }))}>
              {t('cond.addGroup')}
            </button>
            <Show when={p.path.length > 0}>
              <button type="button" class="link" onClick={() => change(removeAt(root(), p.path))}>
                {t('cond.remove')}
              </button>
            </Show>
          </div>
        </Show>
      </fieldset>
    );
  }

  return <div class="cond-tree">{<Node path={[]} node={root()} />}</div>;
}
