import type { ServerResponse } from 'node:http';
import type { Clock, TimerId } from '@qtp/core';
import type { DashboardFeed } from './dashboard-feed.js';
import { DASHBOARD_VIEWS, type DashboardViewName, type LogView } from './views.js';

// The server-sent events channel: each connected page gets every view once, then only the views
// that changed, at most once per interval each. An update is built once per tick for all pages:
// each view that may have changed is built and serialised once, and sent only when its text
// differs from the one sent before (the equity view, sent last, only when the engine recorded
// something new).
// The timer runs, and the feed marks views stale, only while a page is connected, so a dashboard
// nobody watches adds nothing but the feed's appends to the engine's work.
export class LiveChannel {
  private readonly clients = new Set<ServerResponse>();
  private timer: TimerId | undefined;
  // What was last sent of each view, so an unchanged view is not sent again; for the equity,
  // the history's version, step and points held before the last when the pages got it.
  private equitySent = { version: -1, step: 0, held: 0 };
  private readonly sent = new Map<DashboardViewName, string>();
  // The newest log entry the pages hold: later updates of the log carry only what came after.
  private logSeq = 0;

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
    // Every view to the new page; the pages already connected get those that changed since
    // their last update, so all pages hold the same texts and the next tick compares against them.
    let changed = '';
    let text = '';
    for (const name of DASHBOARD_VIEWS) {
      const view = this.feed.view(name);
      const data = JSON.stringify(view);
      text += framed(name, data);
      if (name === 'equity') continue;
      if (this.sent.get(name) === data) continue;
      this.sent.set(name, data);
      changed += framed(name, data);
    }
    changed += this.equityUpdate();
    response.write(text);
    if (changed !== '') for (const client of this.clients) client.write(changed);
    this.logSeq = this.feed.logPosition().lastSeq;
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
    let text = '';
    for (const name of names) {
      if (name === 'equity') continue;
      if (name === 'log') {
        text += this.logUpdate();
        continue;
      }
      const data = JSON.stringify(this.feed.view(name));
      if (this.sent.get(name) === data) continue;
      this.sent.set(name, data);
      text += framed(name, data);
    }
    text += this.equityUpdate();
    if (text === '') return;
    for (const client of this.clients) client.write(text);
  }

  // Nothing while the engine recorded nothing new, so an idle curve costs no JSON; the points
  // after those the pages hold while the step is the same; else the whole view.
  private equityUpdate(): string {
    const sent = this.equitySent;
    const now = this.feed.equityPosition();
    if (now.version === sent.version) return '';
    this.equitySent = now;
    const since = this.feed.equitySince(sent.step, sent.held);
    return frame('equity', since ?? this.feed.view('equity'));
  }

  // The log entries heard since the last update, to put before those the pages hold.
  private logUpdate(): string {
    const { lastSeq, capacity } = this.feed.logPosition();
    if (lastSeq === this.logSeq) return '';
    const rows = this.feed.logSince(this.logSeq);
    this.logSeq = lastSeq;
    // More new entries than the log holds: the pages drop all theirs, as with a full view.
    const view: LogView =
      rows.length >= capacity ? { rows } : { rows, append: true, keep: capacity };
    return frame('log', view);
  }
}

function frame(name: DashboardViewName, data: unknown): string {
  return framed(name, JSON.stringify(data));
}

function framed(name: DashboardViewName, json: string): string {
  return `event: ${name}\ndata: ${json}\n\n`;
}
