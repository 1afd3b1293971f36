import { createHmac } from 'node:crypto';
import type { Clock, EventBus, Logger } from '@qtp/core';
import { NetworkError, ValidationError } from '@qtp/core';

/** How serious an alert is. */
export type AlertSeverity = 'info' | 'warning' | 'critical';

/** What a handler raises: a kind (`price.above`, `risk.halted`), a message and plain details. */
export interface Alert {
  readonly kind: string;
  readonly severity: AlertSeverity;
  readonly message: string;
  /** Epoch milliseconds, from the handler's clock. */
  readonly time: number;
  /** What the alert is about, such as an instrument id. */
  readonly subject?: string;
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/** Where alerts go. */
export interface AlertSink {
  send(alert: Alert): Promise<void>;
}

/**
 * Writes each alert to a logger: `info`, `warn` or `error` by severity.
 *
 * @example
 * ```ts
 * import { createConsoleLogger } from '@qtp/core';
 * import { LogSink } from '@qtp/messaging';
 * const sink = new LogSink({ logger: createConsoleLogger() });
 * ```
 */
export class LogSink implements AlertSink {
  private readonly logger: Logger;

  /** Creates the sink on the logger. */
  constructor(options: { readonly logger: Logger }) {
    this.logger = options.logger;
  }

  /** Writes the alert. */
  async send(alert: Alert): Promise<void> {
    const fields = { kind: alert.kind, subject: alert.subject, time: alert.time, ...alert.details };
    if (alert.severity === 'critical') this.logger.error(alert.message, fields);
    else if (alert.severity === 'warning') this.logger.warn(alert.message, fields);
    else this.logger.info(alert.message, fields);
  }
}

/**
 * Publishes each alert on an event bus topic (`alert` by default), for a dashboard or a bridge.
 *
 * @example
 * ```ts
 * import { EventBus } from '@qtp/core';
 * import { BusSink } from '@qtp/messaging';
 * const sink = new BusSink({ bus: new EventBus<{ alert: Alert }>() });
 * ```
 */
export class BusSink implements AlertSink {
  private readonly bus: EventBus<Record<string, unknown>>;
  private readonly topic: string;

  /** Creates the sink on the bus. */
  constructor(options: { readonly bus: EventBus<{ alert: Alert }>; readonly topic?: string }) {
    this.bus = options.bus as unknown as EventBus<Record<string, unknown>>;
    this.topic = options.topic ?? 'alert';
  }

  /** Publishes the alert. */
  async send(alert: Alert): Promise<void> {
    this.bus.publish(this.topic, alert);
  }
}

/** Options of {@link WebhookSink}. */
export interface WebhookSinkOptions {
  /** The `http://` or `https://` URL that receives a POST per alert. */
  readonly url: string;
  /** Signs each body: header `x-qtp-signature: sha256=HEX` of HMAC-SHA256(secret, body). */
  readonly secret: string;
  /** Tries per alert; 3 by default. */
  readonly maxAttempts?: number;
  /** The wait before try `n + 1`, in ms; 200 ms doubled per try by default. */
  readonly backoffMs?: (attempt: number) => number;
  /** Times the backoff; required so tests can run it on a simulated clock. */
  readonly clock: Clock;
}

/**
 * Returns the signature header value of a webhook body: `sha256=` and the hex HMAC-SHA256 of
 * the body under the secret. A receiver recomputes it to check the sender.
 *
 * @example
 * ```ts
 * import { webhookSignature } from '@qtp/messaging';
 * webhookSignature('secret', '{"kind":"price.above"}');
 * ```
 */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs each alert as JSON to a URL with a signature header, retrying a network failure, a 429
 * or a 5xx answer with backoff up to `maxAttempts`; a 4xx other than 429 is not retried.
 *
 * @throws (from `send`) `NetworkError` when every try failed, `ValidationError` naming `status`
 *   for a refused alert
 * @example
 * ```ts
 * import { LiveClock } from '@qtp/core';
 * import { WebhookSink } from '@qtp/messaging';
 * const sink = new WebhookSink({ url: 'https://ops.example/alerts', secret: 's3cret', clock: new LiveClock() });
 * ```
 */
export class WebhookSink implements AlertSink {
  private readonly options: WebhookSinkOptions;

  /** Creates the sink. */
  constructor(options: WebhookSinkOptions) {
    if (!/^https?:\/\//.test(options.url)) {
      throw new ValidationError('url', 'be an http:// or https:// URL', options.url);
    }
    this.options = options;
  }

  /** Sends the alert, retrying as configured. */
  async send(alert: Alert): Promise<void> {
    const body = JSON.stringify(alert);
    const maxAttempts = this.options.maxAttempts ?? 3;
    const backoffMs = this.options.backoffMs ?? ((attempt: number) => 200 * 2 ** (attempt - 1));
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        const response = await fetch(this.options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-qtp-signature': webhookSignature(this.options.secret, body),
            'x-qtp-attempt': String(attempt),
          },
          body,
        });
        await response.arrayBuffer();
        if (response.ok) return;
        if (response.status !== 429 && response.status < 500) {
          throw new ValidationError('status', 'be 2xx from the webhook', response.status);
        }
        lastError = new NetworkError(`webhook answered ${response.status}`);
      } catch (error) {
        if (error instanceof ValidationError) throw error;
        lastError = error;
      }
      if (attempt < maxAttempts) {
        await new Promise<void>((resolve) =>
          this.options.clock.setTimeout(() => resolve(), backoffMs(attempt)),
        );
      }
    }
    throw new NetworkError(`webhook failed after ${maxAttempts} attempts`, { cause: lastError });
  }
}
