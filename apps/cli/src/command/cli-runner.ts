import { isVigilError } from '@vigil/errors';
import { CliUsageError, type CliCommand, type CliIo } from './cli-command';

export function helpText(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return ['Usage: vigil <command> [options]', '', 'Commands:', ...lines, '', 'Run `vigil <command> --help` for a command\'s options.', ''].join('\n');
}

/** Dispatches argv to a command and turns its failures into exit codes and messages. */
export async function runCli(args: { argv: string[]; commands: readonly CliCommand[]; io: CliIo }): Promise<number> {
  const { argv, commands, io } = args;
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText(commands));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`vigil: unknown command "${name}"\n\n${helpText(commands)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage.trimEnd()}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr.write(`vigil ${command.name}: ${error.message}\n\n${command.usage.trimEnd()}\n`);
      return 2;
    }
    if (isVigilError(error)) {
      io.stderr.write(`vigil ${command.name}: ${error.code}: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`vigil ${command.name}: unexpected failure: ${message}\n`);
    return 1;
  }
}
