import { parseArgs } from 'node:util';
import { CliUsageError } from '../command/cli-command';

export type ModelsCall =
  | { sub: 'list'; json: boolean }
  | { sub: 'show'; json: boolean; name: string; version?: number }
  | { sub: 'upload'; json: boolean; model: string; manifest: string }
  | { sub: 'promote'; json: boolean; name: string; version: number; alias: 'production' | 'canary' | 'shadow'; share?: number; reason: string }
  | { sub: 'rollback'; json: boolean; name: string; alias: 'production' | 'canary' | 'shadow'; reason: string };

const ALIASES = ['production', 'canary', 'shadow'] as const;

function parse(argv: string[]): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv, strict: true, allowPositionals: true,
      options: { json: { type: 'boolean' }, model: { type: 'string' }, manifest: { type: 'string' }, alias: { type: 'string' }, share: { type: 'string' }, reason: { type: 'string' } },
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
}

function version(text: string | undefined): number {
  const v = Number(text);
  if (text === undefined || !Number.isInteger(v) || v < 1) throw new CliUsageError(`a version is a whole number from 1, not "${text ?? ''}"`);
  return v;
}

function alias(text: string | boolean | undefined): 'production' | 'canary' | 'shadow' {
  const a = typeof text === 'string' ? text : 'production';
  if (!(ALIASES as readonly string[]).includes(a)) throw new CliUsageError(`--alias is production, canary or shadow, not "${a}"`);
  return a as 'production' | 'canary' | 'shadow';
}

/** Maps `vigil models <sub> ...` to what it asks the gateway. */
export function parseModelsArgs(argv: string[]): ModelsCall {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest);
  const json = values['json'] === true;
  const reason = typeof values['reason'] === 'string' ? values['reason'] : '';
  switch (sub) {
    case 'list': return { sub, json };
    case 'show':
      if (positionals.length < 1 || positionals.length > 2) throw new CliUsageError('show takes NAME [VERSION]');
      return { sub, json, name: positionals[0]!, ...(positionals[1] !== undefined ? { version: version(positionals[1]) } : {}) };
    case 'upload': {
      // `upload DIR` (a models/<name>/<version>/ folder) or `upload --model FILE --manifest FILE`.
      const dir = positionals[0];
      const model = typeof values['model'] === 'string' ? values['model'] : dir === undefined ? undefined : `${dir}/model.onnx`;
      const manifest = typeof values['manifest'] === 'string' ? values['manifest'] : dir === undefined ? undefined : `${dir}/manifest.json`;
      if (model === undefined || manifest === undefined || positionals.length > 1) throw new CliUsageError('upload takes DIR (holding model.onnx and manifest.json) or --model FILE --manifest FILE');
      return { sub, json, model, manifest };
    }
    case 'promote': {
      if (positionals.length !== 2) throw new CliUsageError('promote takes NAME VERSION');
      const share = typeof values['share'] === 'string' ? Number(values['share']) : undefined;
      if (share !== undefined && !(share >= 0 && share <= 100)) throw new CliUsageError('--share is a percentage from 0 to 100');
      const a = alias(values['alias'] ?? (share !== undefined ? 'canary' : undefined));
      return { sub, json, name: positionals[0]!, version: version(positionals[1]), alias: a, ...(share !== undefined ? { share } : {}), reason };
    }
    case 'rollback':
      if (positionals.length !== 1) throw new CliUsageError('rollback takes NAME');
      return { sub, json, name: positionals[0]!, alias: alias(values['alias']), reason };
    default: throw new CliUsageError(sub === undefined ? 'a sub-command is required' : `unknown sub-command "${sub}"`);
  }
}
