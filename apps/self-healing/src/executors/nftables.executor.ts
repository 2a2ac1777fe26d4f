import { parseIpNetwork } from '@vigil/remediation';
import { type DecisionEntity } from '../decisions/decision.entity';
import { type DecisionExecutor } from './decision.executor';
import { type NftRunner } from './nftables.runner';
import { removeElementScript, replaceTableScript, upsertElementScript, type NftElement, type NftSetKind } from './nftables.script';

/** ban and isolate drop; throttle rate-limits; alert never reaches the kernel. */
function setKind(action: DecisionEntity['action']): NftSetKind | undefined {
  switch (action) {
    case 'ban':
    case 'isolate':
      return 'ban';
    case 'throttle':
      return 'throttle';
    case 'alert':
      return undefined;
  }
}

function element(decision: DecisionEntity, now: Date): NftElement | undefined {
  const kind = setKind(decision.action);
  if (!kind || decision.scope === 'pod') return undefined;
  const timeoutSeconds = (decision.expiresAt.getTime() - now.getTime()) / 1000;
  if (timeoutSeconds <= 0) return undefined;
  return { network: parseIpNetwork(decision.value), kind, timeoutSeconds };
}

/**
 * Enforces IP and range decisions in the `inet vigil` table. Elements carry nftables'
 * native timeouts, so the kernel lifts a ban at its expiry even if Vigil is down.
 */
export class NftablesExecutor implements DecisionExecutor {
  readonly name = 'nftables';

  constructor(private readonly runner: NftRunner, private readonly opts: { throttlePps: number }) {}

  async reconcile(enforced: readonly DecisionEntity[], now: Date): Promise<void> {
    const elements = enforced.map((d) => element(d, now)).filter((e): e is NftElement => e !== undefined);
    await this.runner.run(replaceTableScript({ throttlePps: this.opts.throttlePps, elements }));
  }

  async apply(decision: DecisionEntity, now: Date): Promise<void> {
    const el = element(decision, now);
    if (el) await this.runner.run(upsertElementScript(el));
  }

  async withdraw(decision: DecisionEntity): Promise<void> {
    if (decision.scope === 'pod') return;
    await this.runner.run(removeElementScript(parseIpNetwork(decision.value)));
  }

  /** The kernel's view: every element of our sets as `set -> values` (for checks and tests). */
  async kernelElements(): Promise<Record<string, string[]>> {
    const json = (await this.runner.listJson(['list', 'table', 'inet', 'vigil'])) as { nftables?: { set?: { name: string; elem?: unknown[] } }[] };
    const result: Record<string, string[]> = {};
    for (const item of json.nftables ?? []) {
      if (!item.set) continue;
      result[item.set.name] = (item.set.elem ?? []).map(elementValue);
    }
    return result;
  }
}

function elementValue(raw: unknown): string {
  const val = (raw as { elem?: { val?: unknown } }).elem?.val ?? raw;
  if (typeof val === 'string') return val;
  const prefix = (val as { prefix?: { addr: string; len: number } }).prefix;
  return prefix ? `${prefix.addr}/${prefix.len}` : JSON.stringify(val);
}
