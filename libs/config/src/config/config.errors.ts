import { VigilError } from '@vigil/errors';

/** One environment key that failed validation; `reason` never contains a secret value. */
export interface ConfigIssue {
  readonly key: string;
  readonly reason: string;
}

/** The environment does not describe a runnable service: start-up stops and lists every bad key. */
export class ConfigError extends VigilError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => `  ${issue.key}: ${issue.reason}`);
    super({
      code: 'CONFIG.INVALID',
      kind: 'invalid-input',
      message: `Invalid configuration (${issues.length} bad ${issues.length === 1 ? 'key' : 'keys'}):\n${lines.join('\n')}`,
      details: { issues: issues.map((issue) => ({ ...issue })) },
    });
    this.issues = issues;
  }
}
