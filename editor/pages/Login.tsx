/** Signing in to the editor (a session cookie); shown when the server asks for an identity. */
import { createSignal, Show } from 'solid-js';
import { ProblemMessage } from '../components/Problem.js';
import { api, read } from '../lib/api.js';
import { t } from '../lib/i18n.js';

export function Login(props: { onLoggedIn: () => void }) {
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<unknown>(null);
  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    try {
      await read(api.api.session.$post({ json: { username: username(), password: password() } }));
      props.onLoggedIn();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <form class="card login" onSubmit={submit}>
      <h1>{t('login.heading')}</h1>
      <label for="login-username">{t('login.username')}</label>
      <input
        id="login-username"
        autocomplete="username"
        value={username()}
        onInput={(e) => setUsername(e.currentTarget.value)}
      />
      <label for="login-password">{t('login.password')}</label>
      <input
        id="login-password"
        type="password"
        autocomplete="current-password"
        value={password()}
        onInput={(e) => setPassword(e.currentTarget.value)}
      />
      <button type="submit" class="primary">
        {t('login.submit')}
      </button>
      <Show when={error()}>
        <ProblemMessage error={error()} />
      </Show>
    </form>
  );
}
