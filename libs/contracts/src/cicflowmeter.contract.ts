import { CIC_FEATURES } from './cicflowmeter.features';
import { type Contract, type LabelSpec } from './contract.types';

const attack = (label: string, family: string, aliases: readonly string[] = [], description?: string): LabelSpec =>
  description === undefined ? { label, family, isAttack: true, aliases } : { label, family, isAttack: true, aliases, description };

// Canonical labels are the UNB CIC-IDS2017 names with an ASCII " - " in the web attacks.
// Aliases list the spellings of the improved CIC-IDS2017 and of CSE-CIC-IDS2018; mojibake of
// the UNB 0x96 dash needs no alias because matching ignores punctuation and non-ASCII bytes.
export const CIC_LABELS: readonly LabelSpec[] = [
  { label: 'BENIGN', family: 'Benign', isAttack: false, aliases: ['Benign'] },
  attack('DDoS', 'DoS', ['DDoS attacks-LOIC-HTTP', 'DDOS attack-HOIC', 'DDOS attack-LOIC-UDP']),
  attack('DoS Hulk', 'DoS', ['DoS attacks-Hulk']),
  attack('DoS GoldenEye', 'DoS', ['DoS attacks-GoldenEye']),
  attack('DoS slowloris', 'DoS', ['DoS Slowloris', 'DoS attacks-Slowloris']),
  attack('DoS Slowhttptest', 'DoS', ['DoS attacks-SlowHTTPTest']),
  attack('Heartbleed', 'Heartbleed'),
  attack('FTP-Patator', 'BruteForce', ['FTP-BruteForce']),
  attack('SSH-Patator', 'BruteForce', ['SSH-Bruteforce']),
  attack('PortScan', 'Recon', ['Portscan']),
  attack('Bot', 'Botnet', ['Botnet']),
  attack('Infiltration', 'Infiltration', ['Infilteration']),
  attack('Infiltration - Portscan', 'Infiltration', [], 'improved CIC-IDS2017: port scan run from the infiltrated host'),
  attack('Web Attack - Brute Force', 'WebAttack', ['Web Attack \u2013 Brute Force', 'Brute Force -Web']),
  attack('Web Attack - XSS', 'WebAttack', ['Web Attack \u2013 XSS', 'Brute Force -XSS']),
  attack('Web Attack - Sql Injection', 'WebAttack', ['Web Attack \u2013 Sql Injection', 'Web Attack - SQL Injection', 'SQL Injection']),
  // Coarse labels (westernoc2 copies) name a family; canonical label = family.
  attack('DoS', 'DoS', [], 'coarse family label'),
  attack('BruteForce', 'BruteForce', ['Brute Force'], 'coarse family label: FTP-Patator and SSH-Patator'),
  attack('WebAttack', 'WebAttack', ['Web Attack'], 'coarse family label'),
  attack('Recon', 'Recon', [], 'coarse family label'),
];

export const CIC_CONTRACT: Contract = {
  id: 'cicflowmeter',
  version: 1,
  description:
    'CICFlowMeter flow features: the union of CIC-IDS2017 MachineLearningCVE, improved CIC-IDS2017 (CICFlowMeter-v4) and CSE-CIC-IDS2018 layouts',
  features: CIC_FEATURES,
  labels: CIC_LABELS,
  families: ['Benign', 'DoS', 'BruteForce', 'WebAttack', 'Recon', 'Botnet', 'Infiltration', 'Heartbleed'],
  variants: [
    { id: 'cicflowmeter/cic-ids2017-mlcve', hasHeader: true, description: 'UNB MachineLearningCVE CSV: leading spaces, duplicated Fwd Header Length, Destination Port' },
    { id: 'cicflowmeter/cic-ids2017-mlcve-stripped', hasHeader: true, description: 'MachineLearningCVE names without spaces and without Destination Port (westernoc2 copies)' },
    { id: 'cicflowmeter/cic-ids2017-improved', hasHeader: true, description: 'improved CIC-IDS2017 (Engelen et al.), CICFlowMeter-v4 names, envelope columns' },
    { id: 'cicflowmeter/cse-cic-ids2018', hasHeader: true, description: 'CSE-CIC-IDS2018 abbreviations (Tot Fwd Pkts, Flow Byts/s, Dst Port)' },
  ],
};
