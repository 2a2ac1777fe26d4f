import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { loadConfig, SERVICE_PORTS } from '@vigil/config';
import { z } from 'zod';

/** The dashboard's part of the gateway's environment (static bundle, service probes), parsed once at boot. */
export interface DashboardConfig {
  /** Folder of the built bundle (index.html, assets/). */
  readonly staticDir: string;
  /** Health endpoint base URL of each pipeline service, probed at `<url>/readyz`. */
  readonly serviceUrls: Readonly<Record<string, string>>;
  readonly probeTimeoutMs: number;
}

const PROBED = ['ingestion', 'detection', 'classification', 'model-registry', 'self-healing'] as const;

/** The repository (or image) root: the nearest folder above this file holding package.json. */
function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) return from;
    dir = parent;
  }
  return dir;
}

const serviceUrlList = z.string().transform((text, ctx) => {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const [name, url] = part.split(/=(.*)/s);
    if (!url || !/^https?:\/\/\S+$/.test(url)) ctx.addIssue({ code: 'custom', message: `"${part}" is not name=http(s)://host:port` });
    else out[name.trim()] = url.replace(/\/+$/, '');
  }
  return out;
});

export const dashboardConfigSchema = z
  .object({
    GATEWAY_DASHBOARD_DIR: z.string().min(1).optional(),
    GATEWAY_SERVICE_URLS: serviceUrlList.default({}),
    GATEWAY_HEALTH_PROBE_TIMEOUT_MS: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(50).max(30_000)).default(1500),
  })
  .transform((env): DashboardConfig => ({
    staticDir: env.GATEWAY_DASHBOARD_DIR ?? join(packageRoot(__dirname), 'dist', 'apps', 'dashboard'),
    serviceUrls: {
      ...Object.fromEntries(PROBED.map((s) => [s, `http://127.0.0.1:${SERVICE_PORTS[s].port}`])),
      ...env.GATEWAY_SERVICE_URLS,
    },
    probeTimeoutMs: env.GATEWAY_HEALTH_PROBE_TIMEOUT_MS,
  }));

export function loadDashboardConfig(env: NodeJS.ProcessEnv = process.env): DashboardConfig {
  return loadConfig(dashboardConfigSchema, env);
}

export const DASHBOARD_CONFIG = Symbol('DASHBOARD_CONFIG');
