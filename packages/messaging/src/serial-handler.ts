import type { InvalidMessageHandler, MessageHandler } from './broker.js';
import type { Envelope } from './envelope.js';

type Item =
  | { readonly envelope: Envelope; readonly body?: undefined; readonly reason?: undefined }
  | { readonly envelope?: undefined; readonly body: string; readonly reason: string };

/**
 * Runs a subscriber's handler on one message at a time, in arrival order. A handler that returns
 * at once is called again in the same turn; only one that returns a promise is waited for, so a
 * burst of messages to a synchronous handler costs no promise each. A handler's failure does not
 * stop the ones after it.
 */
export class SerialHandler {
  private readonly handler: MessageHandler;
  private readonly onInvalid: InvalidMessageHandler | undefined;
  private queue: Item[] = [];
  private head = 0;
  private running: Promise<void> | undefined;
  private stopped = false;
  private scheduled = false;

  private readonly limit: number;
  private dropped = 0;

  /**
   * Wraps the handler and the hearer of invalid bodies. With a `limit`, a message that arrives
   * while `limit` are held (waiting or being handled) is dropped and counted instead.
   */
  constructor(handler: MessageHandler, onInvalid?: InvalidMessageHandler, limit = Infinity) {
    this.handler = handler;
    this.onInvalid = onInvalid;
    this.limit = limit;
  }

  /** How many messages were dropped because `limit` were held. */
  get droppedCount(): number {
    return this.dropped;
  }

  // Whether there is room for one more message; counts the drop when there is not.
  private room(): boolean {
    if (this.backlog < this.limit) return true;
    this.dropped++;
    return false;
  }

  /** How many messages wait or run: held by this subscriber and not yet handled. */
  get backlog(): number {
    return this.queue.length - this.head + (this.running === undefined ? 0 : 1);
  }

  /** Queues an envelope for the handler. */
  push(envelope: Envelope): void {
    if (this.stopped || !this.room()) return;
    this.queue.push({ envelope });
    this.schedule();
  }

  /** Queues a body that is not an envelope, with the reason, for the invalid-body hearer. */
  pushInvalid(body: string, reason: string): void {
    if (this.onInvalid === undefined || this.stopped || !this.room()) return;
    this.queue.push({ body, reason });
    this.schedule();
  }

  /** Drops what waits and takes no more; the message being handled finishes. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    this.head = 0;
  }

  /** Resolves once every queued message has been handled. */
  async idle(): Promise<void> {
    while (this.running !== undefined || this.scheduled) {
      await (this.running ?? Promise.resolve());
    }
  }

  // Handlers run after the publisher's turn, never inside it, and one drain at a time: a handler
  // that publishes to its own topic queues the message behind itself.
  private schedule(): void {
    if (this.scheduled || this.running !== undefined) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    if (this.running !== undefined) return;
    while (this.head < this.queue.length) {
      const item = this.queue[this.head++] as Item;
      let result: void | Promise<void>;
      try {
        result =
          item.envelope === undefined
            ? this.onInvalid?.(item.body, item.reason)
            : this.handler(item.envelope);
      } catch {
        continue;
      }
      if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
        this.running = (result as Promise<void>).then(
          () => this.resume(),
          () => this.resume(),
        );
        return;
      }
    }
    this.queue = [];
    this.head = 0;
  }

  private resume(): void {
    this.running = undefined;
    // Drops the handled part of the queue now and then, so a queue that never runs empty does
    // not keep every message it ever held.
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.drain();
  }
}
