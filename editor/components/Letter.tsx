/**
 * The motivation letter (Awb 3:46) on screen: the engine's `Letter` structure as Solid components,
 * the same words the server's `/motivation` gives, with a button that prints just the letter (the
 * print stylesheet hides everything around `.letter` while one is shown).
 */
import { createMemo, createSignal, For, type JSX, Show } from 'solid-js';
import { Case, type Decision, type Letter, motivationLetter } from '../../engine/browser.js';
import { t } from '../lib/i18n.js';

export function LetterView(props: { letter: Letter }) {
  const l = () => props.letter;
  return (
    <article class={`letter${l().preview ? ' letter-preview' : ''}`} data-testid="letter" lang="nl">
      <Show when={l().preview}>
        <p class="letter-preview-mark" data-testid="letter-preview-mark">
          {t('letter.previewMark')}
        </p>
      </Show>
      <p>
        {l().sender}
        <br />
        {l().date}
      </p>
      <p>{l().addressee}</p>
      <h2 class="letter-subject">{t('letter.regarding', { subject: l().subject })}</h2>
      <p>
        <strong>{l().outcome}</strong>
      </p>
      <Show when={l().warning}>{(w) => <p class="letter-warning">{w()}</p>}</Show>
      <For each={l().sections}>
        {(s) => (
          <section>
            <h3>{s.heading}</h3>
            <For each={s.text}>{(p) => <p>{p}</p>}</For>
          </section>
        )}
      </For>
      <section>
        <h3>{t('letter.accountability')}</h3>
        <table class="accountability">
          <tbody>
            <For each={l().accountability}>
              {(a) => (
                <tr>
                  <th scope="row">{a.label}</th>
                  <td class="hash">{a.value}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </section>
    </article>
  );
}

/**
 * A letter behind a button: "Brief bekijken" shows it, "Afdrukken" prints it alone. `letter` is
 * built only when shown; it may be null when no letter can be made (an invalid case).
 */
export function LetterPanel(props: {
  heading: string;
  openLabel: string;
  letter: () => Letter | null;
  unavailable?: string;
  /** The same letter as the server serves it, to open as a page of its own. */
  pageUrl?: string;
  testId: string;
  children?: JSX.Element;
}) {
  const [open, setOpen] = createSignal(false);
  // built once each time it is opened (a preview is dated the moment it is shown)
  const letter = createMemo(() => (open() ? props.letter() : null));
  return (
    <section class="letter-panel" data-testid={props.testId}>
      <h3>{props.heading}</h3>
      {props.children}
      <div class="toolbar">
        <button
          type="button"
          aria-expanded={open()}
          onClick={() => setOpen(!open())}
          data-testid={`${props.testId}-toggle`}
        >
          {open() ? t('letter.hide') : props.openLabel}
        </button>
        <Show when={letter()}>
          <button type="button" onClick={() => window.print()} data-testid={`${props.testId}-print`}>
            {t('letter.print')}
          </button>
        </Show>
        <Show when={props.pageUrl}>
          {(url) => (
            <a href={url()} target="_blank" rel="noopener">
              {t('letter.openPage')}
            </a>
          )}
        </Show>
      </div>
      <Show when={open()}>
        <Show when={letter()} fallback={<p class="problem">{props.unavailable}</p>}>
          {(l) => <LetterView letter={l()} />}
        </Show>
      </Show>
    </section>
  );
}

/**
 * The test bench's letter for a decision it made without logging: built in the browser, dated
 * now, without a decision number, and marked as a preview ("VOORBEELD") on screen and on paper.
 * A decision the bench logged has its real letter in the audit.
 */
export function LetterPreview(props: { decision: Decision; case: unknown }) {
  const loggedAs = () => (props.decision as Decision & { id?: string | null }).id ?? null;
  const letter = () => {
    const parsed = Case.safeParse(props.case);
    if (!parsed.success) return null;
    return motivationLetter({
      decision: props.decision,
      case: parsed.data,
      decisionId: null,
      decidedAt: new Date().toISOString(),
      preview: true,
    });
  };
  return (
    <LetterPanel
      heading={t('letter.previewHeading')}
      openLabel={t('letter.previewOpen')}
      letter={letter}
      unavailable={t('letter.previewUnavailable')}
      testId="letter-preview"
    >
      <Show when={loggedAs()}>
        {(id) => (
          <p class="muted">
            <a href={`#/audit/${id()}`}>{t('letter.loggedInAudit')}</a>
          </p>
        )}
      </Show>
    </LetterPanel>
  );
}
