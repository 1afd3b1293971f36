-- Host state kept through the repositories: position and balance snapshots, strategy state and
-- backtest results. Every row carries the optimistic version the repositories check.

CREATE TABLE qtp_position_snapshots (
  id             text    PRIMARY KEY,
  venue          text    NOT NULL,
  instrument_id  text    NOT NULL,
  quantity       NUMERIC NOT NULL,
  average_price  NUMERIC,
  realized_pnl   NUMERIC NOT NULL,
  currency       text    NOT NULL,
  time_ms        bigint  NOT NULL,
  version        integer NOT NULL
);

CREATE INDEX qtp_position_snapshots_time ON qtp_position_snapshots (instrument_id, time_ms);

CREATE TABLE qtp_balance_snapshots (
  id       text    PRIMARY KEY,
  venue    text    NOT NULL,
  asset    text    NOT NULL,
  free     NUMERIC NOT NULL,
  locked   NUMERIC NOT NULL,
  time_ms  bigint  NOT NULL,
  version  integer NOT NULL
);

CREATE INDEX qtp_balance_snapshots_time ON qtp_balance_snapshots (asset, time_ms);

CREATE TABLE qtp_strategy_states (
  id         text    PRIMARY KEY,
  state      jsonb   NOT NULL,
  time_ms    bigint  NOT NULL,
  version    integer NOT NULL
);

CREATE TABLE qtp_backtest_runs (
  id             text    PRIMARY KEY,
  sweep_id       text,
  strategy       text    NOT NULL,
  params         jsonb   NOT NULL,
  started_ms     bigint  NOT NULL,
  finished_ms    bigint  NOT NULL,
  final_equity   NUMERIC NOT NULL,
  total_return   NUMERIC,
  sharpe         NUMERIC,
  max_drawdown   NUMERIC,
  trades         integer NOT NULL,
  analytics      jsonb   NOT NULL,
  version        integer NOT NULL
);

CREATE INDEX qtp_backtest_runs_sweep ON qtp_backtest_runs (sweep_id, sharpe);
