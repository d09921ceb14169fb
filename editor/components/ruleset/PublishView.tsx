/** Publishing the draft: a valid-from date, validation, the impact analysis, then the publish. */
import { Show } from 'solid-js';
import { api } from '../../lib/api.js';
import { t } from '../../lib/i18n.js';
import { createPublish } from '../../lib/publish.js';
import type { RuleSetStore } from '../../lib/ruleset-store.js';
import { ProblemMessage } from '../Problem.js';
import { ImpactPanel } from './ImpactPanel.js';

export function PublishView(props: { store: RuleSetStore; ruleSetId: string; onPublished: (v: number) => void }) {
  const publishing = createPublish(api, props.store, props.ruleSetId);
  async function publish() {
    const version = await publishing.publish();
    if (version !== undefined) props.onPublished(version);
  }
  return (
    <section>
      <label for="publish-valid-from">{t('publish.validFrom')}</label>{' '}
      <input
        id="publish-valid-from"
        type="date"
        required
        value={publishing.validFrom()}
        onInput={(e) => publishing.setValidFrom(e.currentTarget.value)}
      />{' '}
      <button type="button" onClick={() => void publishing.validate()}>
        {t('publish.validate')}
      </button>
      <Show when={publishing.valid()}>
        <p class="ok" role="status">
          {t('publish.valid')}
        </p>
      </Show>
      <ImpactPanel ruleSetId={props.ruleSetId} draftId={publishing.draftId()} />
      <p>
        <button
          type="button"
          class="primary"
          disabled={!publishing.validFrom()}
          onClick={() => void publish()}
          data-testid="confirm-publish"
        >
          {t('publish.confirm')}
        </button>
      </p>
      <Show when={publishing.error()}>
        <ProblemMessage error={publishing.error()} />
      </Show>
    </section>
  );
}
