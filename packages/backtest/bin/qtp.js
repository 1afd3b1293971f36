#!/usr/bin/env node
// The `qtp` command of @qtp/backtest: loads the built CLI. A file of its own, so that the bin
// link exists before the package is built.
import '../dist/cli.js';
