// MODEL_CARD.md of a model version, written from the manifest and the validation report only
// (no clock, no machine), so it is as reproducible as the model.
import { type ModelManifest } from '@vigil/contracts';
import { type EvaluationReport } from '../evaluation.report';
import { type Folds } from './cross-validation';
import { type TrainSpec } from './train-spec';

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toFixed(4));

function ruleText(m: ModelManifest, spec: TrainSpec): string {
  const how = spec.thresholdRule.kind === 'fixed' ? 'fixed' : spec.thresholdRule.kind === 'best-f1' ? 'best F1 on the out-of-fold scores' : `best balanced accuracy with benign TNR >= ${spec.thresholdRule.minTnr} on the out-of-fold scores (0.005 grid)`;
  if (m.task === 'detect') return `attack iff P(${m.classLabels[m.positiveClass ?? 1]}) >= ${m.threshold} (${how})`;
  if (m.normalClass !== undefined) return `attack iff 1 - P(${m.classLabels[m.normalClass]}) >= ${m.threshold} (${how}), then the most likely attack class`;
  return 'the most likely class (argmax)';
}

function table(header: string[], rows: (string | number)[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function metricsSection(v: EvaluationReport, folds: Folds | null): string[] {
  const out = [
    `- rows: ${v.rows}; accuracy **${pct(v.accuracy)}**, macro-F1 **${pct(v.macroF1)}**, precision ${pct(v.precision)}, recall ${pct(v.recall)}, F1 ${pct(v.f1)}, ROC AUC ${pct(v.rocAuc)}`,
  ];
  if (v.attackVsBenign) out.push(`- attack vs benign: recall ${pct(v.attackVsBenign.recall)}, benign TNR ${pct(v.attackVsBenign.tnr)}, precision ${pct(v.attackVsBenign.precision)}, balanced accuracy ${pct(v.attackVsBenign.balancedAccuracy)}`);
  out.push('', '**Per class**', '', ...table(['class', 'precision', 'recall', 'F1', 'support'],
    Object.entries(v.perClass).map(([c, m]) => [c, pct(m.precision), pct(m.recall), pct(m.f1), m.support])));
  out.push('', '**Confusion matrix** (row = true class, column = predicted)', '', ...table(['true \\ predicted', ...v.classLabels],
    v.confusion.map((row, i) => [v.classLabels[i], ...row])));
  out.push('', `**Unmerged, per original label** (how the rows of each canonical label were predicted${folds?.heldOut ? '; under leave-attack-types-out CV every attack row here is a type its model never saw' : ''})`, '',
    ...table(['label', 'rows', ...v.classLabels], Object.entries(v.byLabel).map(([l, e]) => [l, e.rows, ...v.classLabels.map((c) => e.predicted[c] ?? 0)])));
  if (folds?.heldOut) out.push('', `Held-out attack types per fold: ${folds.heldOut.map((t, i) => `fold ${i + 1}: ${t.join(', ')}`).join('; ')}.`);
  return out;
}

function weaknesses(spec: TrainSpec): string[] {
  const out: string[] = [];
  if (spec.contract === 'nsl-kdd') {
    out.push('- NSL-KDD is 1998 simulated traffic: a model of it is a benchmark and a pipeline test, not a detector for a modern network.');
    out.push('- KDDTest+ holds 17 attack types absent from KDDTrain+ and a different service/flag mix; the leave-attack-types-out numbers above estimate that, a random split would overstate it (~99%).');
    out.push('- R2L and U2R attacks that look like ordinary sessions (e.g. snmpgetattack, guess_passwd over normal-looking telnet) are the weakest: see the per-label table.');
  }
  if (spec.syntheticOutliers > 0) {
    out.push('- The synthetic-outlier gate flags whatever does not look like the benign training rows. Benign traffic of services never seen in training is flagged too (service-held-out benign TNR is poor): retrain on the deployment\'s own benign traffic before acting on its alerts.');
  }
  if (spec.categories) out.push('- The category model never saw the attack types of KDDTest+; a novel type is named after the known category it resembles most.');
  if (spec.contract === 'cicflowmeter') {
    out.push('- Trained on improved CIC-IDS2017 (Engelen et al.) feature code; MachineLearningCVE / CSE-CIC-IDS2018 files differ in feature code and lack the 5 CICFlowMeter-v4 features (NaN), so scores on them are far lower.');
    out.push('- The class balance is artificial (big classes capped, BENIGN about 13 %): the false-positive rate on real, benign-dominated traffic will be higher than the validation suggests.');
  }
  if (spec.features.some((f) => f.startsWith('ctx.'))) {
    out.push(`- ctx.src_in_home_net / ctx.dst_in_home_net come from the envelope IPs and the home net ${spec.homeNet.join(', ')} (CIC-IDS2017's victim network). A deployment must set its own HOME_NET; a flow without IPs gets NaN (missing) for both. \`Infiltration - Portscan\` rows from outside hosts look exactly like \`Portscan\`, and Infiltration is confused with BENIGN.`);
  }
  if (spec.preset === 'seed') out.push('- The replaced system\'s model: 10 features only, kept for comparison, never shipped.');
  return out;
}

export function modelCard(a: { manifest: ModelManifest; spec: TrainSpec; validation: EvaluationReport | null; onnxBytes: number; folds: Folds | null }): string {
  const m = a.manifest;
  const out = [
    `# ${m.name} v${m.version}`, '',
    `${m.task === 'detect' ? 'Binary threat detector' : 'Attack classifier'} for the \`${m.contract.id}\` contract (v${m.contract.version}): ${m.classLabels.length} classes (${m.classLabels.join(', ')}), ${m.features.length} input features, ${a.spec.categories ? 'gated tree ensembles (one ONNX graph)' : `\`${m.algorithm.kind}\``}; model.onnx is ${a.onnxBytes.toLocaleString('en-US')} bytes.`,
    '', '## Data', '',
    ...m.training.data.map((d) => `- \`${d.path}\`: ${d.rows.toLocaleString('en-US')} rows, sha256 \`${d.sha256}\``),
    `- training rows per class: ${Object.entries(m.training.classCounts).map(([c, n]) => `${c} ${n}`).join(', ')}`,
    ...(Object.keys(m.mergedLabels).length > 0 ? [`- merged labels: ${JSON.stringify(m.mergedLabels)}`] : []),
    '', '## Model', '',
    `- algorithm: \`${m.algorithm.kind}\`, parameters \`${JSON.stringify(m.algorithm.params)}\``,
    `- features (model order): ${m.features.map((f) => `\`${f}\``).join(', ')}`,
    ...(m.homeNet ? [`- home net (context features): ${m.homeNet.join(', ')}`] : []),
    `- decision rule: ${ruleText(m, a.spec)}`,
    '', '## Validation', '', `Method: ${m.validation.method}.`, '',
    ...(a.validation ? metricsSection(a.validation, a.folds) : ['No validation was run.']),
    '', '## Known weaknesses', '', ...weaknesses(a.spec),
    '', '## Rebuild', '', 'From the repository root, with `../shared/datasets` present; the same command rebuilds `model.onnx` and `manifest.json` byte for byte (worker count does not matter):', '',
    '```sh', m.training.command, '```', '',
  ];
  return out.join('\n');
}
