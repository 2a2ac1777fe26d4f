import { CliUsageError } from '../command/cli-command';
import { parseDecisionsArgs, parseDuration } from './decisions.args';

describe('vigil decisions arguments', () => {
  it('maps each sub-command to its self-healing request, with the actor for the audit trail', () => {
    expect(parseDecisionsArgs(['list', '--status', 'active,failed', '--limit', '20'], 'cli:alice')).toEqual({ name: 'listDecisions', json: false, payload: { status: ['active', 'failed'], limit: 20 } });
    expect(parseDecisionsArgs(['create', '198.51.100.0/24', '--action', 'throttle', '--duration', '2h', '--reason', 'scan'], 'cli:alice')).toEqual({
      name: 'createDecision', json: false,
      payload: { scope: 'range', value: '198.51.100.0/24', action: 'throttle', durationSeconds: 7200, actor: 'cli:alice', reason: 'scan', origin: 'manual' },
    });
    expect(parseDecisionsArgs(['create', 'vigil.io/quarantine=web-1', '--action', 'isolate'], 'bob')).toMatchObject({ payload: { scope: 'pod', value: 'vigil.io/quarantine=web-1', action: 'isolate' } });
    expect(parseDecisionsArgs(['revoke', 'abc', '--json'], 'bob')).toEqual({ name: 'revokeDecision', json: true, payload: { id: 'abc', actor: 'bob', reason: '' } });
    expect(parseDecisionsArgs(['simulation'], 'bob').name).toBe('getSimulation');
    expect(parseDecisionsArgs(['simulation', 'off', '--reason', 'tuned'], 'bob')).toMatchObject({ name: 'setSimulation', payload: { enabled: false, reason: 'tuned' } });
    expect(parseDecisionsArgs(['allowlist', 'add', '10.1.0.0/16', '--note', 'office'], 'bob')).toMatchObject({ name: 'addAllowlist', payload: { cidr: '10.1.0.0/16', note: 'office' } });
    expect(parseDecisionsArgs(['allowlist'], 'bob').name).toBe('listAllowlist');
  });

  it('refuses usage mistakes with a usage error', () => {
    for (const argv of [[], ['ban'], ['show'], ['show', 'a', 'b'], ['list', '--status', 'gone'], ['simulation', 'maybe'], ['create', '1.2.3.4', '--duration', 'soon'], ['allowlist', 'drop', 'x'], ['list', '--bogus']]) {
      expect(() => parseDecisionsArgs(argv, 'a')).toThrow(CliUsageError);
    }
  });

  it('reads durations in seconds, minutes, hours and days', () => {
    expect(['600', '90s', '15m', '2h', '7d'].map(parseDuration)).toEqual([600, 90, 900, 7200, 604800]);
  });
});
