import type { Redis } from 'ioredis';

/**
 * Gathers the writes made in one turn of the event loop into one explicit pipeline: a burst of
 * publishes costs one round trip and one promise per burst, not one per message. Every write of a
 * burst shares the burst's promise, which resolves once Redis has answered all of them and
 * rejects with the first error when any failed (a caller that retries may then write a message
 * twice, which at-least-once delivery allows).
 */
export class CommandBatch {
  private readonly client: Redis;
  private writes: [command: string, ...args: (string | number)[]][] = [];
  private done: Promise<void> | undefined;

  /** Batches writes for one client. */
  constructor(client: Redis) {
    this.client = client;
  }

  /** Queues one command (`['xadd', key, '*', 'b', body]`) and returns the promise of its burst. */
  add(command: [command: string, ...args: (string | number)[]]): Promise<void> {
    this.writes.push(command);
    if (this.done === undefined) {
      this.done = Promise.resolve().then(() => this.flush());
    }
    return this.done;
  }

  private async flush(): Promise<void> {
    const writes = this.writes;
    this.writes = [];
    this.done = undefined;
    const pipeline = this.client.pipeline(writes);
    const results = (await pipeline.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
  }
}
