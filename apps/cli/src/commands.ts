import { type CliCommand } from './command/cli-command';
import { migrateCommand } from './migrate/migrate.command';

/** Every `vigil` sub-command, in the order `vigil --help` lists them. */
export const commands: readonly CliCommand[] = [
  migrateCommand,
];
