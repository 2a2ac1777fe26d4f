// A real CrowdSec firewall bouncer (Debian's crowdsec-firewall-bouncer, unchanged) enforcing
// Vigil's decisions: the bouncer runs as a child process inside a network namespace made here,
// reaches the real gateway over a veth pair (10.213.x.y, traffic stays on this machine), polls
// /v1/decisions/stream with a bouncer key and writes its nftables set inside the namespace.
// A Vigil ban must appear in that set; a revoke must take it out.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Decision } from '@vigil/contracts';
import { expectEventually } from '@vigil/testing';
import { startGatewayStack, type GatewayStack } from '../testing/gateway-stack.fixture';

const BOUNCER = 'crowdsec-firewall-bouncer';
const SET_V4 = 'vigil-test-blacklist';
const TABLE_V4 = 'crowdsec';

function which(binary: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Installs the bouncer when it is missing; false (and a loud message) only when apt is unavailable. */
function ensureBouncer(): boolean {
  if (which(BOUNCER)) return true;
  if (!which('apt-get')) {
    process.stderr.write(`\n!!!!! SKIPPED: the real CrowdSec bouncer test needs ${BOUNCER}, which is missing, and apt-get is unavailable to install it !!!!!\n\n`);
    return false;
  }
  // --no-install-recommends: the recommended crowdsec agent registers online in its postinst and fails offline.
  execFileSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${BOUNCER}`], { stdio: 'inherit' });
  return true;
}

const sh = (args: string[]): string => execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('a real CrowdSec firewall bouncer enforces Vigil decisions in a network namespace', () => {
  const id = randomBytes(3).toString('hex');
  const ns = `vgb-${id}`;
  const hostIf = `vgbh${id}`;
  const nsIf = `vgbn${id}`;
  const subnet = randomInt(10, 250);
  const hostAddr = `10.213.${subnet}.1`;
  const nsAddr = `10.213.${subnet}.2`;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bouncer-'));
  let available = false;
  let stack: GatewayStack | undefined;
  let bouncer: ChildProcess | undefined;
  const bouncerLogs: string[] = [];

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error('this test needs root (network namespaces, nftables)');
    for (const tool of ['ip', 'nft']) if (!which(tool)) throw new Error(`this test needs ${tool}: apt-get install -y nftables iproute2`);
    available = ensureBouncer();
    if (!available) return;
    sh(['ip', 'netns', 'add', ns]);
    sh(['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
    sh(['ip', 'link', 'set', nsIf, 'netns', ns]);
    sh(['ip', 'addr', 'add', `${hostAddr}/30`, 'dev', hostIf]);
    sh(['ip', 'link', 'set', hostIf, 'up']);
    sh(['ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', `${nsAddr}/30`, 'dev', nsIf]);
    sh(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up']);
    sh(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    stack = await startGatewayStack({ services: ['self-healing'] });
    expect((await stack.call('/api/v1/simulation', { method: 'PUT', body: { enabled: false } })).status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    if (bouncer && bouncer.exitCode === null) {
      const exited = new Promise((resolve) => bouncer!.once('exit', resolve));
      bouncer.kill('SIGKILL');
      await exited;
    }
    await stack?.stop();
    // Deleting the namespace takes its end of the veth pair, and so the pair, and its nftables tables.
    if (available) {
      try {
        sh(['ip', 'netns', 'del', ns]);
      } catch {
        // never created
      }
      try {
        sh(['ip', 'link', 'del', hostIf]);
      } catch {
        // already gone with the namespace
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const setElements = (): string => {
    try {
      return sh(['ip', 'netns', 'exec', ns, 'nft', 'list', 'set', 'ip', TABLE_V4, SET_V4]);
    } catch (err) {
      return `(no set yet: ${(err as Error).message.split('\n')[0]})`;
    }
  };

  it('puts a Vigil ban into its nftables set and takes it out on revoke', async () => {
    if (!available) return;
    const port = new URL(stack!.url).port;
    const config = join(dir, 'crowdsec-firewall-bouncer.yaml');
    writeFileSync(config, [
      'mode: nftables',
      `pid_dir: ${dir}`,
      'update_frequency: 1s',
      'daemonize: false',
      'log_mode: stdout',
      'log_level: info',
      `api_url: http://${hostAddr}:${port}/`,
      `api_key: ${stack!.keys.bouncer}`,
      'disable_ipv6: true',
      'deny_action: DROP',
      'supported_decisions_types:',
      '  - ban',
      `blacklists_ipv4: ${SET_V4}`,
      'blacklists_ipv6: vigil-test-blacklist6',
      'nftables:',
      '  ipv4:',
      '    enabled: true',
      '    set-only: false',
      `    table: ${TABLE_V4}`,
      '    chain: crowdsec-chain',
      '  ipv6:',
      '    enabled: false',
      'prometheus:',
      '  enabled: false',
      '',
    ].join('\n'));
    bouncer = spawn('ip', ['netns', 'exec', ns, BOUNCER, '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const s of [bouncer.stdout!, bouncer.stderr!]) createInterface({ input: s }).on('line', (l) => bouncerLogs.push(l));
    const diagnose = (): string => `bouncer logs:\n${bouncerLogs.slice(-40).join('\n')}\nset:\n${setElements()}`;

    const created = await stack!.call('/api/v1/decisions', { role: 'operator', body: { value: '203.0.113.99', durationSeconds: 3600, reason: 'bouncer test' } });
    expect(created.status).toBe(201);
    const ban = (await created.json()) as Decision;
    expect(ban.status).toBe('active');
    await expectEventually(() => expect({ set: setElements(), exited: bouncer!.exitCode }).toEqual({ set: expect.stringContaining('203.0.113.99'), exited: null }), { timeoutMs: 20_000, intervalMs: 200 })
      .catch((err: Error) => { throw new Error(`${err.message}\n${diagnose()}`); });
    // The element carries the decision's remaining time as its timeout, as CrowdSec's own decisions do.
    expect(setElements()).toMatch(/203\.0\.113\.99 timeout (59m|1h)/);

    expect((await stack!.call(`/api/v1/decisions/${ban.id}/revoke`, { role: 'operator', body: { reason: 'test over' } })).status).toBe(200);
    await expectEventually(() => expect(setElements()).not.toContain('203.0.113.99'), { timeoutMs: 20_000, intervalMs: 200 })
      .catch((err: Error) => { throw new Error(`${err.message}\n${diagnose()}`); });
    expect(existsSync(config)).toBe(true);
  }, 90_000);
});
