import { createHash } from 'node:crypto';
import { type ContractId, type FlowEnvelope } from '@vigil/contracts';

/**
 * A stable flow id: from the source's `Flow ID` (+ `Timestamp` when present), else a hash of
 * the canonical record (contract-order feature bytes + envelope), so a re-sent record gets the
 * same id whichever door or batch it comes through.
 */
export function flowIdOf(args: { contract: ContractId; envelope: FlowEnvelope; features: Float32Array }): string {
  const hash = createHash('sha256').update(args.contract).update('\u0000');
  const { envelope } = args;
  if (envelope.flowId !== undefined) {
    hash.update('source\u0000').update(envelope.flowId).update('\u0000').update(envelope.timestamp ?? '');
  } else {
    hash.update('content\u0000').update(new Uint8Array(args.features.buffer, args.features.byteOffset, args.features.byteLength));
    hash.update(JSON.stringify(envelope));
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * The flow ids this instance published lately, oldest forgotten first, so a record re-sent
 * within the window is answered `duplicate` and not counted twice. Ids are claimed before
 * publishing and released if the publish fails, so a retry is not mistaken for a duplicate.
 */
export class RecentFlowIds {
  private readonly ids = new Set<string>();
  private readonly ring: (string | undefined)[];
  private next = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Array<string | undefined>(capacity);
  }

  /** True when the id was new and is now claimed. */
  claim(id: string): boolean {
    if (this.capacity === 0) return true;
    if (this.ids.has(id)) return false;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.ids.delete(evicted);
    this.ring[this.next] = id;
    this.next = (this.next + 1) % this.capacity;
    this.ids.add(id);
    return true;
  }

  release(ids: readonly string[]): void {
    for (const id of ids) this.ids.delete(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
