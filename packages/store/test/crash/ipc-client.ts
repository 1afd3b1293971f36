// The engine process's end of the IPC channel to the test process: requests with replies, and
// pushes the test process sends unasked.
import { errorFromJson, type Push, type Reply } from './venue-protocol.js';

export class IpcClient {
  private next = 0;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();

  constructor(onPush: (push: Push) => void = () => undefined) {
    process.on('message', (message: Reply | Push) => {
      if ('event' in message) {
        onPush(message);
        return;
      }
      const waiting = this.pending.get(message.id);
      if (waiting === undefined) return;
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting.reject(errorFromJson(message.error));
      else waiting.resolve(message.result);
    });
  }

  /** Sends a request; `sent` runs once the message has left this process. */
  call(method: string, args: unknown[], sent?: () => void): Promise<unknown> {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      process.send!({ id, method, args }, undefined, {}, () => sent?.());
    });
  }
}
