import { type CliCommand } from './command/cli-command';

/** Every `vigil` sub-command, in the order `vigil --help` lists them. */
export const commands: readonly CliCommand[] = [];
