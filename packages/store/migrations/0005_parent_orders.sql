-- Parent orders of execution algorithms, beside their children in qtp_orders: one row per
-- parent with its latest record, and every appended record beside it.

CREATE TABLE qtp_parent_orders (
  id              text    PRIMARY KEY,
  algorithm       text    NOT NULL,
  instrument_id   text    NOT NULL,
  status          text    NOT NULL,
  quantity        NUMERIC NOT NULL,
  filled_quantity NUMERIC NOT NULL,
  last_seq        integer NOT NULL,
  record          jsonb   NOT NULL
);

CREATE TABLE qtp_parent_order_events (
  parent_id text    NOT NULL REFERENCES qtp_parent_orders (id),
  seq       integer NOT NULL,
  status    text    NOT NULL,
  record    jsonb   NOT NULL,
  PRIMARY KEY (parent_id, seq)
);
