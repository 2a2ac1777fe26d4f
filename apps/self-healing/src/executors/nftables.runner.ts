import { spawn } from 'node:child_process';
import { SelfHealingError, SELF_HEALING_ERROR_CODES } from '../self-healing.errors';

/** Runs nft with a script on stdin (no shell), or reads state as JSON. */
export interface NftRunner {
  run(script: string): Promise<void>;
  listJson(args: readonly string[]): Promise<unknown>;
}

const TIMEOUT_MS = 10_000;

export class ProcessNftRunner implements NftRunner {
  /** `command` is the argv prefix that runs nft, e.g. ['nft'] or ['ip', 'netns', 'exec', 'ns1', 'nft']. */
  constructor(private readonly command: readonly string[]) {}

  async run(script: string): Promise<void> {
    await this.exec(['-f', '-'], script);
  }

  async listJson(args: readonly string[]): Promise<unknown> {
    return JSON.parse(await this.exec(['-j', ...args], '')) as unknown;
  }

  private exec(args: readonly string[], stdin: string): Promise<string> {
    const [bin = 'nft', ...prefix] = this.command;
    return new Promise((resolve, reject) => {
      const child = spawn(bin, [...prefix, ...args], { stdio: ['pipe', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', (cause) => reject(failure(`cannot run ${bin}: ${cause.message}`, cause)));
      child.on('close', (code, signal) => {
        if (code === 0) resolve(out);
        else reject(failure(`nft ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${err.trim().slice(0, 2000)}`));
      });
      // A child that dies before reading stdin reports through 'close'; the pipe error adds nothing.
      child.stdin.on('error', () => undefined);
      child.stdin.end(stdin);
    });
  }
}

function failure(message: string, cause?: unknown): SelfHealingError {
  return new SelfHealingError({ code: SELF_HEALING_ERROR_CODES.ExecutorFailed, message, kind: 'unavailable', details: { executor: 'nftables' }, cause });
}
