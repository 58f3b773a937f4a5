-- Adds the mark of a database that holds story 1.1's mock data (supabase/seed.sql sets it), and the
-- rule that such a database never sends a live order: its live positions sit on mainnet mints, so a
-- stop loss on one of them would otherwise sell tokens the operator's wallet never bought.
alter table walltrack.config
  add column holds_mock_data boolean not null default false;
comment on column walltrack.config.holds_mock_data is
  'True when supabase/seed.sql''s mock data was loaded (npm run db:mock, the tests): no live order is ever sent from this database, and the live switch cannot be turned on.';

alter table walltrack.config
  add constraint config_mock_data_never_live check (not (holds_mock_data and live_trading_enabled));

create function walltrack.refuse_live_send_of_mock_data()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (select holds_mock_data from walltrack.config) then
    raise exception 'mock data never trades live: order % was not sent', new.id
      using hint = 'this database holds supabase/seed.sql''s mock data (walltrack.config.holds_mock_data); trade from a database built by npm run db:reset';
  end if;
  return new;
end;
$$;
comment on function walltrack.refuse_live_send_of_mock_data() is
  'Trigger function: refuses recording a live swap about to be sent (status submitted with a new signature) while the database holds mock data, so the send never happens.';
revoke execute on function walltrack.refuse_live_send_of_mock_data() from public;

create trigger orders_mock_data_never_sent_live
  before update on walltrack.orders
  for each row
  when (new.mode = 'live' and new.status = 'submitted' and new.tx_signature is distinct from old.tx_signature)
  execute function walltrack.refuse_live_send_of_mock_data();
