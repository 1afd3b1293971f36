// Runs the `qtp` command of @qtp/backtest from its TypeScript sources, so it works on a fresh
// clone before any build: `pnpm qtp backtest --data examples/data/XRPETH-5m.csv ...`.
// Relative paths are read from the folder pnpm was started in, as with any installed command.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
const main = join(root, 'packages', 'backtest', 'src', 'cli', 'main.ts');

const run = spawnSync(tsx, ['--conditions=@qtp/source', main, ...process.argv.slice(2)], {
  cwd: process.env.INIT_CWD ?? process.cwd(),
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (run.error !== undefined) {
  console.error(`qtp: could not start tsx (${run.error.message}); run pnpm install first`);
  process.exit(1);
}
process.exit(run.status ?? 1);
