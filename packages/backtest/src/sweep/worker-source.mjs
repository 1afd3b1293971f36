// Starts a sweep worker from the TypeScript sources, in development and tests. Plain JavaScript,
// because a worker thread cannot start from a .ts file by itself: this registers tsx, then loads
// the real entry. The pool passes `--conditions=@qtp/source` so the workspace packages resolve
// to their sources too. Builds start `dist/sweep-worker.js` instead.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
