import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RECIPES, resolveTrainSpec, trainModel } from '@vigil/ml';
import { type CliCommand, type CliIo } from '../command/cli-command';
import { parseTrainArgs } from './train.args';
import { progressReporter } from './train.progress';

const usage = `Usage: vigil train --task detect|classify --contract nsl-kdd|cicflowmeter --data FILE [--data FILE...]
                   [--recipe NAME | --preset seed] [--algo rf|dt|gbt] [hyper-parameters] --out models/<name>/<version>

Trains a tree model on labelled flow files (.csv/.txt, plain or .gz), validates it out of fold,
and writes model.onnx, manifest.json and MODEL_CARD.md into the version folder. The same command
rebuilds the same bytes. Run it from the repository root so recorded paths are repo-relative.

Options:
  --recipe NAME          ${Object.entries(RECIPES).map(([n, r]) => `${n}: ${r.summary}`).join('\n                         ')}
  --preset seed          the replaced system's models (RF 100 trees depth 15 / DT depth 10 entropy, 10 NSL-KDD features)
  --algo rf|dt|gbt       random forest (default), one CART tree, gradient boosting
  --trees N --max-depth N --min-samples-leaf N --max-features sqrt|log2|all|N|FRACTION
  --criterion gini|entropy --class-weight balanced --learning-rate X --subsample X --seed N
  --folds N              cross-validation folds (default 5)
  --validation M         attack-type-cv (nsl-kdd default) | stratified-cv (cicflowmeter default) | none
  --home-net CIDR,...    home network for ctx.* context features (recipe default for home-net)
  --workers N            training threads (default: cores; never changes the model)
`;

async function run(argv: string[], io: CliIo): Promise<number> {
  const inv = parseTrainArgs(argv, io.cwd);
  const spec = resolveTrainSpec(inv.request);
  const progress = progressReporter(io.stderr);
  const started = process.hrtime.bigint();
  const result = await trainModel({
    spec, files: inv.files, name: inv.name, version: inv.version, command: inv.command, workers: inv.workers, onProgress: progress.update,
  });
  progress.done();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  mkdirSync(inv.outDir, { recursive: true });
  writeFileSync(path.join(inv.outDir, 'model.onnx'), result.onnx);
  writeFileSync(path.join(inv.outDir, 'manifest.json'), `${JSON.stringify(result.manifest, null, 2)}\n`);
  writeFileSync(path.join(inv.outDir, 'MODEL_CARD.md'), result.card);
  const v = result.validation;
  io.stdout.write(`wrote ${path.join(inv.outDir, 'model.onnx')} (${result.onnx.length} bytes), manifest.json, MODEL_CARD.md in ${seconds.toFixed(1)} s\n`);
  if (v) io.stdout.write(`validation: accuracy ${v.accuracy} macro-F1 ${v.macroF1} precision ${v.precision} recall ${v.recall} threshold ${v.threshold ?? 'argmax'}\n`);
  return 0;
}

export const trainCommand: CliCommand = { name: 'train', summary: 'train a tree model on flow files and write a model version folder', usage, run };
