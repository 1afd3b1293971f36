// The dashboard page: renders the snapshot, then each view the live channel sends. Data goes into
// the page as text only (never as HTML), but for the charts, whose markup comes from the
// tearsheet's renderer, which escapes every text it writes. The control token lives in this
// module's memory.
import { CHART_CSS, renderEquityCharts } from '@qtp/backtest/charts';
import './style.css';
import type {
  DashboardSnapshot,
  DashboardViewName,
  EquityView,
  FillsView,
  LogView,
  OrdersView,
  PositionsView,
  RiskView,
  StrategiesView,
  VenuesView,
} from '../src/views.js';

interface Meta {
  readonly reportingCurrency: string;
  readonly tradingStates: readonly string[];
  readonly controlsEnabled: boolean;
}

const VIEWS: readonly DashboardViewName[] = [
  'equity',
  'positions',
  'orders',
  'fills',
  'strategies',
  'risk',
  'venues',
  'log',
];

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`missing #${id}`);
  return element as T;
};

const time = (ms: number | null): string =>
  ms === null ? '–' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

const signClass = (text: string | null): string =>
  text === null || text === '0' ? '' : text.startsWith('-') ? 'neg' : 'pos';

type Cell = string | number | null | Node | { readonly text: string; readonly className: string };

function fillRows(tbodyId: string, rows: readonly (readonly Cell[])[]): void {
  const tbody = $(tbodyId);
  const fragment = document.createDocumentFragment();
  for (const row of rows) {
    const tr = document.createElement('tr');
    for (const cell of row) {
      const td = document.createElement('td');
      if (cell instanceof Node) td.append(cell);
      else if (cell !== null && typeof cell === 'object') {
        td.textContent = cell.text;
        td.className = cell.className;
      } else td.textContent = cell === null ? '–' : String(cell);
      tr.append(td);
    }
    fragment.append(tr);
  }
  tbody.replaceChildren(fragment);
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.addEventListener('click', onClick);
  return element;
}

// ---- controls --------------------------------------------------------------------------------

async function control(route: string, body: Record<string, unknown>): Promise<void> {
  const result = $('control-result');
  const token = $<HTMLInputElement>('token').value;
  const response = await fetch(`/api/control/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { outcome?: string; target?: string; message?: string };
  result.className = response.ok ? '' : 'error';
  result.textContent = response.ok
    ? `${answer.outcome ?? 'applied'}: ${answer.target ?? ''}`
    : `refused (${response.status}): ${answer.message ?? ''}`;
}

// ---- charts ------------------------------------------------------------------------------------

// The tearsheet's chart styles, adopted as a constructed sheet: the page's policy allows no
// inline style element.
const chartSheet = new CSSStyleSheet();
chartSheet.replaceSync(CHART_CSS);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, chartSheet];

// Replaces a chart box's content with a figure drawn by the shared renderer.
function draw(id: string, markup: string, points: number): void {
  const element = $(id);
  const template = document.createElement('template');
  template.innerHTML = markup;
  element.replaceChildren(template.content);
  element.dataset.points = String(points);
}

// The equity view as last drawn: a live update may carry only the points after the first `from`.
let lastEquity: EquityView | undefined;

function renderEquity(update: EquityView): void {
  const held = lastEquity;
  const view: EquityView =
    update.from === undefined || held === undefined
      ? update
      : {
          ...update,
          times: [...held.times.slice(0, update.from), ...update.times],
          equity: [...held.equity.slice(0, update.from), ...update.equity],
          drawdown: [...held.drawdown.slice(0, update.from), ...update.drawdown],
        };
  lastEquity = view;
  // The same renderer and options as the backtest tearsheet, so both look alike.
  const charts = renderEquityCharts({
    times: view.times,
    equity: view.equity,
    drawdown: view.drawdown,
    currency: view.currency,
  });
  draw('equity-chart', charts.equity, view.equity.length);
  draw('drawdown-chart', charts.drawdown, view.drawdown.length);
  const last = view.equity.length - 1;
  $('equity-last').textContent =
    last < 0 ? '–' : `${view.equity[last]!.toPrecision(8)} ${view.currency}`;
  $('drawdown-last').textContent = last < 0 ? '–' : `${(view.drawdown[last]! * 100).toFixed(2)} %`;
  $('drawdown-max').textContent = `${(view.maxDrawdown * 100).toFixed(2)} %`;
  $('equity-points').textContent = String(view.recordedPoints);
}

// ---- tables ------------------------------------------------------------------------------------

const renderers: { [K in DashboardViewName]: (view: DashboardSnapshot[K]) => void } = {
  equity: renderEquity,
  positions: (view: PositionsView) =>
    fillRows(
      'positions-rows',
      view.rows.map((row) => [
        row.instrumentId,
        row.quantity,
        row.mark,
        row.averageEntryPrice,
        { text: row.unrealizedPnl ?? '–', className: signClass(row.unrealizedPnl) },
        { text: row.realizedPnl ?? '–', className: signClass(row.realizedPnl) },
        row.pnlCurrency,
      ]),
    ),
  orders: (view: OrdersView) =>
    fillRows(
      'orders-rows',
      view.rows.map((row) => [
        row.clientOrderId,
        row.instrumentId,
        row.side,
        row.type,
        row.quantity,
        row.price,
        row.filledQuantity,
        row.status,
        row.strategyId,
        button('Cancel', () => {
          void control('cancel-order', {
            clientOrderId: row.clientOrderId,
            reason: $<HTMLInputElement>('order-reason').value,
          });
        }),
      ]),
    ),
  fills: (view: FillsView) => {
    $('fills-total').textContent = `${view.total} since mounting`;
    fillRows(
      'fills-rows',
      view.rows.map((row) => [
        time(row.timeMs),
        row.instrumentId,
        row.side,
        row.price,
        row.quantity,
        `${row.fee} ${row.feeCurrency}`,
        row.liquiditySide,
        row.clientOrderId,
        row.tradeId,
      ]),
    );
  },
  strategies: (view: StrategiesView) =>
    fillRows(
      'strategies-rows',
      view.rows.map((row) => {
        const pnl = Object.entries(row.realizedPnl)
          .map(([currency, amount]) => `${amount} ${currency}`)
          .join(', ');
        const running = row.state === 'running';
        return [
          row.id,
          row.state,
          row.fills,
          pnl === '' ? '–' : pnl,
          view.controllable && row.state !== 'failed'
            ? button(running ? 'Pause' : 'Resume', () => {
                void control('strategy', {
                  strategyId: row.id,
                  action: running ? 'pause' : 'resume',
                  reason: $<HTMLInputElement>('strategy-reason').value,
                });
              })
            : null,
        ];
      }),
    ),
  risk: (view: RiskView) => {
    fillRows(
      'states-rows',
      view.states.map((row) => [
        `${row.scope.kind}:${row.scope.id}`,
        { text: row.state, className: row.state === 'ACTIVE' ? 'pos' : 'neg' },
        row.setBy,
        row.reason,
        time(row.timeMs),
      ]),
    );
    $('state-form').hidden = !view.controllable;
    fillRows(
      'limits-rows',
      view.limits.map((limit) => {
        const bar = document.createElement('span');
        bar.className = 'bar';
        const used = document.createElement('span');
        const share = limit.limit > 0 ? Math.min(1, Math.abs(limit.used) / limit.limit) : 0;
        used.style.width = `${(share * 100).toFixed(1)}%`;
        bar.append(used);
        return [limit.name, `${limit.used} ${limit.unit ?? ''}`, `${limit.limit}`, bar];
      }),
    );
    fillRows(
      'refusal-counts',
      view.refusalsByReason.map((row) => [row.code, row.count]),
    );
    fillRows(
      'refusal-rows',
      view.recentRefusals.map((row) => [
        time(row.timeMs),
        row.instrumentId,
        row.source,
        row.code,
        row.message,
      ]),
    );
  },
  venues: (view: VenuesView) => {
    $('engine-running').textContent = view.engineRunning ? 'engine running' : 'engine not running';
    fillRows(
      'venues-rows',
      view.rows.map((row) => [
        row.venue,
        row.connected === null
          ? 'not reported'
          : {
              text: row.connected ? 'connected' : 'down',
              className: row.connected ? 'pos' : 'neg',
            },
        row.breaker ?? null,
        row.rateLimitUsage === undefined ? null : `${(row.rateLimitUsage * 100).toFixed(0)} %`,
      ]),
    );
  },
  log: (view: LogView) => {
    // A live update may hold only the new events, to put before those shown.
    lastLog =
      view.append === true
        ? { rows: [...view.rows, ...lastLog.rows].slice(0, view.keep ?? view.rows.length) }
        : view;
    renderLog();
  },
};

let lastLog: LogView = { rows: [] };

function renderLog(): void {
  const topic = $<HTMLSelectElement>('log-topic').value;
  const filter = $<HTMLInputElement>('log-filter').value.toLowerCase();
  fillRows(
    'log-rows',
    lastLog.rows
      .filter((row) => topic === '' || row.topic.startsWith(`${topic}.`))
      .filter(
        (row) => filter === '' || `${row.topic} ${row.summary}`.toLowerCase().includes(filter),
      )
      .map((row) => [row.seq, time(row.timeMs), row.topic, row.summary]),
  );
}

function render<K extends DashboardViewName>(name: K, view: DashboardSnapshot[K]): void {
  (renderers[name] as (view: DashboardSnapshot[K]) => void)(view);
}

// ---- navigation ------------------------------------------------------------------------------

function showTab(): void {
  const wanted = location.hash.slice(1);
  const active = (VIEWS as readonly string[]).includes(wanted) ? wanted : 'equity';
  for (const section of document.querySelectorAll<HTMLElement>('section[data-view]')) {
    section.hidden = section.dataset.view !== active;
  }
  for (const link of document.querySelectorAll<HTMLElement>('nav a')) {
    link.classList.toggle('active', link.dataset.tab === active);
  }
}

async function start(): Promise<void> {
  showTab();
  window.addEventListener('hashchange', showTab);
  const meta = (await (await fetch('/api/meta')).json()) as Meta;
  const select = $<HTMLSelectElement>('state-select');
  for (const state of meta.tradingStates) {
    const option = document.createElement('option');
    option.textContent = state;
    select.append(option);
  }
  $('state-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void control('trading-state', {
      state: select.value,
      reason: $<HTMLInputElement>('state-reason').value,
    });
  });
  $('log-topic').addEventListener('change', renderLog);
  $('log-filter').addEventListener('input', renderLog);
  const snapshot = (await (await fetch('/api/snapshot')).json()) as DashboardSnapshot;
  for (const name of VIEWS) render(name, snapshot[name]);
  const status = $('live-status');
  const live = new EventSource('/api/live');
  live.addEventListener('open', () => {
    status.textContent = 'live';
    status.className = 'status live';
  });
  live.addEventListener('error', () => {
    status.textContent = 'reconnecting';
    status.className = 'status';
  });
  for (const name of VIEWS) {
    live.addEventListener(name, (event) => {
      render(
        name,
        JSON.parse((event as MessageEvent<string>).data) as DashboardSnapshot[typeof name],
      );
    });
  }
  document.body.dataset.ready = 'true';
}

void start();
