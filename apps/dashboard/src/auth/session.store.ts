import { type WhoAmI } from '../api/api.types';

/** The slice of Web Storage the session needs (sessionStorage in the browser, a map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Session { key: string; who: WhoAmI }

const STORAGE_KEY = 'vigil.session';

/**
 * The API key lives in sessionStorage: it survives a reload of the tab but not the tab itself,
 * and never reaches localStorage or a cookie.
 */
export class SessionStore {
  constructor(private readonly storage: KeyValueStore) {}

  load(): Session | null {
    const raw = this.storage.getItem(STORAGE_KEY);
    if (raw === null) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<Session>;
      if (typeof parsed.key !== 'string' || typeof parsed.who?.role !== 'string') return null;
      return parsed as Session;
    } catch {
      return null;
    }
  }

  save(session: Session): void {
    this.storage.setItem(STORAGE_KEY, JSON.stringify(session));
  }

  clear(): void {
    this.storage.removeItem(STORAGE_KEY);
  }
}

/** A key as the gateway issues it (`vgl_<16 hex>_<43 chars>`); anything else is refused before a request. */
export function looksLikeApiKey(text: string): boolean {
  return /^vgl_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/.test(text.trim());
}
