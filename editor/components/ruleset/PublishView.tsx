/**
 * Publishing the draft. With four eyes: a valid-from date and a required change note, the
 * Dutch change list, the findings and the impact analysis, then "submit for approval"; a
 * submitted draft waits for approval ("Wacht op goedkeuring"), which another writer gives (or a
 * rejection with a comment) on the same screen. Without four eyes: validate, impact, publish.
 */
import { createSignal, Show } from 'solid-js';
import { api } from '../../lib/api.js';
import type { Governance } from '../../lib/governance.js';
import { t } from '../../lib/i18n.js';
import { createPublish } from '../../lib/publish.js';
import type { RuleSetStore } from '../../lib/ruleset-store.js';
import { ProblemMessage } from '../Problem.js';
import { ChangeList, FindingsList } from './ChangeList.js';
import { ImpactPanel } from './ImpactPanel.js';

export function PublishView(props: {
  store: RuleSetStore;
  ruleSetId: string;
  onPublished: (v: number) => void;
  governance: Governance;
  fourEyes: boolean;
  me: string | null;
}) {
  const publishing = createPublish(api, props.store, props.ruleSetId);
  const [changeNote, setChangeNote] = createSignal('');
  const [comment, setComment] = createSignal('');
  const [impactJobId, setImpactJobId] = createSignal<string | undefined>(undefined);
  const g = props.governance;
  const status = () => g.status();
  const submitted = () => status()?.status === 'submitted';

  async function publish() {
    const version = await publishing.publish();
    if (version !== undefined) props.onPublished(version);
  }
  async function submit() {
    if (!(await props.store.saveIfDirty())) return;
    await g.submit(publishing.validFrom(), changeNote().trim());
  }
  async function approve() {
    const published = await g.approve(impactJobId());
    if (published) props.onPublished(published.version);
  }
  async function reject() {
    if (await g.reject(comment().trim())) {
      setComment('');
      await props.store.load(props.store.draft()!.draftId);
    }
  }

  return (
    <section>
      <Show when={status()?.rejectionComment && !submitted()}>
        <p class="problem" role="alert" data-testid="rejection">
          {t('gov.rejected', {
            who: status()!.rejectedBy ?? '?',
            at: (status()!.rejectedAt ?? '').slice(0, 16),
            comment: status()!.rejectionComment ?? '',
          })}
        </p>
      </Show>
      <Show
        when={submitted()}
        fallback={
          <>
            <Show when={props.fourEyes}>
              <p class="muted">{t('gov.fourEyes')}</p>
            </Show>
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
            <Show when={props.fourEyes}>
              <p>
                <label for="change-note">{t('gov.changeNote')}</label>
                <br />
                <textarea
                  id="change-note"
                  rows="3"
                  cols="80"
                  required
                  value={changeNote()}
                  onInput={(e) => setChangeNote(e.currentTarget.value)}
                  data-testid="change-note"
                />
              </p>
              <ChangeList changes={g.changes()} />
              <FindingsList analysis={g.analysis()} />
            </Show>
          </>
        }
      >
        <p class="warning" role="status" data-testid="awaiting-approval">
          <strong>{t('gov.awaiting')}</strong> ·{' '}
          {t('gov.awaitingBy', {
            who: status()!.submittedBy ?? '?',
            at: (status()!.submittedAt ?? '').slice(0, 16),
            validFrom: status()!.submittedValidFrom ?? '',
            note: status()!.changeNote ?? '',
          })}
        </p>
        <ChangeList changes={g.changes()} />
        <FindingsList analysis={g.analysis()} />
      </Show>
      <ImpactPanel ruleSetId={props.ruleSetId} draftId={publishing.draftId()} onDone={setImpactJobId} />
      <Show
        when={props.fourEyes}
        fallback={
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
        }
      >
        <Show
          when={submitted()}
          fallback={
            <p>
              <button
                type="button"
                class="primary"
                disabled={!publishing.validFrom() || changeNote().trim() === '' || g.busy()}
                onClick={() => void submit()}
                data-testid="submit-draft"
              >
                {t('gov.submit')}
              </button>
            </p>
          }
        >
          <Show when={status()!.submittedBy !== props.me} fallback={<p class="muted">{t('gov.ownSubmission')}</p>}>
            <p>
              <button
                type="button"
                class="primary"
                disabled={g.busy()}
                onClick={() => void approve()}
                data-testid="approve-draft"
              >
                {t('gov.approve')}
              </button>
            </p>
          </Show>
          <p>
            <label for="reject-comment">{t('gov.rejectComment')}</label>{' '}
            <input
              id="reject-comment"
              value={comment()}
              onInput={(e) => setComment(e.currentTarget.value)}
              data-testid="reject-comment"
            />{' '}
            <button
              type="button"
              disabled={comment().trim() === '' || g.busy()}
              onClick={() => void reject()}
              data-testid="reject-draft"
            >
              {t('gov.reject')}
            </button>
          </p>
        </Show>
      </Show>
      <Show when={publishing.error()}>
        <ProblemMessage error={publishing.error()} />
      </Show>
      <Show when={g.error()}>
        <ProblemMessage error={g.error()} />
      </Show>
    </section>
  );
}
