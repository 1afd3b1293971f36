-- Appends a batch of journal records in a few set-based statements instead of one loop turn per
-- record: the same outcome as the loop it replaces. Records are taken in order; a record whose
-- digest the order already holds (a replay), or that repeats an earlier record of the batch,
-- adds nothing; the others get the order's next sequence numbers; the order row takes the
-- state of its last new record; the fills of the new records are stored once by trade id.
-- Raises QJ001 naming the first order without an intent, which undoes the whole call.

CREATE OR REPLACE FUNCTION qtp_append_order_events(p_records jsonb, p_digests text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_missing text;
BEGIN
  SELECT r.rec->>'id' INTO v_missing
    FROM jsonb_array_elements(p_records) WITH ORDINALITY AS r(rec, ord)
   WHERE NOT EXISTS (SELECT 1 FROM qtp_orders o WHERE o.id = r.rec->>'id')
   ORDER BY r.ord
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'no intent is journaled for order %', v_missing
      USING ERRCODE = 'QJ001', DETAIL = v_missing;
  END IF;

  -- Locked in id order, so two batches touching the same orders cannot deadlock; the next
  -- statement takes a new snapshot and sees what a batch that held the locks committed.
  PERFORM 1 FROM qtp_orders
    WHERE id IN (SELECT DISTINCT r.rec->>'id' FROM jsonb_array_elements(p_records) AS r(rec))
    ORDER BY id COLLATE "C"
    FOR UPDATE;

  WITH batch AS (
    SELECT r.ord, r.rec->>'id' AS id, p_digests[r.ord] AS digest, r.rec
      FROM jsonb_array_elements(p_records) WITH ORDINALITY AS r(rec, ord)
  ), fresh AS (
    SELECT DISTINCT ON (b.id, b.digest) b.ord, b.id, b.digest, b.rec
      FROM batch b
     WHERE NOT EXISTS (
       SELECT 1 FROM qtp_order_events e WHERE e.order_id = b.id AND e.digest = b.digest)
     ORDER BY b.id, b.digest, b.ord
  ), numbered AS (
    SELECT f.ord, f.id, f.digest, f.rec,
           o.last_seq + row_number() OVER (PARTITION BY f.id ORDER BY f.ord) AS seq
      FROM fresh f JOIN qtp_orders o ON o.id = f.id
  ), events AS (
    INSERT INTO qtp_order_events (order_id, seq, status, venue_order_id, digest, record)
    SELECT n.id, n.seq, n.rec->>'status', n.rec->'order'->>'venueOrderId', n.digest, n.rec
      FROM numbered n
    RETURNING 1
  ), latest AS (
    SELECT DISTINCT ON (n.id) n.id, n.seq, n.rec FROM numbered n ORDER BY n.id, n.ord DESC
  ), moved AS (
    UPDATE qtp_orders o SET
      instrument_id    = l.rec->>'instrumentId',
      status           = l.rec->>'status',
      venue_order_id   = l.rec->'order'->>'venueOrderId',
      side             = l.rec->'order'->>'side',
      quantity         = (l.rec->'order'->>'quantity')::numeric,
      filled_quantity  = (l.rec->'order'->>'filledQuantity')::numeric,
      sent_time_ms     = (l.rec->>'sentTimeMs')::bigint,
      unknown_since_ms = (l.rec->>'unknownSinceMs')::bigint,
      created_time_ms  = (l.rec->'order'->>'createdTimeMs')::bigint,
      updated_time_ms  = (l.rec->'order'->>'updatedTimeMs')::bigint,
      tags             = ARRAY(SELECT jsonb_array_elements_text(l.rec->'order'->'tags')),
      record           = l.rec,
      last_seq         = l.seq
      FROM latest l
     WHERE o.id = l.id
    RETURNING 1
  )
  INSERT INTO qtp_fills (instrument_id, trade_id, order_id, venue_order_id, side, price,
    quantity, fee_amount, fee_currency, liquidity_side, time_ms)
  SELECT DISTINCT ON (f."instrumentId", f."tradeId")
         f."instrumentId", f."tradeId", n.id, f."venueOrderId", f.side, f.price::numeric,
         f.quantity::numeric, (f.fee->>'amount')::numeric, f.fee->>'currency',
         f."liquiditySide", f."timeMs"
    FROM numbered n,
         jsonb_to_recordset(n.rec->'order'->'fills') AS f("instrumentId" text, "tradeId" text,
           "venueOrderId" text, side text, price text, quantity text, fee jsonb,
           "liquiditySide" text, "timeMs" bigint)
   ORDER BY f."instrumentId", f."tradeId", n.ord
  ON CONFLICT (instrument_id, trade_id) DO NOTHING;
END $$;
