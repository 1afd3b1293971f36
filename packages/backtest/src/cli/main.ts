#!/usr/bin/env node
// The `qtp` command. From the sources: tsx --conditions=@qtp/source packages/backtest/src/cli/main.ts
import { runCli } from './run-cli.js';

const args = process.argv.slice(2);
const streams = { stdout: process.stdout, stderr: process.stderr };
// No top-level await: the build also emits CommonJS, which has none. `qtp worker` loads the
// messaging clients only when asked for.
void (
  args[0] === 'worker'
    ? import('../queue/worker-command.js').then(({ runWorkerCommand }) =>
        runWorkerCommand(args.slice(1), streams),
      )
    : runCli(args, streams)
).then((code) => {
  process.exitCode = code;
});
