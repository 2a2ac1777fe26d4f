import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from '../api/api.client';
import { AlertDetailPage } from '../alerts/alert-detail.page';
import { AlertsPage } from '../alerts/alerts.page';
import { type Session, SessionStore } from '../auth/session.store';
import { DecisionsPage } from '../decisions/decisions.page';
import { type LiveChannel, LiveSocket, type LiveStatus, type SocketLike } from '../live/live.socket';
import { ModelsPage } from '../models/models.page';
import { OverviewPage } from '../overview/overview.page';
import { UploadPage } from '../upload/upload.page';
import { AppContext, type AppServices } from './app.context';
import { PAGES, type Route, parseRoute, routeHref } from './app.router';
import { LoginPage } from './login.page';

const REVOKED = 'Your API key was refused by the gateway: it has been revoked or no longer exists. Sign in with a valid key.';

export function App() {
  const store = useMemo(() => new SessionStore(window.sessionStorage), []);
  const [session, setSession] = useState<Session | null>(() => store.load());
  const [notice, setNotice] = useState<string | null>(null);
  const logout = (message: string | null) => {
    store.clear();
    setSession(null);
    setNotice(message);
  };
  if (!session) return <LoginPage notice={notice} onLogin={(s) => { store.save(s); setNotice(null); setSession(s); }} />;
  return <SignedIn key={session.key} session={session} onLogout={logout} />;
}

function SignedIn({ session, onLogout }: { session: Session; onLogout(message: string | null): void }) {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [liveStatus, setLiveStatus] = useState<LiveStatus>('connecting');
  const [said, setSaid] = useState<{ text: string; tone: 'info' | 'error' } | null>(null);
  const listeners = useRef(new Map<LiveChannel, Set<(data: unknown) => void>>());
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    const onHash = () => {
      setRoute(parseRoute(location.hash));
      main.current?.focus();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const services = useMemo<AppServices>(() => ({
    api: new ApiClient({ key: session.key, onUnauthorized: () => onLogout(REVOKED) }),
    who: session.who,
    liveStatus: 'connecting',
    subscribe: (channel, listener) => {
      const set = listeners.current.get(channel) ?? new Set();
      listeners.current.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    announce: (text, tone = 'info') => setSaid({ text, tone }),
  }), [session]);

  useEffect(() => {
    if (!said) return;
    const timer = setTimeout(() => setSaid(null), 6_000);
    return () => clearTimeout(timer);
  }, [said]);

  useEffect(() => {
    const socket = new LiveSocket({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
      key: session.key,
      // The DOM's handler types name Event subclasses; LiveSocket reads only the fields SocketLike lists.
      open: (url) => new WebSocket(url) as unknown as SocketLike,
      onMessage: (m) => listeners.current.get(m.channel)?.forEach((l) => l(m.data)),
      onStatus: setLiveStatus,
      onUnauthorized: () => onLogout(REVOKED),
    });
    socket.start();
    return () => socket.stop();
  }, [session]);

  return (
    <AppContext.Provider value={{ ...services, liveStatus }}>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <span class="brand"><span class="logo" aria-hidden="true">◆</span> Vigil</span>
        <nav aria-label="Main">
          <ul class="nav">
            {PAGES.map((p) => (
              <li key={p.page}><a href={routeHref(p.page)} aria-current={route.page === p.page ? 'page' : undefined}>{p.label}</a></li>
            ))}
          </ul>
        </nav>
        <span class={`live live-${liveStatus}`} title="Live feed">{liveStatus === 'open' ? '● live' : liveStatus === 'connecting' ? '○ connecting' : '○ offline'}</span>
        <span class="whoami">{session.who.name} <span class="muted">({session.who.role})</span></span>
        <button type="button" class="btn btn-small" onClick={() => onLogout(null)}>Sign out</button>
      </header>
      <div class={said ? `toast toast-${said.tone}` : 'visually-hidden'} role="status" aria-live="polite">{said?.text ?? ''}</div>
      <main id="main" ref={main} tabIndex={-1}>
        <Page route={route} />
      </main>
    </AppContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'alerts':
      return route.id ? <AlertDetailPage id={route.id} /> : <AlertsPage key={JSON.stringify(route.params)} params={route.params} />;
    case 'decisions':
      return <DecisionsPage id={route.id} params={route.params} />;
    case 'models':
      return <ModelsPage />;
    case 'upload':
      return <UploadPage />;
  }
}
