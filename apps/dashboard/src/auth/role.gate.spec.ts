import { can } from './role.gate';
import { type KeyValueStore, SessionStore, looksLikeApiKey } from './session.store';

describe('role gating', () => {
  it('a viewer sees no write controls; an operator manages decisions and uploads; only an admin switches simulation, edits the allowlist and moves models', () => {
    const table = (['viewer', 'operator', 'admin', 'bouncer'] as const).map((role) => [role, can(role, 'view'), can(role, 'upload'), can(role, 'manageDecisions'), can(role, 'editAllowlist'), can(role, 'switchSimulation'), can(role, 'manageModels')]);
    expect(table).toEqual([
      ['viewer', true, false, false, false, false, false],
      ['operator', true, true, true, false, false, false],
      ['admin', true, true, true, true, true, true],
      ['bouncer', false, false, false, false, false, false],
    ]);
    expect(can(null, 'view')).toBe(false);
  });
});

describe('session store', () => {
  const memory = (): KeyValueStore & { data: Map<string, string> } => {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
  };

  it('keeps the key and who it is, forgets them on clear, and ignores a damaged entry', () => {
    const storage = memory();
    const store = new SessionStore(storage);
    expect(store.load()).toBeNull();
    const session = { key: 'vgl_0123456789abcdef_' + 'a'.repeat(43), who: { keyId: '0123456789abcdef', name: 'ops', role: 'admin' as const } };
    store.save(session);
    expect(store.load()).toEqual(session);
    store.clear();
    expect(store.load()).toBeNull();
    storage.setItem('vigil.session', '{not json');
    expect(store.load()).toBeNull();
  });

  it('recognises the gateway key format before sending anything', () => {
    expect(looksLikeApiKey(`vgl_0123456789abcdef_${'A'.repeat(43)}`)).toBe(true);
    expect(looksLikeApiKey(`  vgl_0123456789abcdef_${'A'.repeat(43)} `)).toBe(true);
    expect(looksLikeApiKey('vgl_short')).toBe(false);
    expect(looksLikeApiKey('password')).toBe(false);
  });
});
