-- The order journal: one row per order with its latest record, every appended record beside
-- it, and every fill once by its venue trade id. Decimals are NUMERIC; times are epoch ms.

CREATE TABLE qtp_orders (
  id               text    PRIMARY KEY,
  instrument_id    text    NOT NULL,
  status           text    NOT NULL,
  venue_order_id   text,
  side             text    NOT NULL,
  quantity         NUMERIC NOT NULL,
  filled_quantity  NUMERIC NOT NULL,
  sent_time_ms     bigint,
  unknown_since_ms bigint,
  created_time_ms  bigint  NOT NULL,
  updated_time_ms  bigint  NOT NULL,
  tags             text[]  NOT NULL,
  last_seq         integer NOT NULL,
  record           jsonb   NOT NULL
);

CREATE INDEX qtp_orders_open
  ON qtp_orders (instrument_id)
  WHERE status NOT IN ('FILLED', 'CANCELED', 'REJECTED', 'EXPIRED');

CREATE TABLE qtp_order_events (
  order_id       text    NOT NULL REFERENCES qtp_orders (id),
  seq            integer NOT NULL,
  status         text    NOT NULL,
  venue_order_id text,
  digest         text    NOT NULL,
  record         jsonb   NOT NULL,
  PRIMARY KEY (order_id, seq),
  UNIQUE (order_id, digest)
);

CREATE TABLE qtp_fills (
  instrument_id   text    NOT NULL,
  trade_id        text    NOT NULL,
  order_id        text    NOT NULL REFERENCES qtp_orders (id),
  venue_order_id  text    NOT NULL,
  side            text    NOT NULL,
  price           NUMERIC NOT NULL,
  quantity        NUMERIC NOT NULL,
  fee_amount      NUMERIC NOT NULL,
  fee_currency    text    NOT NULL,
  liquidity_side  text    NOT NULL,
  time_ms         bigint  NOT NULL,
  PRIMARY KEY (instrument_id, trade_id)
);

CREATE INDEX qtp_fills_order ON qtp_fills (order_id);
