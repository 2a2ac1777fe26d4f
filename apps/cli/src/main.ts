import 'reflect-metadata';
import { runCli } from './command/cli-runner';
import { commands } from './commands';

runCli({
  argv: process.argv.slice(2),
  commands,
  io: { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`vigil: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
