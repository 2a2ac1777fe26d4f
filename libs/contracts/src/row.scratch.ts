import { type CanonicalLabel, type FlowEnvelope, type RowError } from './contract.types';
import { type ColumnMapping } from './format.detection';
import { parseIntegerCell, parseTimestampCell } from './value.parser';

type EnvelopeSlot = 'flowId' | 'srcIp' | 'srcPort' | 'dstIp' | 'dstPort' | 'protocol' | 'timestamp';

/** Per-row state of the batch parser: the label and the envelope cells of the current row. */
export class RowScratch {
  label: CanonicalLabel | null = null;
  labelError: RowError | null = null;
  private envelope: FlowEnvelope = {};
  private readonly slots: (EnvelopeSlot | undefined)[] = [];
  private lastTimestamp = '';
  private lastIso: string | undefined;

  constructor(columnMap: readonly ColumnMapping[]) {
    for (const c of columnMap) if (c.role === 'envelope') this.slots[c.index] = c.target as EnvelopeSlot;
  }

  reset(): void {
    this.label = null;
    this.labelError = null;
    this.envelope = {};
  }

  takeEnvelope(): FlowEnvelope {
    return this.envelope;
  }

  /** Stores one envelope cell; returns a reason when it is unreadable. Empty cells stay absent. */
  envelopeCell(column: number, text: string): string | null {
    const slot = this.slots[column];
    if (slot === undefined || text.trim() === '') return null;
    switch (slot) {
      case 'flowId':
      case 'srcIp':
      case 'dstIp':
        this.envelope[slot] = text.trim();
        return null;
      case 'srcPort':
      case 'dstPort':
        return this.integer(slot, text, 65535);
      case 'protocol':
        return this.integer(slot, text, 255);
      case 'timestamp':
        return this.timestamp(text);
    }
  }

  private integer(slot: 'srcPort' | 'dstPort' | 'protocol', text: string, max: number): string | null {
    const value = parseIntegerCell(text, max);
    if (value === undefined) return `not an integer in 0..${max}: "${text}"`;
    this.envelope[slot] = value;
    return null;
  }

  private timestamp(text: string): string | null {
    // Neighbouring flows often share a timestamp string; skip the regexes then.
    const iso = text === this.lastTimestamp ? this.lastIso : parseTimestampCell(text);
    this.lastTimestamp = text;
    this.lastIso = iso;
    if (iso === undefined) return `not a timestamp: "${text}"`;
    this.envelope.timestamp = iso;
    return null;
  }
}
