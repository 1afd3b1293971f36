import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@qtp/core';

/** One static file of the web app, held in memory. */
export interface AppAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

// The bundle sits beside the built library (`dist/app/`); from the sources, in the package's
// `dist/app/` that its build writes.
function candidates(): string[] {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return [join(here, 'app'), join(here, '..', 'dist', 'app')];
}

/**
 * Reads the built web app into memory, keyed by URL path (`/` for `index.html`), so the server
 * answers only for files that exist and no request path ever reaches the file system.
 * @throws `ValidationError` naming `assetsDir` when no built app is found
 * @example
 * ```ts
 * import { loadAppAssets } from '@qtp/dashboard';
 * const assets = loadAppAssets();
 * console.log([...assets.keys()]); // ['/', '/app.css', '/app.js']
 * ```
 */
export function loadAppAssets(assetsDir?: string): ReadonlyMap<string, AppAsset> {
  const dir = [assetsDir ?? candidates()]
    .flat()
    .find((path) => existsSync(join(path, 'index.html')));
  if (dir === undefined) {
    throw new ValidationError(
      'assetsDir',
      'hold the built web app (index.html); build @qtp/dashboard first',
      assetsDir ?? null,
    );
  }
  const assets = new Map<string, AppAsset>();
  for (const name of readdirSync(dir)) {
    const contentType = TYPES[extname(name)];
    if (contentType === undefined) continue;
    const asset = { body: readFileSync(join(dir, name)), contentType };
    assets.set(name === 'index.html' ? '/' : `/${name}`, asset);
  }
  return assets;
}
