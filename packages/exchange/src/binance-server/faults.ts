import { SeededRandom } from '@qtp/core';

/**
 * Faults the server injects, each with a probability in [0, 1] drawn per event from a seeded
 * random stream of the connection, so the same seed and traffic give the same faults.
 */
export interface BinanceServerFaults {
  /** The seed of every connection's random stream (default 1); connection n uses seed + n. */
  seed?: number;
  /**
   * Closes a socket without a close handshake: a REST or WebSocket API socket instead of
   * answering a request, a stream socket instead of sending a message.
   */
  dropSocket?: number;
  /** Swallows the response of an order request the engine accepted: the outcome is unknown. */
  swallowAcceptedResponse?: number;
  /** Answers an accepted order request with 5xx (`-1007` timeout, execution status unknown). */
  unknownOutcome5xx?: number;
  /** Delays every response by this many milliseconds (default 0). */
  responseDelayMs?: number;
  /** Answers a REST request with 503 `-1008` before doing anything. */
  serverBusy?: number;
  /** Answers a REST request with 403 and an HTML body, as Binance's firewall does. */
  forbidden?: number;
  /**
   * Answers a REST request with 429: as if the minute's weight were spent (Retry-After to the
   * end of the minute), or, with {@link BinanceServerFaults.rateLimitRetryAfterSeconds}, with a
   * Retry-After of that many seconds, refusing the IP's requests (REST and WebSocket API) until
   * it ends.
   */
  rateLimit?: number;
  /**
   * The `Retry-After` of the `rateLimit` fault, in whole seconds (at least 1); without it the
   * fault spends the minute's weight.
   */
  rateLimitRetryAfterSeconds?: number;
  /** Skips a depth update on a stream connection: the client sees a gap in update ids. */
  skipDepthUpdate?: number;
  /** Holds a depth update back and sends it after the next one. */
  reorderDepthUpdate?: number;
  /** Sends an execution report twice. */
  duplicateExecutionReport?: number;
  /** Holds an execution report back and sends it after the next user data event. */
  reorderExecutionReport?: number;
  /** The server's clock runs this many milliseconds ahead of its clock (negative: behind). */
  clockSkewMs?: number;
}

/** The faults of one connection: the options and the connection's own random stream. */
export class ConnectionFaults {
  private readonly random: SeededRandom;

  constructor(
    readonly options: BinanceServerFaults,
    connection: number,
  ) {
    this.random = new SeededRandom((options.seed ?? 1) + connection);
  }

  /** Draws whether the fault named happens now. */
  happens(
    name: Exclude<
      keyof BinanceServerFaults,
      'seed' | 'responseDelayMs' | 'clockSkewMs' | 'rateLimitRetryAfterSeconds'
    >,
  ): boolean {
    const probability = this.options[name] ?? 0;
    if (probability <= 0) return false;
    return this.random.next() < probability;
  }
}
