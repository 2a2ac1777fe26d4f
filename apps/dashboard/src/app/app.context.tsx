import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { type ApiClient } from '../api/api.client';
import { type WhoAmI } from '../api/api.types';
import { describeError } from '../api/api.errors';
import { type LiveChannel, type LiveStatus } from '../live/live.socket';

export interface AppServices {
  api: ApiClient;
  who: WhoAmI;
  liveStatus: LiveStatus;
  /** Listens to a live channel; returns the unsubscribe function. */
  subscribe(channel: LiveChannel, listener: (data: unknown) => void): () => void;
  /** Says something to screen readers (and shows it briefly). */
  announce(message: string, tone?: 'info' | 'error'): void;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp outside the signed-in app');
  return app;
}

export interface Loaded<T> { data: T | null; error: string | null; loading: boolean; reload(): void }

/** Loads data with the app's client; reload() fetches again without clearing what is shown. */
export function useLoad<T>(load: (app: AppServices) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const app = useApp();
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: true });
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    load(app).then(
      (data) => mine === generation.current && setState({ data, error: null, loading: false }),
      (err: unknown) => mine === generation.current && setState((s) => ({ data: s.data, error: describeError(err), loading: false })),
    );
    // The caller's deps decide when to load again.
  }, deps);
  useEffect(() => reload(), [reload]);
  return { ...state, reload };
}

/** Calls `listener` for every event of a live channel while mounted. */
export function useLive(channel: LiveChannel, listener: (data: unknown) => void): void {
  const app = useApp();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => app.subscribe(channel, (data) => latest.current(data)), [app, channel]);
}

/** Re-renders every `ms` (clocks, relative times, the chart window moving on). */
export function useTick(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
