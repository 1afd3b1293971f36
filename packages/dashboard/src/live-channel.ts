import type { ServerResponse } from 'node:http';
import type { Clock, TimerId } from '@qtp/core';
import type { DashboardFeed } from './dashboard-feed.js';
import { DASHBOARD_VIEWS, type DashboardViewName } from './views.js';

// The server-sent events channel: each connected page gets every view once, then only the views
// made stale, at most once per interval each. The timer runs, and the feed marks views stale, only
// while a page is connected, so a dashboard nobody watches adds nothing but the feed's appends to
// the engine's work.
export class LiveChannel {
  private readonly clients = new Set<ServerResponse>();
  private timer: TimerId | undefined;
  private lastEquity = '';

  constructor(
    private readonly feed: DashboardFeed,
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  add(response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 2000\n\n');
    for (const name of DASHBOARD_VIEWS) send(response, name, this.feed.view(name));
    this.clients.add(response);
    this.feed.watch(true);
    response.on('close', () => {
      this.clients.delete(response);
      if (this.clients.size === 0) {
        this.stopTimer();
        this.feed.watch(false);
      }
    });
    if (this.timer === undefined) {
      this.timer = this.clock.setInterval(() => this.flush(), this.intervalMs);
    }
  }

  close(): void {
    this.stopTimer();
    this.feed.watch(false);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
  }

  private flush(): void {
    if (this.clients.size === 0) return;
    const names = new Set<DashboardViewName>(this.feed.takeStale());
    // Positions and venues move with marks and connections, which no order event announces.
    names.add('positions');
    names.add('venues');
    const frames: string[] = [];
    const equity = this.feed.view('equity');
    const last = equity.equity.length - 1;
    const equityKey = `${equity.recordedPoints}:${equity.times[last] ?? ''}:${equity.equity[last] ?? ''}`;
    if (equityKey !== this.lastEquity) {
      this.lastEquity = equityKey;
      frames.push(frame('equity', equity));
    }
    for (const name of names) if (name !== 'equity') frames.push(frame(name, this.feed.view(name)));
    const text = frames.join('');
    for (const client of this.clients) client.write(text);
  }
}

function frame(name: DashboardViewName, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

function send(response: ServerResponse, name: DashboardViewName, data: unknown): void {
  response.write(frame(name, data));
}
