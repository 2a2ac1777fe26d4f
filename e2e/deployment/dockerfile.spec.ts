import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SERVICE_NAMES, SERVICE_PORTS } from '@vigil/config';
import { REPO_ROOT } from './kubectl.fixture';
import { type Instruction, dockerignoreIncludes, effectiveInstructions, parseDockerfile } from './dockerfile.fixture';

const read = (file: string): string => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const dockerfile = parseDockerfile(read('docker/Dockerfile'));
const dockerignore = read('.dockerignore');
const finalStage = dockerfile.stages[dockerfile.stages.length - 1];
if (!finalStage) throw new Error('docker/Dockerfile has no stage');
const runtime = effectiveInstructions(dockerfile.stages, finalStage);
const last = (keyword: string, instructions: Instruction[] = runtime): Instruction | undefined =>
  instructions.filter((i) => i.keyword === keyword).at(-1);

function filesUnder(relative: string): string[] {
  const absolute = path.join(REPO_ROOT, relative);
  if (!statSync(absolute).isDirectory()) return [relative];
  return readdirSync(absolute).flatMap((entry) => (entry === 'node_modules' ? [] : filesUnder(path.join(relative, entry))));
}

describe('docker/Dockerfile', () => {
  it('builds in stages and ends on a runtime stage of a glibc (Debian slim) Node 20 image', () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual(expect.arrayContaining(['build', 'deps', 'runtime']));
    expect(finalStage.name).toBe('runtime');
    const base = dockerfile.args.find((a) => a.args[0]?.startsWith('NODE_IMAGE='))?.args[0] ?? '';
    expect(base).toMatch(/^NODE_IMAGE=node:20[\d.]*-(bookworm|bullseye|trixie)-slim$/);
  });

  it('runs as a numeric non-root user, with a HEALTHCHECK that needs no curl', () => {
    expect(last('USER')?.args[0]).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(last('HEALTHCHECK')?.raw).toMatch(/CMD \["node", "\/app\/docker\/healthcheck\.js"\]/);
  });

  it('ships only production dependencies, installed without lifecycle scripts and with .npmrc', () => {
    const nodeModules = runtime.find((i) => i.keyword === 'COPY' && i.args[1] === './node_modules');
    const deps = dockerfile.stages.find((s) => s.name === nodeModules?.flags['from']);
    const install = deps?.instructions.find((i) => i.keyword === 'RUN' && i.raw.includes('npm ci'));
    expect(install?.raw).toMatch(/npm ci --omit=dev --ignore-scripts/);
    const npmrcCopied = deps?.instructions.findIndex((i) => i.keyword === 'COPY' && i.args.includes('.npmrc')) ?? -1;
    expect(npmrcCopied).toBeGreaterThanOrEqual(0);
    expect(npmrcCopied).toBeLessThan(deps?.instructions.indexOf(install as Instruction) ?? -1);
    expect(read('.npmrc')).toMatch(/^onnxruntime-node-install=skip$/m);
    const build = dockerfile.stages.find((s) => s.name === 'build');
    expect(build?.instructions.map((i) => i.raw)).toEqual(expect.arrayContaining([expect.stringMatching(/npm ci --ignore-scripts/), 'node tools/build.js']));
  });

  it('copies only sources that exist and that .dockerignore lets into the build context', () => {
    const copies = dockerfile.stages.flatMap((s) => s.instructions).filter((i) => i.keyword === 'COPY' && !i.flags['from']);
    const sources = copies.flatMap((i) => i.args.slice(0, -1));
    expect(sources).toEqual(expect.arrayContaining(['models', 'apps/cli/bin', 'docker/entrypoint.js']));
    for (const source of sources) {
      expect([source, existsSync(path.join(REPO_ROOT, source))]).toEqual([source, true]);
      const included = filesUnder(source).filter((file) => dockerignoreIncludes(dockerignore, file));
      expect([source, included.length > 0]).toEqual([source, true]);
    }
    expect(dockerignoreIncludes(dockerignore, 'libs/contracts/src/contract.samples.spec.ts')).toBe(false);
    expect(dockerignoreIncludes(dockerignore, 'node_modules/pg/package.json')).toBe(false);
    expect(dockerignoreIncludes(dockerignore, '.git/config')).toBe(false);
  });

  it('enters through a script that starts each service from its compiled main', () => {
    expect(last('ENTRYPOINT')?.args).toEqual(['node', '/app/docker/entrypoint.js']);
    const entrypoint = read('docker/entrypoint.js');
    expect(entrypoint).toContain(`const SERVICES = ${JSON.stringify(SERVICE_NAMES).replace(/"/g, "'").replace(/,/g, ', ')};`);
    expect(entrypoint).toContain("path.join(root, 'dist', 'apps', service, 'src', 'main.js')");
    for (const service of SERVICE_NAMES) expect(existsSync(path.join(REPO_ROOT, 'apps', service, 'src', 'main.ts'))).toBe(true);
    expect(existsSync(path.join(REPO_ROOT, 'apps', 'cli', 'bin', 'vigil.js'))).toBe(true);
    const healthcheck = read('docker/healthcheck.js');
    for (const [service, { envKey, port }] of Object.entries(SERVICE_PORTS)) expect(healthcheck).toContain(`'${service}': ['${envKey}', ${port}]`.replace(/^'(\w+)'/, '$1'));
  });

  it('refuses to start without a known service or command', () => {
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [path.join(REPO_ROOT, 'docker', 'entrypoint.js'), ...args], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', ...env } });
    expect(run([])).toMatchObject({ status: 2, stderr: expect.stringContaining('nothing to run') });
    expect(run([], { VIGIL_SERVICE: 'nope' })).toMatchObject({ status: 2, stderr: expect.stringContaining('VIGIL_SERVICE=nope') });
    expect(run(['detection', 'extra'])).toMatchObject({ status: 2, stderr: expect.stringContaining('takes no arguments') });
  });
});

describe('docker/healthcheck.js', () => {
  let server: Server;
  let status = 200;
  beforeAll(async () => {
    server = createServer((request, response) => response.writeHead(request.url === '/healthz' ? status : 404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => {
    server.close();
  });
  // Asynchronous: the server answering the probe lives in this process.
  const probe = (env: Record<string, string>): Promise<number> =>
    new Promise((resolve) => {
      execFile(process.execPath, [path.join(REPO_ROOT, 'docker', 'healthcheck.js')], { env: { PATH: process.env['PATH'] ?? '', ...env } }, (error) => {
        resolve(error ? Number(error.code) : 0);
      });
    });

  it("reports the service healthy only while its /healthz answers 200 on the service's port", async () => {
    const port = String((server.address() as AddressInfo).port);
    status = 200;
    expect(await probe({ VIGIL_SERVICE: 'detection', DETECTION_PORT: port })).toBe(0);
    status = 503;
    expect(await probe({ VIGIL_SERVICE: 'detection', DETECTION_PORT: port })).toBe(1);
    expect(await probe({ VIGIL_SERVICE: 'gateway', GATEWAY_PORT: port })).toBe(1);
    await new Promise((resolve) => server.close(resolve));
    expect(await probe({ VIGIL_SERVICE: 'detection', DETECTION_PORT: port })).toBe(1);
  });
});
