import { CIC_CSE2018_COLUMNS, CIC_IMPROVED_COLUMNS, CIC_MLCVE_FEATURES, normaliseColumnName } from './cicflowmeter.features';
import { type ContractId, type FlowEnvelope } from './contract.types';
import { NSL_KDD_FEATURES } from './nsl-kdd.contract';

export type VariantId =
  | 'nsl-kdd/unb-text'
  | 'nsl-kdd/csv'
  | 'cicflowmeter/cic-ids2017-mlcve'
  | 'cicflowmeter/cic-ids2017-mlcve-stripped'
  | 'cicflowmeter/cic-ids2017-improved'
  | 'cicflowmeter/cse-cic-ids2018';

/** A header layout: the columns it must have, in its own spelling. */
export interface HeaderVariant {
  id: VariantId;
  contract: ContractId;
  required: readonly string[];
}

export const HEADER_VARIANTS: readonly HeaderVariant[] = [
  { id: 'nsl-kdd/csv', contract: 'nsl-kdd', required: NSL_KDD_FEATURES.map((f) => f.name) },
  { id: 'cicflowmeter/cic-ids2017-mlcve', contract: 'cicflowmeter', required: ['Destination Port', ...CIC_MLCVE_FEATURES] },
  { id: 'cicflowmeter/cic-ids2017-mlcve-stripped', contract: 'cicflowmeter', required: CIC_MLCVE_FEATURES },
  { id: 'cicflowmeter/cic-ids2017-improved', contract: 'cicflowmeter', required: CIC_IMPROVED_COLUMNS },
  { id: 'cicflowmeter/cse-cic-ids2018', contract: 'cicflowmeter', required: CIC_CSE2018_COLUMNS },
];

export type EnvelopeKey = keyof FlowEnvelope;

// Envelope columns are identity, never features: a model must not learn an IP or a port id.
const ENVELOPE_ALIASES: Readonly<Record<string, EnvelopeKey | 'ignore'>> = {
  flowid: 'flowId',
  srcip: 'srcIp', sourceip: 'srcIp',
  srcport: 'srcPort', sourceport: 'srcPort',
  dstip: 'dstIp', destinationip: 'dstIp',
  dstport: 'dstPort', destinationport: 'dstPort',
  protocol: 'protocol',
  timestamp: 'timestamp',
  // improved CIC-IDS2017: a per-day row number, not a flow identity.
  id: 'ignore',
  attemptedcategory: 'ignore',
};

export function envelopeRole(columnName: string): EnvelopeKey | 'ignore' | undefined {
  return ENVELOPE_ALIASES[normaliseColumnName(columnName)];
}

const LABEL_NAMES: Readonly<Record<ContractId, readonly string[]>> = {
  'nsl-kdd': ['label', 'class', 'attack', 'attacktype', 'labels'],
  cicflowmeter: ['label'],
};
const DIFFICULTY_NAMES = ['difficulty', 'difficultylevel', 'level'];

export function isLabelColumn(contract: ContractId, columnName: string): boolean {
  return LABEL_NAMES[contract].includes(normaliseColumnName(columnName));
}

export function isDifficultyColumn(contract: ContractId, columnName: string): boolean {
  return contract === 'nsl-kdd' && DIFFICULTY_NAMES.includes(normaliseColumnName(columnName));
}
