import { hash } from 'node:crypto';
import { type ContractId, type FlowEnvelope } from '@vigil/contracts';

// One growing scratch buffer for the content hash input: a one-shot `crypto.hash` over one
// buffer instead of a Hash object and five native `update` calls per flow (profiled ~15 %).
let scratch = Buffer.allocUnsafe(4096);

/**
 * A stable flow id: from the source's `Flow ID` (+ `Timestamp` when present), else a hash of
 * the canonical record (contract-order feature bytes + envelope), so a re-sent record gets the
 * same id whichever door or batch it comes through. The bytes hashed are exactly those of the
 * original incremental sha256, so ids are unchanged across versions.
 */
export function flowIdOf(args: { contract: ContractId; envelope: FlowEnvelope; features: Float32Array }): string {
  const { envelope } = args;
  if (envelope.flowId !== undefined) {
    return hash('sha256', `${args.contract}\u0000source\u0000${envelope.flowId}\u0000${envelope.timestamp ?? ''}`, 'hex').slice(0, 32);
  }
  const prefix = `${args.contract}\u0000content\u0000`;
  const json = JSON.stringify(envelope);
  const need = Buffer.byteLength(prefix) + args.features.byteLength + Buffer.byteLength(json);
  if (need > scratch.length) scratch = Buffer.allocUnsafe(need * 2);
  let at = scratch.write(prefix, 0, 'utf8');
  scratch.set(new Uint8Array(args.features.buffer, args.features.byteOffset, args.features.byteLength), at);
  at += args.features.byteLength;
  at += scratch.write(json, at, 'utf8');
  return hash('sha256', scratch.subarray(0, at), 'hex').slice(0, 32);
}

const EMPTY = -1;
const HEX = Int8Array.from({ length: 128 }, (_, c) => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1));

/**
 * The flow ids this instance published lately, oldest forgotten first, so a record re-sent
 * within the window is answered `duplicate` and not counted twice. Ids are claimed before
 * publishing and released if the publish fails, so a retry is not mistaken for a duplicate.
 *
 * A flow id is 32 hex characters = 128 bits, kept whole as four uint32 words (exact: two
 * different ids never compare equal) in an insertion-order ring; a linear-probing table of
 * ring positions (load <= 1/2, backward-shift deletion) finds them. No string per id is kept,
 * so the 500k-id window costs no GC and no string hashing (a Set of strings was ~14 %).
 */
export class RecentFlowIds {
  private readonly words: Uint32Array;
  private readonly live: Uint8Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly key = new Uint32Array(4);
  private next = 0;
  private count = 0;

  constructor(private readonly capacity: number) {
    this.words = new Uint32Array(capacity * 4);
    this.live = new Uint8Array(capacity);
    let size = 2;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
  }

  /** True when the id was new and is now claimed. */
  claim(id: string): boolean {
    if (this.capacity === 0) return true;
    const key = this.keyOf(id);
    let s = key[0] & this.mask;
    for (let p = this.slots[s]; p !== EMPTY; p = this.slots[s]) {
      if (this.sameAs(p, key)) return false;
      s = (s + 1) & this.mask;
    }
    const at = this.next;
    if (this.live[at] === 1) this.remove(at);
    this.words.set(key, at * 4);
    this.live[at] = 1;
    this.count += 1;
    this.insertSlot(at);
    this.next = (at + 1) % this.capacity;
    return true;
  }

  release(ids: readonly string[]): void {
    if (this.capacity === 0) return;
    for (const id of ids) {
      const p = this.find(this.keyOf(id));
      if (p !== EMPTY) this.remove(p);
    }
  }

  get size(): number {
    return this.count;
  }

  // A 32-hex id (all flowIdOf makes) maps to its own 128 bits, read without slicing strings;
  // anything else is hashed to 128 bits of sha256 first.
  private keyOf(id: string): Uint32Array {
    if (id.length !== 32 || !this.readHex(id)) this.readHex(hash('sha256', id, 'hex'));
    return this.key;
  }

  private readHex(hex: string): boolean {
    for (let w = 0; w < 4; w++) {
      let v = 0;
      for (let c = w * 8; c < w * 8 + 8; c++) {
        const d = HEX[hex.charCodeAt(c)];
        if (d === undefined || d < 0) return false;
        v = v * 16 + d;
      }
      this.key[w] = v;
    }
    return true;
  }

  private sameAs(p: number, key: Uint32Array): boolean {
    const o = p * 4;
    const w = this.words;
    return w[o] === key[0] && w[o + 1] === key[1] && w[o + 2] === key[2] && w[o + 3] === key[3];
  }

  private find(key: Uint32Array): number {
    for (let s = key[0] & this.mask; this.slots[s] !== EMPTY; s = (s + 1) & this.mask) {
      if (this.sameAs(this.slots[s], key)) return this.slots[s];
    }
    return EMPTY;
  }

  private insertSlot(p: number): void {
    let s = this.words[p * 4] & this.mask;
    while (this.slots[s] !== EMPTY) s = (s + 1) & this.mask;
    this.slots[s] = p;
  }

  /** Drops ring position p from the table (backward-shift deletion keeps probe chains whole). */
  private remove(p: number): void {
    let s = this.words[p * 4] & this.mask;
    while (this.slots[s] !== p) s = (s + 1) & this.mask;
    this.live[p] = 0;
    this.count -= 1;
    let hole = s;
    for (let j = (hole + 1) & this.mask; this.slots[j] !== EMPTY; j = (j + 1) & this.mask) {
      const home = this.words[this.slots[j] * 4] & this.mask;
      // Move j back into the hole unless its home lies cyclically in (hole, j].
      if (((j - home) & this.mask) >= ((j - hole) & this.mask)) {
        this.slots[hole] = this.slots[j];
        hole = j;
      }
    }
    this.slots[hole] = EMPTY;
  }
}
