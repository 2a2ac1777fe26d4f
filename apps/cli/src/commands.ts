import { analyzeCommand } from './analyze/analyze.command';
import { type CliCommand } from './command/cli-command';
import { evaluateCommand } from './evaluate/evaluate.command';
import { migrateCommand } from './migrate/migrate.command';
import { trainCommand } from './train/train.command';

/** Every `vigil` sub-command, in the order `vigil --help` lists them. */
export const commands: readonly CliCommand[] = [
  analyzeCommand,
  migrateCommand,
  trainCommand,
  evaluateCommand,
];
