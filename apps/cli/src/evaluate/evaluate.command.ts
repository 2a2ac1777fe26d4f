import path from 'node:path';
import { parseArgs } from 'node:util';
import { CliUsageError, type CliCommand, type CliIo } from '../command/cli-command';
import { recordedPath } from '../train/repo.paths';
import { type EvaluateResult, evaluateModel } from './evaluate.service';

const usage = `Usage: vigil evaluate --model models/<name>/<version> --data FILE [--json] [--home-net CIDR,...]

Scores a model version on a labelled flow file of its contract (any layout of it, .csv/.txt,
plain or .gz) through onnxruntime, with the manifest's decision rule (threshold, gate). Attack
names map to their category for family-level models; a label the contract does not know is an
error naming it. Rows whose (known) label is not one of the model's classes are counted in
skippedLabels and left out of the metrics.

Options:
  --json               print one JSON object (rows, accuracy, macroF1, precision, recall, f1, rocAuc,
                       perClass, confusion, classLabels, byLabel, rowsPerSecond, errorRows, skippedLabels)
  --home-net CIDR,...  override the manifest's home net for ctx.* context features
`;

function parse(argv: string[], cwd: string): { model: string; data: string; json: boolean; homeNet?: string[] } {
  let values: { model?: string; data?: string; json?: boolean; 'home-net'?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { model: { type: 'string' }, data: { type: 'string' }, json: { type: 'boolean' }, 'home-net': { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  if (!values.model) throw new CliUsageError('--model models/<name>/<version> is required');
  if (!values.data) throw new CliUsageError('--data FILE is required');
  const homeNet = values['home-net']?.split(',').map((c) => c.trim()).filter((c) => c !== '');
  return { model: path.resolve(cwd, values.model), data: path.resolve(cwd, values.data), json: values.json ?? false, ...(homeNet ? { homeNet } : {}) };
}

function text(r: EvaluateResult): string {
  const lines = [
    `${r.model.name} v${r.model.version} on ${r.file}: ${r.rows} rows, ${r.rowsPerSecond} rows/s`,
    `accuracy ${r.accuracy}  macro-F1 ${r.macroF1}  precision ${r.precision}  recall ${r.recall}  f1 ${r.f1}  ROC AUC ${r.rocAuc ?? 'n/a'}  threshold ${r.threshold ?? 'argmax'}`,
  ];
  if (r.attackVsBenign) lines.push(`attack vs benign: recall ${r.attackVsBenign.recall}  benign TNR ${r.attackVsBenign.tnr}  balanced accuracy ${r.attackVsBenign.balancedAccuracy}`);
  lines.push('', `${'class'.padEnd(28)} precision  recall     f1         support`);
  for (const [c, m] of Object.entries(r.perClass)) lines.push(`${c.padEnd(28)} ${m.precision.toFixed(4).padEnd(10)} ${m.recall.toFixed(4).padEnd(10)} ${m.f1.toFixed(4).padEnd(10)} ${m.support}`);
  lines.push('', 'confusion (row = true, column = predicted):', `  ${r.classLabels.join(' | ')}`);
  r.confusion.forEach((row, i) => lines.push(`  ${r.classLabels[i]}: ${row.join(' ')}`));
  if (Object.keys(r.skippedLabels).length > 0) lines.push('', `skipped (label not a model class): ${JSON.stringify(r.skippedLabels)}`);
  if (Object.keys(r.errorRows).length > 0) lines.push(`rejected rows: ${JSON.stringify(r.errorRows)}`);
  return `${lines.join('\n')}\n`;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parse(argv, io.cwd);
  const result = await evaluateModel({ modelDir: args.model, dataFile: args.data, displayFile: recordedPath(args.data), homeNet: args.homeNet });
  io.stdout.write(args.json ? `${JSON.stringify(result)}\n` : text(result));
  return 0;
}

export const evaluateCommand: CliCommand = { name: 'evaluate', summary: 'score a model version on a labelled flow file (onnxruntime, manifest decision rule)', usage, run };
