// Checks that the Markdown files of the repository (READMEs, docs/, changesets) refer only to
// files it has: every relative link target, and every repository path written in backticks
// (`examples/first-look/index.ts`, `packages/backtest/README.md`, ...). Exits non-zero and
// lists each missing path with the file and line that names it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SKIPPED = new Set(['node_modules', '.git', 'dist', 'coverage', 'out']);

/** Returns the folder of the nearest package.json at or above `dir`. */
function packageDir(dir) {
  let current = dir;
  while (current !== root && !existsSync(join(current, 'package.json'))) current = dirname(current);
  return current;
}

/** Returns true when `base` has a folder named `name` (not one the check skips). */
function hasFolder(base, name) {
  return !name.startsWith('.') && !SKIPPED.has(name) && existsSync(join(base, name, '.'));
}
// Written by the build or a run, not kept in the repository.
const GENERATED = [/^docs\/api(\/|$)/, /\/out(\/|$)/, /\/dist(\/|$)/];

function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name) || relative(root, join(dir, entry.name)) === 'docs/api') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

const missing = [];
for (const file of markdownFiles(root)) {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, index) => {
    const where = `${relative(root, file)}:${index + 1}`;
    for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
      const path = join(dirname(file), decodeURIComponent(target.split('#')[0]));
      if (!existsSync(path)) missing.push(`${where}: link to ${target}`);
    }
    for (const [, text] of line.matchAll(/`([^`\s]+)`/g)) {
      // A path in backticks is read from the root, the file's folder or its package's folder,
      // when it starts with a folder of one of them.
      const path = text.replace(/[.,:;]$/, '');
      const top = path.split('/')[0];
      const bases = [root, dirname(file), packageDir(dirname(file))].filter((base) =>
        hasFolder(base, top),
      );
      if (
        path.startsWith('/') ||
        !path.includes('/') ||
        bases.length === 0 ||
        /[*<>{}$]/.test(path)
      )
        continue;
      if (GENERATED.some((pattern) => pattern.test(path))) continue;
      if (!bases.some((base) => existsSync(join(base, path)))) {
        missing.push(`${where}: path ${path}`);
      }
    }
  });
}

if (missing.length > 0) {
  console.error(`${missing.length} references to files the repository does not have:`);
  for (const line of missing) console.error(`  ${line}`);
  process.exit(1);
}
console.log('every path named in the Markdown files exists');
