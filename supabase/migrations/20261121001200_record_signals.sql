-- Adds walltrack.record_signals: one call records a webhook delivery's classified signals for the
-- watched wallets among them, idempotent on (transaction signature, wallet), and stamps
-- config.webhook_last_signal_at.

-- batch: {"received_at": iso,
--         "transactions": [{"signature": s, "raw": <enhanced transaction as received>}],
--         "signals": [{"wallet", "signal_type", "token_mint", "token_decimals", "token_in", "token_out",
--                      "amount_in", "amount_out", "price", "price_all_in", "price_usd",
--                      "transaction_signature", "slot", "block_time" (unix seconds)}]}
-- Candidate signals may name any participant of a transaction: only watched wallets (active or
-- not; an inactive wallet's signal is kept and filtered wallet_inactive) are recorded.
create function walltrack.record_signals(batch jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  result jsonb;
begin
  with candidate as (
    select distinct on (s.transaction_signature, w.id)
           w.id as wallet_id, s.*
    from pg_catalog.jsonb_to_recordset(batch -> 'signals') as s(
      wallet text, signal_type text, token_mint text, token_decimals smallint, token_in text, token_out text,
      amount_in numeric, amount_out numeric, price numeric, price_all_in numeric, price_usd numeric,
      transaction_signature text, slot bigint, block_time bigint)
    join walltrack.wallets w on w.address = s.wallet
    where s.price is not null -- a signal nobody can price cannot be copied or mirrored
    order by s.transaction_signature, w.id
  ), payload as (
    select distinct on (t.signature) t.signature, t.raw
    from pg_catalog.jsonb_to_recordset(batch -> 'transactions') as t(signature text, raw jsonb)
    order by t.signature
  ), inserted as (
    insert into walltrack.signals (
      wallet_id, token_address, transaction_signature, signal_type, token_in, token_out, amount_in,
      amount_out, price, price_all_in, price_usd, price_source, slot, leader_block_time, token_decimals,
      webhook_received_at, raw_payload)
    select c.wallet_id, c.token_mint, c.transaction_signature, c.signal_type, c.token_in, c.token_out,
           c.amount_in, c.amount_out, c.price, c.price_all_in, c.price_usd,
           case when c.price_usd is not null then 'stable' end,
           c.slot, pg_catalog.to_timestamp(c.block_time), c.token_decimals,
           coalesce((batch ->> 'received_at')::timestamptz, pg_catalog.now()),
           coalesce(p.raw, '{}'::jsonb)
    from candidate c
    left join payload p on p.signature = c.transaction_signature
    on conflict on constraint uq_signals_transaction_signature_wallet_id do nothing
    returning id
  )
  select pg_catalog.jsonb_build_object(
           'recorded', coalesce(pg_catalog.jsonb_agg(i.id), '[]'::jsonb),
           'watched', (select count(*) from candidate),
           'duplicates', (select count(*) from candidate) - count(i.id))
    into result
    from inserted i;

  update walltrack.config set webhook_last_signal_at = pg_catalog.now();
  return result;
end;
$$;
comment on function walltrack.record_signals(jsonb) is
  'Records one webhook delivery: inserts the signals of watched wallets (idempotent on transaction signature and wallet), stamps config.webhook_last_signal_at; returns {recorded: [ids], watched, duplicates}.';
revoke execute on function walltrack.record_signals(jsonb) from public;
