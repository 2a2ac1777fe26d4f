import { alertsCommand } from './alerts/alerts.command';
import { analyzeCommand } from './analyze/analyze.command';
import { type CliCommand } from './command/cli-command';
import { decisionsCommand } from './decisions/decisions.command';
import { dlqCommand } from './dlq/dlq.command';
import { evaluateCommand } from './evaluate/evaluate.command';
import { keysCommand } from './keys/keys.command';
import { migrateCommand } from './migrate/migrate.command';
import { modelsCommand } from './models/models.command';
import { statsCommand } from './stats/stats.command';
import { trainCommand } from './train/train.command';
import { uploadCommand } from './upload/upload.command';

/** Every `vigil` sub-command, in the order `vigil --help` lists them. */
export const commands: readonly CliCommand[] = [
  analyzeCommand,
  migrateCommand,
  trainCommand,
  evaluateCommand,
  keysCommand,
  uploadCommand,
  alertsCommand,
  statsCommand,
  decisionsCommand,
  dlqCommand,
  modelsCommand,
];
