import type { ChainableCommander, Redis } from 'ioredis';

/**
 * Gathers the writes made in one turn of the event loop into one explicit pipeline: a burst of
 * publishes costs one round trip and one promise per burst, not one per message. Every write of a
 * burst shares the burst's promise, which resolves once Redis has answered all of them and
 * rejects with the first error when any failed (a caller that retries may then write a message
 * twice, which at-least-once delivery allows).
 */
export class CommandBatch {
  private readonly client: Redis;
  private pipeline: ChainableCommander | undefined;
  private done: Promise<void> | undefined;

  /** Batches writes for one client. */
  constructor(client: Redis) {
    this.client = client;
  }

  /** Queues one command (`add('xadd', key, '*', 'b', body)`) and returns the promise of its burst. */
  add(command: string, ...args: (string | number)[]): Promise<void> {
    let pipeline = this.pipeline;
    if (pipeline === undefined) {
      pipeline = this.client.pipeline();
      this.pipeline = pipeline;
      this.done = Promise.resolve().then(() => this.flush());
    }
    pipeline.call(command, ...args);
    return this.done as Promise<void>;
  }

  private async flush(): Promise<void> {
    const pipeline = this.pipeline;
    this.pipeline = undefined;
    this.done = undefined;
    if (pipeline === undefined) return;
    const results = (await pipeline.exec()) ?? [];
    for (let i = 0; i < results.length; i++) {
      const error = results[i]?.[0];
      if (error) throw error;
    }
  }
}
