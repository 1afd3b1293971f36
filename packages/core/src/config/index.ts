/**
 * Configuration: zod schemas loaded in layers (defaults < file < environment < overrides), hot
 * reload that validates and keeps the last good config, and secrets that never print.
 *
 * @module
 */

export type {
  ConfigChangedEvent,
  ConfigEvents,
  ConfigInvalidEvent,
  ConfigReloadResult,
  ConfigWatcherOptions,
} from './config-watcher.js';
// configuration: layered loading, hot reload, secrets
export { ConfigWatcher } from './config-watcher.js';
export type { EnvOptions, EnvSource } from './env.js';
export type { DeepPartial, LoadConfigOptions } from './load-config.js';
export { loadConfig } from './load-config.js';
export { DEFAULT_SECRET_KEYS, REDACTED, secret } from './secrets.js';
