-- The journal's writes as functions, so an append is one statement and one round trip: atomic
-- on its own, with no BEGIN and COMMIT around it. A record is the order manager's JSON record;
-- its digest (computed by the client) makes a replayed record a no-op.

CREATE FUNCTION qtp_store_order_row(p_record jsonb, p_seq integer) RETURNS void
LANGUAGE sql AS $$
  UPDATE qtp_orders SET
    instrument_id    = p_record->>'instrumentId',
    status           = p_record->>'status',
    venue_order_id   = p_record->'order'->>'venueOrderId',
    side             = p_record->'order'->>'side',
    quantity         = (p_record->'order'->>'quantity')::numeric,
    filled_quantity  = (p_record->'order'->>'filledQuantity')::numeric,
    sent_time_ms     = (p_record->>'sentTimeMs')::bigint,
    unknown_since_ms = (p_record->>'unknownSinceMs')::bigint,
    created_time_ms  = (p_record->'order'->>'createdTimeMs')::bigint,
    updated_time_ms  = (p_record->'order'->>'updatedTimeMs')::bigint,
    tags             = ARRAY(SELECT jsonb_array_elements_text(p_record->'order'->'tags')),
    record           = p_record,
    last_seq         = p_seq
  WHERE id = p_record->>'id';
  INSERT INTO qtp_fills (instrument_id, trade_id, order_id, venue_order_id, side, price,
    quantity, fee_amount, fee_currency, liquidity_side, time_ms)
  SELECT f."instrumentId", f."tradeId", p_record->>'id', f."venueOrderId", f.side,
         f.price::numeric, f.quantity::numeric, (f.fee->>'amount')::numeric,
         f.fee->>'currency', f."liquiditySide", f."timeMs"
    FROM jsonb_to_recordset(p_record->'order'->'fills') AS f("instrumentId" text,
         "tradeId" text, "venueOrderId" text, side text, price text, quantity text, fee jsonb,
         "liquiditySide" text, "timeMs" bigint)
  ON CONFLICT (instrument_id, trade_id) DO NOTHING;
$$;

-- Returns 0 when the intent was stored, -1 when the identical intent was already there, and the
-- order's record count when a different intent holds the id.
CREATE FUNCTION qtp_append_order_intent(p_record jsonb, p_digest text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_seq integer;
  v_digest text;
BEGIN
  INSERT INTO qtp_orders (id, instrument_id, status, side, quantity, filled_quantity,
    created_time_ms, updated_time_ms, tags, record, last_seq)
  VALUES (p_record->>'id', p_record->>'instrumentId', p_record->>'status',
    p_record->'order'->>'side', (p_record->'order'->>'quantity')::numeric,
    (p_record->'order'->>'filledQuantity')::numeric,
    (p_record->'order'->>'createdTimeMs')::bigint, (p_record->'order'->>'updatedTimeMs')::bigint,
    '{}', p_record, 1)
  ON CONFLICT (id) DO NOTHING;
  IF NOT FOUND THEN
    SELECT o.last_seq, e.digest INTO v_seq, v_digest
      FROM qtp_orders o JOIN qtp_order_events e ON e.order_id = o.id AND e.seq = 1
     WHERE o.id = p_record->>'id';
    IF v_digest = p_digest THEN RETURN -1; END IF;
    RETURN coalesce(v_seq, 0);
  END IF;
  INSERT INTO qtp_order_events (order_id, seq, status, venue_order_id, digest, record)
  VALUES (p_record->>'id', 1, p_record->>'status', p_record->'order'->>'venueOrderId',
    p_digest, p_record);
  PERFORM qtp_store_order_row(p_record, 1);
  RETURN 0;
END $$;

-- Appends records of journaled orders in order; raises QJ001 naming the first order without an
-- intent, which undoes the whole call.
CREATE FUNCTION qtp_append_order_events(p_records jsonb, p_digests text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_record jsonb;
  v_seq integer;
BEGIN
  FOR i IN 1 .. coalesce(array_length(p_digests, 1), 0) LOOP
    v_record := p_records->(i - 1);
    SELECT last_seq INTO v_seq FROM qtp_orders WHERE id = v_record->>'id' FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'no intent is journaled for order %', v_record->>'id'
        USING ERRCODE = 'QJ001', DETAIL = v_record->>'id';
    END IF;
    INSERT INTO qtp_order_events (order_id, seq, status, venue_order_id, digest, record)
    VALUES (v_record->>'id', v_seq + 1, v_record->>'status',
      v_record->'order'->>'venueOrderId', p_digests[i], v_record)
    ON CONFLICT (order_id, digest) DO NOTHING;
    IF FOUND THEN
      PERFORM qtp_store_order_row(v_record, v_seq + 1);
    END IF;
  END LOOP;
END $$;
