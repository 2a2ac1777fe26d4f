import { useState } from 'preact/hooks';
import { ApiClient } from '../api/api.client';
import { describeError } from '../api/api.errors';
import { API } from '../api/api.routes';
import { type WhoAmI } from '../api/api.types';
import { type Session, looksLikeApiKey } from '../auth/session.store';

/** Asks for an API key and checks it with the gateway before keeping it for the tab. */
export function LoginPage({ onLogin, notice }: { onLogin(session: Session): void; notice: string | null }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const trimmed = key.trim();
    if (!looksLikeApiKey(trimmed)) return setError('That is not a Vigil API key (vgl_…). Ask an admin for one: vigil keys create.');
    setBusy(true);
    try {
      const who = await new ApiClient({ key: trimmed }).get<WhoAmI>(API.whoami);
      if (who.role === 'bouncer') throw new Error('A bouncer key reads only the decision stream; the dashboard needs a viewer, operator or admin key.');
      onLogin({ key: trimmed, who });
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <form class="login-card" onSubmit={(e) => void submit(e)} aria-describedby="login-help">
        <h1><span class="logo" aria-hidden="true">◆</span> Vigil</h1>
        <p id="login-help" class="muted">Sign in with your API key. It is kept for this tab only (session storage).</p>
        {notice ? <p class="error-box" role="alert">{notice}</p> : null}
        <label class="field">
          <span>API key</span>
          <input type="password" name="apiKey" autoComplete="off" spellcheck={false} value={key} required autoFocus
            onInput={(e) => setKey((e.target as HTMLInputElement).value)} aria-invalid={error ? 'true' : undefined} aria-errormessage="login-error" />
        </label>
        {error ? <p id="login-error" class="error-box" role="alert">{error}</p> : null}
        <button type="submit" class="btn btn-primary" disabled={busy}>{busy ? 'Checking…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
