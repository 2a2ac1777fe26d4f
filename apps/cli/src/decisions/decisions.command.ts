import { userInfo } from 'node:os';
import { type CliCommand, type CliIo } from '../command/cli-command';
import { parseDecisionsArgs } from './decisions.args';
import { formatAnswer } from './decisions.format';
import { HttpDecisionsTransport, usesGateway } from './decisions-http.transport';
import { NatsDecisionsTransport, type DecisionsTransport } from './decisions.transport';

const usage = `Usage: vigil decisions <sub-command> [options] [--json]

Self-healing decisions: list and inspect them, ban or unban by hand, approve or reject pending
ones, switch simulation mode, edit the allowlist. Every change is audited under your name
(VIGIL_ACTOR, else the login name).

Sub-commands:
  list [--status S,S] [--action A] [--value V] [--limit N]
  show ID                          the decision and its audit trail
  create VALUE [--action ban|throttle|isolate|alert] [--duration 1h] [--scope ip|range|pod] [--reason TEXT]
                                   VALUE is an IP address or CIDR (default: ban for 1h)
  revoke ID [--reason TEXT]        lift it now (unban)
  approve ID [--reason TEXT]       a pending-approval decision goes active
  reject ID [--reason TEXT]
  simulation [on|off] [--reason TEXT]
  allowlist [list] | allowlist add CIDR [--note TEXT] | allowlist remove CIDR

Connection: through the gateway's REST API when VIGIL_URL or VIGIL_API_KEY is set (an
operator key to change decisions, admin for simulation and the allowlist); otherwise straight
to self-healing over NATS (NATS_URL, default nats://127.0.0.1:4222; PIPELINE_PREFIX if set),
for operators on the cluster network.
`;

function actorOf(env: NodeJS.ProcessEnv): string {
  if (env['VIGIL_ACTOR']) return env['VIGIL_ACTOR'];
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

const defaultConnect = async (env: NodeJS.ProcessEnv): Promise<DecisionsTransport> => (usesGateway(env) ? new HttpDecisionsTransport(env) : NatsDecisionsTransport.connect(env));

/** `vigil decisions ...`; `connect` is the seam tests use. */
export function createDecisionsCommand(connect: (env: NodeJS.ProcessEnv) => Promise<DecisionsTransport> = defaultConnect): CliCommand {
  return {
    name: 'decisions',
    summary: 'list, show, create, revoke, approve or reject self-healing decisions; simulation; allowlist',
    usage,
    async run(argv: string[], io: CliIo): Promise<number> {
      const call = parseDecisionsArgs(argv, actorOf(io.env));
      const transport = await connect(io.env);
      try {
        const answer = await transport.call<unknown>(call.name, call.payload);
        io.stdout.write(call.json ? `${JSON.stringify(answer, null, 2)}\n` : formatAnswer(call.name, answer));
        return 0;
      } finally {
        await transport.close();
      }
    },
  };
}

export const decisionsCommand = createDecisionsCommand();
