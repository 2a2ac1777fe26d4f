import { parseArgs } from 'node:util';
import { DECISION_STATUSES } from '@vigil/contracts';
import { CliUsageError } from '../command/cli-command';
import { type DecisionsRequest } from './decisions.transport';

/** One request to self-healing, plus how to print its answer. */
export interface DecisionsCall {
  readonly name: DecisionsRequest;
  readonly payload: Record<string, unknown>;
  readonly json: boolean;
}

const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `600`, `90s`, `15m`, `2h`, `7d` as seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) throw new CliUsageError(`--duration must be like 600, 90s, 15m, 2h or 7d, not "${text}"`);
  return Number(match[1]) * (UNITS[match[2] || 's'] ?? 1);
}

function options(argv: string[], spec: Record<string, { type: 'string' | 'boolean' }>): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...spec, json: { type: 'boolean' } }, strict: true, allowPositionals: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
}

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function one(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new CliUsageError(`expected exactly one ${what}`);
  return positionals[0]!;
}

function list(argv: string[]): DecisionsCall {
  const { values, positionals } = options(argv, { status: { type: 'string' }, action: { type: 'string' }, value: { type: 'string' }, limit: { type: 'string' } });
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"`);
  const status = str(values['status'])?.split(',').map((s) => s.trim());
  for (const s of status ?? []) if (!(DECISION_STATUSES as readonly string[]).includes(s)) throw new CliUsageError(`--status: unknown status "${s}" (${DECISION_STATUSES.join(', ')})`);
  const limit = str(values['limit']);
  return {
    name: 'listDecisions',
    json: values['json'] === true,
    payload: { ...(status ? { status } : {}), ...(str(values['action']) ? { action: values['action'] } : {}), ...(str(values['value']) ? { value: values['value'] } : {}), ...(limit ? { limit: Number(limit) } : {}) },
  };
}

function create(argv: string[], actor: string): DecisionsCall {
  const { values, positionals } = options(argv, { action: { type: 'string' }, duration: { type: 'string' }, scope: { type: 'string' }, reason: { type: 'string' } });
  const value = one(positionals, 'IP address, CIDR or pod label selector');
  const action = str(values['action']) ?? 'ban';
  const durationSeconds = parseDuration(str(values['duration']) ?? '1h');
  // A label selector (`app=web`) names pods; its keys may hold a '/', so check '=' first.
  const scope = str(values['scope']) ?? (value.includes('=') ? 'pod' : value.includes('/') ? 'range' : 'ip');
  return { name: 'createDecision', json: values['json'] === true, payload: { scope, value, action, durationSeconds, actor, reason: str(values['reason']) ?? '', origin: 'manual' } };
}

function transition(name: DecisionsRequest, argv: string[], actor: string): DecisionsCall {
  const { values, positionals } = options(argv, { reason: { type: 'string' } });
  return { name, json: values['json'] === true, payload: { id: one(positionals, 'decision id'), actor, reason: str(values['reason']) ?? '' } };
}

function simulation(argv: string[], actor: string): DecisionsCall {
  const { values, positionals } = options(argv, { reason: { type: 'string' } });
  const json = values['json'] === true;
  if (positionals.length === 0) return { name: 'getSimulation', json, payload: {} };
  const state = one(positionals, 'on or off');
  if (state !== 'on' && state !== 'off') throw new CliUsageError(`simulation takes on or off, not "${state}"`);
  return { name: 'setSimulation', json, payload: { enabled: state === 'on', actor, reason: str(values['reason']) ?? '' } };
}

function allowlist(argv: string[], actor: string): DecisionsCall {
  const { values, positionals } = options(argv, { note: { type: 'string' } });
  const json = values['json'] === true;
  const [verb = 'list', ...rest] = positionals;
  if (verb === 'list' && rest.length === 0) return { name: 'listAllowlist', json, payload: {} };
  if (verb === 'add') return { name: 'addAllowlist', json, payload: { cidr: one(rest, 'CIDR'), note: str(values['note']) ?? '', actor } };
  if (verb === 'remove') return { name: 'removeAllowlist', json, payload: { cidr: one(rest, 'CIDR'), actor } };
  throw new CliUsageError('allowlist takes list, add CIDR [--note TEXT] or remove CIDR');
}

/** Maps `vigil decisions <sub> ...` to the self-healing request it makes. */
export function parseDecisionsArgs(argv: string[], actor: string): DecisionsCall {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list': return list(rest);
    case 'show': {
      const { values, positionals } = options(rest, {});
      return { name: 'getDecision', json: values['json'] === true, payload: { id: one(positionals, 'decision id') } };
    }
    case 'create': return create(rest, actor);
    case 'revoke': return transition('revokeDecision', rest, actor);
    case 'approve': return transition('approveDecision', rest, actor);
    case 'reject': return transition('rejectDecision', rest, actor);
    case 'simulation': return simulation(rest, actor);
    case 'allowlist': return allowlist(rest, actor);
    default: throw new CliUsageError(sub === undefined ? 'a sub-command is required' : `unknown sub-command "${sub}"`);
  }
}
