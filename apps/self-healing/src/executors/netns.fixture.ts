import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * Two network namespaces joined by a veth pair, for tests that need a real kernel:
 * `defender` (10.213.N.1) runs a TCP service and the firewall, `attacker` (10.213.N.2)
 * connects to it. Addresses exist only inside the namespaces. Needs root, `ip` and `nft`.
 */
export interface NetnsPair {
  readonly defender: string;
  readonly attacker: string;
  readonly defenderIp: string;
  readonly attackerIp: string;
  readonly port: number;
  /** True when the attacker completes a TCP handshake with the defender's service. */
  canConnect(): boolean;
  destroy(): void;
}

/** Why the machine cannot run namespace tests, or undefined when it can. */
export function netnsUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (creates network namespaces and nftables tables)';
  for (const [bin, args] of [['ip', ['-V']], ['nft', ['--version']]] as const) {
    const probe = spawnSync(bin, args);
    if (probe.error || probe.status !== 0) return `needs \`${bin}\` on PATH (apt-get install -y ${bin === 'nft' ? 'nftables' : 'iproute2'})`;
  }
  return undefined;
}

const run = (args: string[]): void => {
  execFileSync('ip', args, { stdio: 'pipe' });
};

export function createNetnsPair(): NetnsPair {
  const tag = randomBytes(3).toString('hex');
  const subnet = 1 + (randomBytes(1)[0] ?? 0) % 250;
  const defender = `vgd-${tag}`;
  const attacker = `vga-${tag}`;
  const defenderIp = `10.213.${subnet}.1`;
  const attackerIp = `10.213.${subnet}.2`;
  const port = 8080;
  let server: ChildProcess | undefined;
  const destroy = (): void => {
    server?.kill('SIGKILL');
    for (const ns of [defender, attacker]) spawnSync('ip', ['netns', 'del', ns]);
  };
  try {
    run(['netns', 'add', defender]);
    run(['netns', 'add', attacker]);
    run(['link', 'add', `vd${tag}`, 'netns', defender, 'type', 'veth', 'peer', 'name', `va${tag}`, 'netns', attacker]);
    run(['-n', defender, 'addr', 'add', `${defenderIp}/24`, 'dev', `vd${tag}`]);
    run(['-n', attacker, 'addr', 'add', `${attackerIp}/24`, 'dev', `va${tag}`]);
    for (const [ns, dev] of [[defender, `vd${tag}`], [attacker, `va${tag}`]] as const) {
      run(['-n', ns, 'link', 'set', dev, 'up']);
      run(['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    // Clients hang up right after the handshake; the server must shrug off the resets.
    server = spawn('ip', ['netns', 'exec', defender, process.execPath, '-e', `require('net').createServer((s) => { s.on('error', () => {}); s.end('ok'); }).listen(${port})`], { stdio: 'ignore' });
  } catch (error) {
    destroy();
    throw error;
  }
  const probe = (argv: string[]): boolean => spawnSync('ip', ['netns', 'exec', attacker, ...argv], { timeout: 5_000 }).status === 0;
  return {
    defender, attacker, defenderIp, attackerIp, port, destroy,
    canConnect: () => probe([process.execPath, '-e', connectScript(defenderIp, port)]),
  };
}

// Exits 0 on a completed handshake, 1 on refusal or after 700 ms of silence (dropped SYNs).
function connectScript(host: string, port: number): string {
  return `const s=require('net').connect(${port},'${host}');s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),700);`;
}
