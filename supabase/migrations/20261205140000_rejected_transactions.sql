-- Adds walltrack.rejected_transactions and walltrack.record_rejected_transactions: each transaction
-- of a webhook delivery is judged on its own, so one refused transaction (malformed, nested too
-- deep, inconsistent, unpriceable) is kept here with its reason while the rest of its delivery is
-- recorded, and Helius gets a 200 instead of retrying the whole delivery forever. Also restates
-- what a signal's quote amount and its two prices are (the classifier's definitions, issue 12).

create table walltrack.rejected_transactions (
  id uuid primary key default gen_random_uuid(),
  transaction_signature text constraint rejected_transactions_signature_length check (char_length(transaction_signature) <= 128),
  position_in_delivery integer not null constraint rejected_transactions_position_check check (position_in_delivery >= 0),
  reason text not null constraint rejected_transactions_reason_length check (char_length(reason) between 1 and 2000),
  payload_excerpt text not null constraint rejected_transactions_excerpt_length check (char_length(payload_excerpt) <= 2000),
  webhook_received_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- A redelivery of the same refused transaction adds nothing.
create unique index uq_rejected_transactions_signature_reason
  on walltrack.rejected_transactions (transaction_signature, reason) where transaction_signature is not null;
create index idx_rejected_transactions_created_at on walltrack.rejected_transactions (created_at desc);

create trigger rejected_transactions_set_updated_at before update on walltrack.rejected_transactions
  for each row execute function walltrack.set_updated_at();

-- An event log: rows are added and may be purged, never rewritten.
alter table walltrack.rejected_transactions enable row level security;
revoke all on walltrack.rejected_transactions from anon, authenticated, service_role;
grant select, insert, delete on walltrack.rejected_transactions to service_role;

comment on table walltrack.rejected_transactions is
  'Event log: transactions of a Helius delivery refused one by one, each with its reason (the rest of the delivery was recorded). Read it to see what WallTrack did not trust.';
comment on column walltrack.rejected_transactions.id is 'Primary key.';
comment on column walltrack.rejected_transactions.transaction_signature is 'The signature as sent (null when it was missing or not a string); not validated, since the transaction was not.';
comment on column walltrack.rejected_transactions.position_in_delivery is 'Index of the transaction in the delivery''s array.';
comment on column walltrack.rejected_transactions.reason is 'Why it was refused: not an enhanced transaction (with the fields at fault), nested too deep, inconsistent (an account listed twice, a mint with two decimals, a block time in the future), or a price that rounds to 0.';
comment on column walltrack.rejected_transactions.payload_excerpt is 'The first 2,000 characters of the transaction as JSON.';
comment on column walltrack.rejected_transactions.webhook_received_at is 'When the delivery reached the webhook.';
comment on column walltrack.rejected_transactions.created_at is 'When the row was created.';
comment on column walltrack.rejected_transactions.updated_at is 'When the row was last updated (trigger; the log is not updated by WallTrack).';

-- batch: {"received_at": iso, "rejections": [{"position", "signature", "reason", "excerpt"}]}
create function walltrack.record_rejected_transactions(batch jsonb)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  inserted integer;
begin
  insert into walltrack.rejected_transactions (transaction_signature, position_in_delivery, reason, payload_excerpt,
                                               webhook_received_at)
  select r.signature, r.position, r.reason, r.excerpt,
         coalesce((batch ->> 'received_at')::timestamptz, pg_catalog.now())
  from pg_catalog.jsonb_to_recordset(coalesce(batch -> 'rejections', '[]'::jsonb))
       as r(position integer, signature text, reason text, excerpt text)
  on conflict (transaction_signature, reason) where transaction_signature is not null do nothing;
  get diagnostics inserted = row_count;
  return inserted;
end;
$$;
comment on function walltrack.record_rejected_transactions(jsonb) is
  'Records the transactions of one webhook delivery that were refused one by one, each with its reason (a redelivery adds nothing); returns how many rows were added.';
revoke execute on function walltrack.record_rejected_transactions(jsonb) from public;

comment on column walltrack.signals.amount_in is
  'Exact amount of token_in given, in token units. On the quote side (token_in of a BUY) it is the swap leg: what went to the other side of the trade, without the network fee, rent or tips.';
comment on column walltrack.signals.amount_out is
  'Exact amount of token_out received, in token units. On the quote side (token_out of a SELL) it is the swap leg: what came from the other side of the trade.';
comment on column walltrack.signals.price is
  'Swap-leg price of one token in the quote: the quote exchanged with the other side of the trade / token amount; network fee, rent and tips excluded.';
comment on column walltrack.signals.price_all_in is
  'All-in price of one token in the quote: the leader''s whole change of the quote / token amount, so for SOL the network fee (when the leader paid it), priority fee, tips and rent included. Null when that change did not go the trade''s way (a sale whose proceeds did not cover its fees).';

-- Rollback:
-- drop function walltrack.record_rejected_transactions(jsonb); drop table walltrack.rejected_transactions;
