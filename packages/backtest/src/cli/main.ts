#!/usr/bin/env node
// The `qtp` command. From the sources: tsx --conditions=@qtp/source packages/backtest/src/cli/main.ts
import { runCli } from './run-cli.js';

// No top-level await: the build also emits CommonJS, which has none.
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
);
