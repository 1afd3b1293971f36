// A process that journals orders one after another until told to stop on stdin, printing
// `ack <id>` once an order's records are committed and `retry` for each failed attempt; a
// retryable failure is tried again until the server is back, as a host would.
import { isQtpError } from '@qtp/core';
import { PostgresOrderJournal } from '@qtp/store/postgres';
import { orderLifecycle } from '@qtp/store/testing';
import pg from 'pg';

const [url, schema] = process.argv.slice(2) as [string, string];
const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 2 });
pool.on('error', () => undefined);
const journal = new PostgresOrderJournal({ pool });
let stop = false;
process.stdin.on('data', () => {
  stop = true;
});

function retryable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return isQtpError(error, 'NETWORK') || code === 'ECONNREFUSED' || code === '57P03';
}

for (let i = 0; !stop; i++) {
  const [intent, submitted] = orderLifecycle(`w-${i}`, 'filled', 1_700_000_000_000 + i * 10);
  for (const [step, record] of [intent!, submitted!].entries()) {
    for (;;) {
      try {
        if (step === 0) await journal.appendIntent(record);
        else await journal.appendEvent(record);
        break;
      } catch (error) {
        if (!retryable(error)) throw error;
        process.stdout.write('retry\n');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }
  process.stdout.write(`ack w-${i}\n`);
}
await pool.end();
