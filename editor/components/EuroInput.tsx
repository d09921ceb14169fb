/**
 * An amount of money typed as euros (`20.000`, `20.000,00`, `€ 20.000`) and kept in cents. What
 * cannot be read — an emptied field, `20,000.00` — is pointed at beside the field and changes
 * nothing; it is never saved as € 0.
 */
import { createSignal, Show } from 'solid-js';
import type { Issue } from '../lib/api.js';
import { eurosForInput, parseEuros } from '../lib/euros.js';
import { FieldIssues } from './Problem.js';

export function EuroInput(props: {
  id: string;
  cents: number;
  onChange: (cents: number) => void;
  /** An accessible name, when no <label for> names the field. */
  label?: string;
  testId?: string;
  /** The server's problems with this amount. */
  issues?: readonly Issue[];
}) {
  const [error, setError] = createSignal<string | null>(null);
  const invalid = () => error() !== null || (props.issues?.length ?? 0) > 0;
  return (
    <span class="euro-field">
      <span class="euro-input">
        <span aria-hidden="true">€</span>
        <input
          id={props.id}
          data-testid={props.testId}
          aria-label={props.label}
          value={eurosForInput(props.cents)}
          inputMode="decimal"
          autocomplete="off"
          aria-invalid={invalid() ? 'true' : undefined}
          aria-describedby={invalid() ? `${props.id}-error` : undefined}
          onChange={(e) => {
            const parsed = parseEuros(e.currentTarget.value);
            if (!parsed.ok) return setError(parsed.error);
            setError(null);
            // the same amount typed another way ("20000" for "20.000") is shown the usual way again
            e.currentTarget.value = eurosForInput(parsed.cents);
            props.onChange(parsed.cents);
          }}
        />
      </span>
      <Show when={error()} fallback={<FieldIssues id={`${props.id}-error`} issues={props.issues ?? []} />}>
        <span class="field-error" id={`${props.id}-error`} role="alert">
          {error()}
        </span>
      </Show>
    </span>
  );
}
