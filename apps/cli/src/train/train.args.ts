// `vigil train` argv -> a TrainRequest plus the files and output folder, and the canonical
// command line that rebuilds the model (recorded in its manifest and card).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type ContractId, isContractId } from '@vigil/contracts';
import { type Algorithm, type HyperParams, type TrainRequest, type ValidationMethod } from '@vigil/ml';
import { CliUsageError } from '../command/cli-command';
import { recordedPath } from './repo.paths';

export interface TrainInvocation {
  readonly request: TrainRequest;
  readonly files: { read: string; record: string }[];
  readonly outDir: string;
  readonly name: string;
  readonly version: number;
  readonly workers?: number;
  readonly command: string;
}

const OPTIONS = {
  task: { type: 'string' }, contract: { type: 'string' }, data: { type: 'string', multiple: true }, algo: { type: 'string' },
  trees: { type: 'string' }, 'max-depth': { type: 'string' }, 'min-samples-leaf': { type: 'string' }, 'max-features': { type: 'string' },
  criterion: { type: 'string' }, 'class-weight': { type: 'string' }, 'learning-rate': { type: 'string' }, subsample: { type: 'string' },
  seed: { type: 'string' }, workers: { type: 'string' }, preset: { type: 'string' }, recipe: { type: 'string' },
  folds: { type: 'string' }, validation: { type: 'string' }, 'home-net': { type: 'string' }, out: { type: 'string' },
} as const;

/** Hyper-parameter flags in the order the canonical command writes them. */
const PARAM_FLAGS = ['trees', 'max-depth', 'min-samples-leaf', 'max-features', 'criterion', 'class-weight', 'learning-rate', 'subsample', 'seed'] as const;

function num(flag: string, v: string | undefined, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new CliUsageError(`--${flag} must be ${integer ? 'an integer' : 'a number'}, got "${v}"`);
  return n;
}

function oneOf<T extends string>(flag: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new CliUsageError(`--${flag} must be one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
}

function maxFeatures(v: string | undefined): HyperParams['maxFeatures'] {
  if (v === undefined || v === 'sqrt' || v === 'log2' || v === 'all') return v;
  const n = Number(v);
  if (Number.isInteger(n) && n >= 1) return n;
  if (n > 0 && n < 1) return { fraction: n };
  throw new CliUsageError(`--max-features must be sqrt, log2, all, an integer count or a fraction in (0, 1), got "${v}"`);
}

function params(v: Record<string, string | undefined>): Partial<HyperParams> {
  const out: Record<string, unknown> = {
    trees: num('trees', v.trees, true), maxDepth: num('max-depth', v['max-depth'], true), minSamplesLeaf: num('min-samples-leaf', v['min-samples-leaf'], true),
    maxFeatures: maxFeatures(v['max-features']), criterion: oneOf('criterion', v.criterion, ['gini', 'entropy'] as const),
    classWeight: oneOf('class-weight', v['class-weight'], ['balanced'] as const), learningRate: num('learning-rate', v['learning-rate'], false),
    subsample: num('subsample', v.subsample, false), seed: num('seed', v.seed, true),
  };
  return Object.fromEntries(Object.entries(out).filter(([, x]) => x !== undefined)) as Partial<HyperParams>;
}

function parse(argv: string[]): Record<string, string | string[] | undefined> {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values as Record<string, string | string[] | undefined>;
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
}

function required(v: Record<string, unknown>, flag: string): string {
  const x = v[flag];
  if (typeof x !== 'string' || x === '') throw new CliUsageError(`--${flag} is required`);
  return x;
}

export function parseTrainArgs(argv: string[], cwd: string): TrainInvocation {
  const v = parse(argv);
  const task = oneOf('task', required(v, 'task'), ['detect', 'classify'] as const) as 'detect' | 'classify';
  const contract = required(v, 'contract');
  if (!isContractId(contract)) throw new CliUsageError(`--contract must be nsl-kdd or cicflowmeter, got "${contract}"`);
  const data = (v.data as string[] | undefined) ?? [];
  if (data.length === 0) throw new CliUsageError('--data FILE is required (repeat it for several files)');
  const outDir = path.resolve(cwd, required(v, 'out'));
  const version = Number(path.basename(outDir));
  if (!/^[1-9]\d*$/.test(path.basename(outDir))) throw new CliUsageError('--out must be models/<name>/<version> with a positive integer version');
  const flat = v as Record<string, string | undefined>;
  const request: TrainRequest = {
    task, contract: contract as ContractId, params: params(flat),
    ...(flat.recipe === undefined ? {} : { recipe: flat.recipe }),
    ...(flat.preset === undefined ? {} : { preset: oneOf('preset', flat.preset, ['seed'] as const) }),
    ...(flat.algo === undefined ? {} : { algo: oneOf<Algorithm>('algo', flat.algo, ['rf', 'dt', 'gbt']) }),
    ...(flat.folds === undefined ? {} : { folds: num('folds', flat.folds, true) }),
    ...(flat.validation === undefined ? {} : { validation: oneOf<ValidationMethod>('validation', flat.validation, ['attack-type-cv', 'stratified-cv', 'none']) }),
    ...(flat['home-net'] === undefined ? {} : { homeNet: flat['home-net'].split(',').map((c) => c.trim()).filter((c) => c !== '') }),
  };
  const files = data.map((d) => {
    const read = path.resolve(cwd, d);
    return { read, record: recordedPath(read) };
  });
  const workers = num('workers', flat.workers, true);
  return {
    request, files, outDir, name: path.basename(path.dirname(outDir)), version, ...(workers === undefined ? {} : { workers }),
    command: canonicalCommand({ flat, task, contract, files: files.map((f) => f.record), out: recordedPath(outDir) }),
  };
}

/** Flags in a fixed order with repo-relative paths; --workers is left out (it never changes the model). */
function canonicalCommand(a: { flat: Record<string, string | undefined>; task: string; contract: string; files: string[]; out: string }): string {
  const parts = ['npx vigil train', `--task ${a.task}`, `--contract ${a.contract}`, ...a.files.map((f) => `--data ${f}`)];
  for (const flag of ['recipe', 'preset', 'algo', ...PARAM_FLAGS, 'folds', 'validation', 'home-net']) {
    if (a.flat[flag] !== undefined) parts.push(`--${flag} ${a.flat[flag]}`);
  }
  parts.push(`--out ${a.out}`);
  return parts.join(' ');
}
