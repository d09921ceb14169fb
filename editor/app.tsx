/** The shell: navigation, language choice and a small hash router over the pages. */
import { createResource, createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import { api, read } from './lib/api.js';
import { Login } from './pages/Login.js';
import { locale, setLocale, t, type Locale } from './lib/i18n.js';
import { Audit } from './pages/Audit.js';
import { MunicipalityPage } from './pages/Municipality.js';
import { Overview } from './pages/Overview.js';
import { RuleSetEditor } from './pages/RuleSetEditor.js';
import { TestBench } from './pages/TestBench.js';
import { confirmLeave } from './lib/unsaved.js';

function useHash() {
  const current = () => location.hash.replace(/^#/, '') || '/';
  const [hash, setHash] = createSignal(current());
  const listener = () => {
    const next = current();
    if (next === hash()) return;
    // a page with unsaved edits asks first; staying puts the address back without a new entry
    if (!confirmLeave()) return history.replaceState(history.state, '', `#${hash()}`);
    setHash(next);
  };
  window.addEventListener('hashchange', listener);
  onCleanup(() => window.removeEventListener('hashchange', listener));
  return hash;
}

export function App() {
  const hash = useHash();
  const [session, { refetch }] = createResource(() => read(api.api.session.$get()));
  const parts = () => hash().split('/').filter(Boolean);
  return (
    <>
      <a class="skip" href="#main">
        {t('app.title')}
      </a>
      <header class="top">
        <strong class="brand">{t('app.title')}</strong>
        <nav aria-label="main">
          <a href="#/" aria-current={parts()[0] === undefined || parts()[0] === 'rulesets' ? 'page' : undefined}>
            {t('nav.overview')}
          </a>
          <a href="#/bench" aria-current={parts()[0] === 'bench' ? 'page' : undefined}>
            {t('nav.bench')}
          </a>
          <a href="#/audit" aria-current={parts()[0] === 'audit' ? 'page' : undefined}>
            {t('nav.audit')}
          </a>
        </nav>
        <Show when={session()?.user && !session()?.demo}>
          <span>{t('login.as', { name: session()!.user!.name, role: t(`role.${session()!.user!.role}`) })}</span>
          <button
            type="button"
            onClick={async () => {
              await read(api.api.session.$delete());
              void refetch();
            }}
          >
            {t('login.logout')}
          </button>
        </Show>
        <label for="locale" class="sr-only">
          {t('nav.language')}
        </label>
        <select id="locale" value={locale()} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
          <option value="nl">Nederlands</option>
          <option value="en">English</option>
        </select>
      </header>
      <Show when={session()?.demo}>
        <p class="demo-banner" role="status" data-testid="demo-banner">
          {t('demo.banner')}
        </p>
      </Show>
      <main id="main">
        <Show when={session()} fallback={<p>{t('common.loading')}</p>}>
          <Show when={!session()!.loginRequired} fallback={<Login onLoggedIn={() => void refetch()} />}>
            <Switch fallback={<Overview />}>
              <Match when={parts()[0] === 'rulesets' && parts()[1]}>
                {/* keyed on the path so that another draft is a fresh editor */}
                <Switch>
                  <Match when={parts()[2] === 'drafts' && parts()[3]} keyed>
                    {(id) => <RuleSetEditor id={parts()[1]!} draftId={id as string} />}
                  </Match>
                  <Match when={parts()[2] === 'versions' && parts()[3] ? `${parts()[1]}/${parts()[3]}` : false} keyed>
                    {(key) => <RuleSetEditor id={parts()[1]!} version={Number(key.split('/')[1])} />}
                  </Match>
                  <Match when={parts()[1]} keyed>
                    {(id) => <RuleSetEditor id={id as string} />}
                  </Match>
                </Switch>
              </Match>
              <Match when={parts()[0] === 'municipalities' && parts()[1]} keyed>
                {(id) => <MunicipalityPage id={id as string} />}
              </Match>
              <Match when={parts()[0] === 'bench'}>
                <TestBench />
              </Match>
              <Match when={parts()[0] === 'audit'}>
                <Audit decisionId={parts()[1]} />
              </Match>
            </Switch>
          </Show>
        </Show>
      </main>
    </>
  );
}
