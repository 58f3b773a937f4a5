-- Adds recording a signal's outcome as a named rule (walltrack.record_signal_outcome): the one
-- place where a decided signal gets its written-once outcome, whether acted on, filtered or failed.
-- PL/pgSQL for the reason given in 20261205130300_buy_filter.sql (its plan is kept across signals).

-- filter_reason null: acted on (a BUY opened position_id, a SELL's first mirror exit is on
-- position_id). The leader's USD price is kept, with the SOL/USD that made it when the signal had
-- none; the duration runs from the webhook's receipt to the decision.
create function walltrack.record_signal_outcome(
  sig walltrack.signals, token_id uuid, filter_reason text, position_id uuid, leader_usd numeric,
  sol_usd numeric, sol_usd_source text, decided_at timestamptz)
returns void
language plpgsql
set search_path = ''
as $$
begin
  update walltrack.signals
     set token_id = record_signal_outcome.token_id,
         filtered = record_signal_outcome.filter_reason is not null,
         filter_reason = record_signal_outcome.filter_reason,
         position_created = (sig.signal_type = 'BUY' and record_signal_outcome.position_id is not null),
         position_id = record_signal_outcome.position_id,
         price_usd = leader_usd,
         sol_usd_price = case when sig.price_usd is null then sol_usd end,
         price_source = coalesce(sig.price_source, sol_usd_source),
         processed_at = decided_at,
         processing_duration_ms = greatest(0, pg_catalog.round(extract(epoch from (decided_at - sig.webhook_received_at)) * 1000))::integer
   where id = sig.id;
end;
$$;
comment on function walltrack.record_signal_outcome(walltrack.signals, uuid, text, uuid, numeric, numeric, text, timestamptz) is
  'Writes a decided signal''s outcome once: token, filtered and filter_reason, position created or mirrored, the USD price used, its source, when it was decided and how long after receipt.';
revoke execute on function walltrack.record_signal_outcome(walltrack.signals, uuid, text, uuid, numeric, numeric, text, timestamptz) from public;
