import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { type CliCommand, type CliIo } from '../command/cli-command';
import { GatewayApiClient } from '../upload/gateway-api.client';
import { type ModelsCall, parseModelsArgs } from './models.args';

const usage = `Usage: vigil models <sub-command> [options] [--json]

The model registry through the gateway (VIGIL_URL, default http://127.0.0.1:8080, and
VIGIL_API_KEY: a viewer key reads, an admin key uploads, promotes and rolls back).

Sub-commands:
  list                               every model: task, contract, versions, aliases
  show NAME [VERSION]                a model's versions and aliases, or one version
  upload DIR | --model F --manifest F
                                     a new version (DIR holds model.onnx and manifest.json);
                                     validated by the registry, aliases do not move
  promote NAME VERSION [--alias production|canary|shadow] [--share PCT] [--reason TEXT]
                                     point an alias at a version (--share: canary traffic %)
  rollback NAME [--alias A] [--reason TEXT]
                                     move the alias back to where it was before its last move
`;

type Aliases = Partial<Record<'production' | 'canary' | 'shadow', { version: number; canaryShare?: number }>>;
interface ModelRow { name: string; task: string; contract: { id: string }; latestVersion: number; versions: number; aliases: Aliases }
interface VersionRow { name: string; version: number; sha256: string; sizeBytes: number; createdBy: string; createdAt: string; aliases: string[] }

const aliasText = (a: Aliases): string =>
  (['production', 'canary', 'shadow'] as const).flatMap((k) => {
    const v = a[k];
    return v === undefined ? [] : [`${k}=v${v.version}${v.canaryShare !== undefined ? `(${v.canaryShare}%)` : ''}`];
  }).join(' ') || '-';

function formatVersion(v: VersionRow): string {
  return `${v.name} v${v.version}  ${v.sizeBytes} bytes  sha256 ${v.sha256.slice(0, 12)}  ${v.aliases.join(',') || '-'}  by ${v.createdBy} at ${v.createdAt}\n`;
}

async function run(api: GatewayApiClient, call: ModelsCall): Promise<{ answer: unknown; text: () => string }> {
  const enc = encodeURIComponent;
  const send = async (method: string, path: string, body: unknown): Promise<unknown> =>
    api.json(await api.fetch(path, { method, headers: api.headers({ 'content-type': 'application/json' }), body: JSON.stringify(body) }));
  switch (call.sub) {
    case 'list': {
      const models = await api.getJson<ModelRow[]>('/api/v1/models');
      return { answer: models, text: () => models.map((m) => `${m.name}  ${m.task} ${m.contract.id}  ${m.versions} version(s), latest v${m.latestVersion}  ${aliasText(m.aliases)}\n`).join('') };
    }
    case 'show': {
      if (call.version !== undefined) {
        const v = await api.getJson<VersionRow & { rollout: { replica: string; state: string }[] }>(`/api/v1/models/${enc(call.name)}/versions/${call.version}`);
        return { answer: v, text: () => formatVersion(v) + v.rollout.map((r) => `  ${r.replica}: ${r.state}\n`).join('') };
      }
      const [versions, aliases] = await Promise.all([
        api.getJson<VersionRow[]>(`/api/v1/models/${enc(call.name)}/versions`),
        api.getJson<{ aliases: Aliases }>(`/api/v1/models/${enc(call.name)}/aliases`),
      ]);
      return { answer: { versions, aliases: aliases.aliases }, text: () => `aliases: ${aliasText(aliases.aliases)}\n${versions.map(formatVersion).join('')}` };
    }
    case 'upload': {
      const manifest = JSON.parse(await readFile(call.manifest, 'utf8')) as { name?: string };
      const form = new FormData();
      form.append('manifest', new Blob([JSON.stringify(manifest)], { type: 'application/json' }), 'manifest.json');
      form.append('model', new Blob([await readFile(call.model)], { type: 'application/octet-stream' }), basename(call.model));
      const v = await api.json<VersionRow>(await api.fetch(`/api/v1/models/${enc(String(manifest.name ?? ''))}/versions`, { method: 'POST', headers: api.headers(), body: form }));
      return { answer: v, text: () => `uploaded ${formatVersion(v)}` };
    }
    case 'promote': {
      const body = { version: call.version, reason: call.reason, ...(call.share !== undefined ? { canaryShare: call.share } : {}) };
      const moved = (await send('PUT', `/api/v1/models/${enc(call.name)}/aliases/${call.alias}`, body)) as { aliases: Aliases };
      return { answer: moved, text: () => `${call.name}: ${aliasText(moved.aliases)}\n` };
    }
    case 'rollback': {
      const moved = (await send('POST', `/api/v1/models/${enc(call.name)}/aliases/${call.alias}/rollback`, { reason: call.reason })) as { aliases: Aliases };
      return { answer: moved, text: () => `${call.name}: ${aliasText(moved.aliases)}\n` };
    }
  }
}

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'list, show, upload, promote or roll back model versions (through the gateway)',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const call = parseModelsArgs(argv);
    const resolved = call.sub === 'upload' ? { ...call, model: resolve(io.cwd, call.model), manifest: resolve(io.cwd, call.manifest) } : call;
    const { answer, text } = await run(new GatewayApiClient(io.env), resolved);
    io.stdout.write(call.json ? `${JSON.stringify(answer, null, 2)}\n` : text());
    return 0;
  },
};
