import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { EventPublisher, ValidationError, ValidationIssue } from '@qtp/core';
import { type Clock, LiveClock, type TimerId } from '@qtp/core';
import type { z } from 'zod';
import { changedPaths } from './diff.js';
import { checkConfigOptions, type LoadConfigOptions, resolveConfig } from './load-config.js';
import { DEFAULT_SECRET_KEYS, SecretMatcher } from './secrets.js';

/** Published when a reload produced a valid config that differs from the current one. */
export interface ConfigChangedEvent<T> {
  /** Always `config.changed`. */
  readonly type: 'config.changed';
  /** The dotted paths whose values changed, such as `risk.maxNotional`; secrets by path only. */
  readonly changedPaths: readonly string[];
  /** The config now in force. */
  readonly config: T;
  /** The config it replaced. */
  readonly previous: T;
}

/** Published when a reload found an invalid config; the last good config stays in force. */
export interface ConfigInvalidEvent {
  /** Always `config.invalid`. */
  readonly type: 'config.invalid';
  /** Every issue found, with secret values shown as `[REDACTED]`. */
  readonly issues: readonly ValidationIssue[];
  /** The error listing the same issues. */
  readonly error: ValidationError;
}

/** The topics a {@link ConfigWatcher} publishes, with their payloads. */
export interface ConfigEvents<T> {
  /** A valid change was swapped in. */
  'config.changed': ConfigChangedEvent<T>;
  /** A change was refused; the last good config stays. */
  'config.invalid': ConfigInvalidEvent;
}

/** What {@link ConfigWatcher.reload} did: swapped a change in, found nothing new, or refused. */
export type ConfigReloadResult<T> =
  | {
      /** A valid change was swapped in. */
      readonly status: 'changed';
      /** The event published for it. */
      readonly event: ConfigChangedEvent<T>;
    }
  | {
      /** The layers gave the config already in force; nothing was published. */
      readonly status: 'unchanged';
    }
  | {
      /** The change was refused and the last good config kept. */
      readonly status: 'invalid';
      /** The event published for it. */
      readonly event: ConfigInvalidEvent;
    };

/** Options of {@link ConfigWatcher}: those of `loadConfig`, with the file required. */
export interface ConfigWatcherOptions<S extends z.ZodType> extends LoadConfigOptions<S> {
  /** The JSON file to watch. */
  file: string;
  /** Where `config.changed` and `config.invalid` are published, such as the event bus. */
  publisher?: EventPublisher<ConfigEvents<z.output<S>>>;
  /** The clock that times the debounce (default a `LiveClock` whose timers do not hold the process). */
  clock?: Clock;
  /** How long the file must stay quiet before it is read again, in milliseconds (default 100). */
  debounceMs?: number;
  /**
   * Whether watching keeps the Node.js process alive until {@link ConfigWatcher.stop} (default
   * true, as `fs.watch` does); set false for a watcher that should not hold a finished process.
   */
  persistent?: boolean;
  /**
   * Receives errors raised while reloading in the background: a listener that threw, or the
   * watcher itself failing. By default they are rethrown, as an `EventEmitter` does.
   */
  onError?: (error: unknown) => void;
}

type Listeners<T> = { [K in keyof ConfigEvents<T>]: Set<(event: ConfigEvents<T>[K]) => void> };

/**
 * Holds a config loaded like `loadConfig` and reloads it when its JSON file changes.
 *
 * Each reload reads every layer again, validates, and swaps the new config in as one reference,
 * so a reader sees either the old config or the new one, never a mix. A valid change publishes
 * `config.changed` with the changed paths; an invalid one keeps the last good config and
 * publishes `config.invalid` with every issue. Bursts of file events (editors write in several
 * steps) are debounced. The directory is watched rather than the file, so editors that save by
 * replacing the file are followed.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { ConfigWatcher } from '@qtp/core';
 *
 * const watcher = new ConfigWatcher({
 *   schema: z.object({ risk: z.object({ maxNotional: z.number().positive() }) }),
 *   file: 'config.json',
 * });
 * watcher.on('config.changed', (event) => console.log('changed', event.changedPaths));
 * watcher.on('config.invalid', (event) => console.error(event.error.message));
 * watcher.start();
 * console.log(watcher.current.risk.maxNotional);
 * // later: watcher.stop();
 * ```
 */
export class ConfigWatcher<S extends z.ZodType> {
  private readonly options: ConfigWatcherOptions<S>;
  private readonly matcher: SecretMatcher;
  private readonly clock: Clock;
  private readonly debounceMs: number;
  private readonly listeners: Listeners<z.output<S>> = {
    'config.changed': new Set(),
    'config.invalid': new Set(),
  };
  private config: z.output<S>;
  private watcher: FSWatcher | undefined;
  private pending: TimerId | undefined;

  /**
   * Loads the config once.
   * @throws `ValidationError` listing every issue when the initial config is invalid (a
   * missing file is named with its path), or naming the option when `options` is malformed
   */
  constructor(options: ConfigWatcherOptions<S>) {
    checkConfigOptions(options);
    this.options = options;
    this.matcher = new SecretMatcher(options.schema, options.secretKeys ?? DEFAULT_SECRET_KEYS);
    this.clock = options.clock ?? new LiveClock({ unref: true });
    this.debounceMs = options.debounceMs ?? 100;
    const result = resolveConfig(options, this.matcher);
    if (!result.ok) throw result.error;
    this.config = result.config;
  }

  /** The config in force: the last valid one loaded. */
  get current(): z.output<S> {
    return this.config;
  }

  /** Whether the file is being watched. */
  get watching(): boolean {
    return this.watcher !== undefined;
  }

  /**
   * Calls `listener` for each event of `type`; returns a function that stops it.
   * @example
   * ```ts
   * const off = watcher.on('config.changed', (event) => console.log(event.changedPaths));
   * off();
   * ```
   */
  on<K extends keyof ConfigEvents<z.output<S>>>(
    type: K,
    listener: (event: ConfigEvents<z.output<S>>[K]) => void,
  ): () => void {
    const set = this.listeners[type] as Set<(event: ConfigEvents<z.output<S>>[K]) => void>;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /**
   * Reads the layers again now, validates, and swaps the config in when it changed. Tests call
   * it directly; the watcher calls it after a debounced file change.
   * @throws the first error a listener threw, after every listener has run and the swap is done
   */
  reload(): ConfigReloadResult<z.output<S>> {
    const result = resolveConfig(this.options, this.matcher);
    if (!result.ok) {
      const event: ConfigInvalidEvent = {
        type: 'config.invalid',
        issues: result.error.issues,
        error: result.error,
      };
      this.emit('config.invalid', event);
      return { status: 'invalid', event };
    }
    const previous = this.config;
    const paths = changedPaths(previous, result.config);
    if (paths.length === 0) return { status: 'unchanged' };
    this.config = result.config;
    const event: ConfigChangedEvent<z.output<S>> = Object.freeze({
      type: 'config.changed',
      changedPaths: Object.freeze(paths),
      config: result.config,
      previous,
    });
    this.emit('config.changed', event);
    return { status: 'changed', event };
  }

  /** Starts watching the file; does nothing when already watching. */
  start(): void {
    if (this.watcher !== undefined) return;
    const file = resolve(this.options.file);
    const name = basename(file);
    const persistent = this.options.persistent ?? true;
    this.watcher = watch(dirname(file), { persistent }, (_event, changed) => {
      if (changed === null || changed === name) this.scheduleReload();
    });
    this.watcher.on('error', (error) => this.fail(error));
  }

  /** Stops watching and drops a pending reload. The current config stays readable. */
  stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.pending !== undefined) this.clock.cancel(this.pending);
    this.pending = undefined;
  }

  /**
   * Reloads after `debounceMs` of quiet, as a file event does: a call made while a reload is
   * pending restarts the wait. Useful for a reload signal such as SIGHUP.
   */
  scheduleReload(): void {
    if (this.pending !== undefined) this.clock.cancel(this.pending);
    this.pending = this.clock.setTimeout(() => {
      this.pending = undefined;
      try {
        this.reload();
      } catch (error) {
        this.fail(error);
      }
    }, this.debounceMs);
  }

  private fail(error: unknown): void {
    if (this.options.onError === undefined) throw error;
    this.options.onError(error);
  }

  private emit<K extends keyof ConfigEvents<z.output<S>>>(
    type: K,
    event: ConfigEvents<z.output<S>>[K],
  ): void {
    let failure: { error: unknown } | undefined;
    const deliver = (send: () => void): void => {
      try {
        send();
      } catch (error) {
        failure ??= { error };
      }
    };
    deliver(() => this.options.publisher?.publish(type, event));
    for (const listener of this.listeners[type] as Set<
      (event: ConfigEvents<z.output<S>>[K]) => void
    >) {
      deliver(() => listener(event));
    }
    if (failure !== undefined) throw failure.error;
  }
}
