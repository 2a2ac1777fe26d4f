import { type Contract, type FeatureSpec, type LabelSpec } from './contract.types';

// Full value sets of KDDTrain+ (sorted by frequency there). Values outside them, such as
// services that only KDDTest+ uses, get the feature's unknownCode, never an error.
export const NSL_KDD_PROTOCOLS = ['tcp', 'udp', 'icmp'] as const;
export const NSL_KDD_SERVICES = [
  'http', 'private', 'domain_u', 'smtp', 'ftp_data', 'eco_i', 'other', 'ecr_i', 'telnet', 'finger',
  'ftp', 'auth', 'Z39_50', 'uucp', 'courier', 'bgp', 'whois', 'uucp_path', 'iso_tsap', 'time',
  'imap4', 'nnsp', 'vmnet', 'urp_i', 'domain', 'ctf', 'csnet_ns', 'supdup', 'discard', 'http_443',
  'daytime', 'gopher', 'efs', 'systat', 'link', 'exec', 'hostnames', 'name', 'mtp', 'echo',
  'klogin', 'login', 'ldap', 'netbios_dgm', 'sunrpc', 'netbios_ssn', 'netstat', 'netbios_ns', 'ssh', 'kshell',
  'nntp', 'pop_3', 'sql_net', 'IRC', 'ntp_u', 'rje', 'remote_job', 'pop_2', 'X11', 'printer',
  'shell', 'urh_i', 'tim_i', 'red_i', 'pm_dump', 'tftp_u', 'http_8001', 'harvest', 'aol', 'http_2784',
] as const;
export const NSL_KDD_FLAGS = ['SF', 'S0', 'REJ', 'RSTR', 'RSTO', 'S1', 'SH', 'S2', 'RSTOS0', 'S3', 'OTH'] as const;
/** The explicit unknown value of every categorical vocabulary; its code is vocabulary.length. */
export const UNKNOWN_CATEGORY = '<unknown>';

const IANA_PROTOCOL: Readonly<Record<string, number>> = { tcp: 6, udp: 17, icmp: 1 };
export function nslKddProtocolNumber(protocolType: string): number | undefined {
  return IANA_PROTOCOL[protocolType];
}

type NumericUnit = 's' | 'bytes' | 'binary' | 'count' | 'rate';
const numeric = (name: string, unit: NumericUnit, description?: string): FeatureSpec =>
  description === undefined ? { name, kind: 'numeric', unit } : { name, kind: 'numeric', unit, description };
const categorical = (name: string, vocabulary: readonly string[], description: string): FeatureSpec => ({
  name, kind: 'categorical', vocabulary, unknownCode: vocabulary.length, description,
});

const rates = (prefix: string, names: readonly string[]): FeatureSpec[] =>
  names.map((n) => numeric(`${prefix}${n}`, 'rate'));

export const NSL_KDD_FEATURES: readonly FeatureSpec[] = [
  numeric('duration', 's', 'connection length'),
  categorical('protocol_type', NSL_KDD_PROTOCOLS, 'transport protocol'),
  categorical('service', NSL_KDD_SERVICES, 'destination network service'),
  categorical('flag', NSL_KDD_FLAGS, 'connection status'),
  numeric('src_bytes', 'bytes', 'bytes from source to destination'),
  numeric('dst_bytes', 'bytes', 'bytes from destination to source'),
  numeric('land', 'binary', '1 if source and destination host and port are equal'),
  numeric('wrong_fragment', 'count'),
  numeric('urgent', 'count'),
  numeric('hot', 'count'),
  numeric('num_failed_logins', 'count'),
  numeric('logged_in', 'binary'),
  numeric('num_compromised', 'count'),
  numeric('root_shell', 'binary'),
  numeric('su_attempted', 'binary', 'nominally 0/1; KDDTrain+ also holds 2 in 59 rows'),
  numeric('num_root', 'count'),
  numeric('num_file_creations', 'count'),
  numeric('num_shells', 'count'),
  numeric('num_access_files', 'count'),
  numeric('num_outbound_cmds', 'count', 'always 0 in NSL-KDD'),
  numeric('is_host_login', 'binary'),
  numeric('is_guest_login', 'binary'),
  numeric('count', 'count', 'connections to the same host in the past 2 s'),
  numeric('srv_count', 'count', 'connections to the same service in the past 2 s'),
  ...rates('', ['serror_rate', 'srv_serror_rate', 'rerror_rate', 'srv_rerror_rate', 'same_srv_rate', 'diff_srv_rate', 'srv_diff_host_rate']),
  numeric('dst_host_count', 'count'),
  numeric('dst_host_srv_count', 'count'),
  ...rates('dst_host_', [
    'same_srv_rate', 'diff_srv_rate', 'same_src_port_rate', 'srv_diff_host_rate',
    'serror_rate', 'srv_serror_rate', 'rerror_rate', 'srv_rerror_rate',
  ]),
];

// The standard 5-category grouping of the KDD'99 / NSL-KDD literature. The second group of
// each family occurs only in KDDTest+.
const FAMILY_MEMBERS: Readonly<Record<string, readonly [train: readonly string[], testOnly: readonly string[]]>> = {
  DoS: [['back', 'land', 'neptune', 'pod', 'smurf', 'teardrop'], ['apache2', 'mailbomb', 'processtable', 'udpstorm']],
  Probe: [['ipsweep', 'nmap', 'portsweep', 'satan'], ['mscan', 'saint']],
  R2L: [
    ['ftp_write', 'guess_passwd', 'imap', 'multihop', 'phf', 'spy', 'warezclient', 'warezmaster'],
    ['snmpgetattack', 'snmpguess', 'httptunnel', 'named', 'sendmail', 'xlock', 'xsnoop', 'worm'],
  ],
  U2R: [['buffer_overflow', 'loadmodule', 'perl', 'rootkit'], ['ps', 'sqlattack', 'xterm']],
};

function attackLabels(): LabelSpec[] {
  return Object.entries(FAMILY_MEMBERS).flatMap(([family, [train, testOnly]]) => [
    ...train.map((label) => ({ label, family, isAttack: true })),
    ...testOnly.map((label) => ({ label, family, isAttack: true, description: 'occurs only in KDDTest+' })),
  ]);
}

export const NSL_KDD_CONTRACT: Contract = {
  id: 'nsl-kdd',
  version: 1,
  description: 'The 41 NSL-KDD connection features (UNB, Tavallaee et al. 2009) and its attack labels',
  features: NSL_KDD_FEATURES,
  labels: [
    { label: 'normal', family: 'normal', isAttack: false },
    ...attackLabels(),
    // A file may carry only the coarse category; it maps to itself.
    ...['DoS', 'Probe', 'R2L', 'U2R'].map((family) => ({ label: family, family, isAttack: true, description: 'coarse category' })),
  ],
  families: ['normal', 'DoS', 'Probe', 'R2L', 'U2R'],
  variants: [
    { id: 'nsl-kdd/unb-text', hasHeader: false, description: 'UNB text rows: 41 features, optional label, optional difficulty' },
    { id: 'nsl-kdd/csv', hasHeader: true, description: 'CSV with the feature names as header; label column label/class/attack, optional difficulty' },
  ],
};
