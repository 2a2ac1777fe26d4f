/**
 * The framework-free record model every Vigil component codes against. A contract is the
 * schema of one kind of flow record; a FlowBatch is many records of one contract, packed.
 */
export type ContractId = 'nsl-kdd' | 'cicflowmeter';

/**
 * `unit` doubles as the value kind of a numeric feature: `binary` (0/1 flag), `rate`
 * (fraction 0..1), `count`, `bytes`, `packets`, `s`, `µs`, `bytes/s`, `packets/s`, `ratio`.
 */
export interface FeatureSpec {
  name: string;
  kind: 'numeric' | 'categorical';
  vocabulary?: readonly string[];
  /** Code written for a value outside the vocabulary; always vocabulary.length. */
  unknownCode?: number;
  unit?: string;
  description?: string;
}

export interface LabelSpec {
  /** Canonical label. */
  label: string;
  family: string;
  isAttack: boolean;
  /** Spellings real files use besides the canonical one (matching also ignores case, spaces and punctuation). */
  aliases?: readonly string[];
  description?: string;
}

export interface VariantSpec {
  id: string;
  hasHeader: boolean;
  description: string;
}

export interface Contract {
  id: ContractId;
  version: number;
  description: string;
  /** Canonical feature order: index i of a feature vector is features[i]. */
  features: readonly FeatureSpec[];
  labels: readonly LabelSpec[];
  /** Label families; the benign family first. */
  families: readonly string[];
  variants: readonly VariantSpec[];
}

export interface FlowEnvelope {
  flowId?: string;
  srcIp?: string;
  srcPort?: number;
  dstIp?: string;
  dstPort?: number;
  protocol?: number;
  /** ISO-8601 UTC. */
  timestamp?: string;
}

export interface RowError {
  /** 1-based line number in the file, header = line 1. */
  row: number;
  field?: string;
  code: string;
  reason: string;
}

export interface CanonicalLabel {
  /** The label exactly as the file wrote it. */
  raw: string;
  label: string;
  family: string;
  isAttack: boolean;
}

export interface FlowBatch {
  contract: Contract;
  variant: string;
  count: number;
  /**
   * count × contract.features.length, row-major, canonical order. Categorical = vocabulary
   * code (unknown value -> unknownCode = vocabulary.length); missing = NaN; ±Infinity kept.
   */
  features: Float32Array;
  rowNumbers: Int32Array;
  envelopes: FlowEnvelope[];
  labels: (CanonicalLabel | null)[];
  errors: RowError[];
}
