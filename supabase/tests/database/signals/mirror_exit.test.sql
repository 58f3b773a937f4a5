-- The mirror exit as a rule of its own (walltrack.mirror_exit): a leader's SELL creates one
-- exit_mirror order per open position of that wallet in the token, for what exits in flight will not
-- sell, valued at the leader's price; with none created it says why; while our live entry has not
-- filled, it waits. Through process_signals: sell_*.test.sql and mirror_exit_follows_the_override.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;
do $$ begin perform tests.signals_neutral_config(); end $$;

do $$
begin
  perform tests.signals_wallet('Mir');
  perform tests.signals_wallet('MirNone');
  perform tests.signals_wallet('MirWait', wallet_mode => 'live');
  perform tests.signals_token('Mir');
  perform tests.signals_position('Mir', 'Mir');
  perform tests.signals_signal('BUY', 'MirWait', 'Mir', 'MirWaitBuy', block_age_seconds => 60);
  perform tests.signals_signal('SELL', 'Mir', 'Mir', 'MirSell');
  perform tests.signals_signal('SELL', 'MirNone', 'Mir', 'MirNoneSell');
  perform tests.signals_signal('SELL', 'MirWait', 'Mir', 'MirWaitSell');
end
$$;
do $$ begin perform tests.signals_process(array['MirWaitBuy']); end $$;

-- The rule's answer for the SELL of transaction 'Sig<tag>', the leader selling at 0.0002 USD.
create function pg_temp.mirror(tag text) returns text
language sql as $$
  select format('waits %s, orders %s, reason %s', m.waits::text, m.exit_orders, coalesce(m.filter_reason, '-'))
  from walltrack.signals s, walltrack.mirror_exit(s, 0.0002, now()) m where s.id = tests.signals_sid(tag)
$$;
create function pg_temp.pos(wallet_tag text) returns uuid
language sql stable as $$
  select p.id from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
  where w.address = tests.addr('Wa' || wallet_tag)
$$;

-- A scale-out level already on its way sells 250,000 of the 1,000,000 tokens.
insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in,
                              scaling_level, scaling_percent)
select p.wallet_id, p.token_id, p.id, 'exit_scaling', p.mode, tests.addr('TkMir'), walltrack.wsol_mint(),
       250000, 1, 25
from walltrack.positions p where p.id = pg_temp.pos('Mir');

create temp table first_answer as
  select m.* from walltrack.signals s, walltrack.mirror_exit(s, 0.0002, now()) m where s.id = tests.signals_sid('MirSell');
select is((select format('%s %s %s', waits::text, exit_orders, coalesce(filter_reason, '-')) from first_answer), 'false 1 -',
  'the SELL mirrors the wallet''s one position');
select is((select position_id from first_answer), pg_temp.pos('Mir'), 'and names it');
select is(
  (select format('%s tokens for %s USD to %s, %s, for signal %s', trim_scale(amount_in), trim_scale(value_usd),
                 token_out, status, (signal_id = tests.signals_sid('MirSell'))::text)
   from walltrack.orders where position_id = pg_temp.pos('Mir') and order_type = 'exit_mirror'),
  format('750000 tokens for 150 USD to %s, pending, for signal true', walltrack.wsol_mint()),
  'the 750,000 tokens the level will not sell, valued at the leader''s 0.0002 USD, for SOL');
select is(pg_temp.mirror('MirSell'), 'waits false, orders 0, reason duplicate',
  'the mirror exit in flight already sells everything: duplicate');

select is(pg_temp.mirror('MirNoneSell'), 'waits false, orders 0, reason no_open_position',
  'another wallet''s SELL mirrors nothing of this position');
select is(pg_temp.mirror('MirWaitSell'), 'waits true, orders 0, reason -', 'our live entry not filled yet: the SELL waits');

update walltrack.orders set status = 'cancelled' where position_id = pg_temp.pos('Mir') and order_type <> 'entry';
update walltrack.positions set exit_strategy_override = '{"mirror_exit_enabled": false}' where id = pg_temp.pos('Mir');
select is(pg_temp.mirror('MirSell'), 'waits false, orders 0, reason mirror_exit_disabled',
  'mirror exit off in the effective strategy: mirror_exit_disabled');
update walltrack.positions set exit_strategy_override = null where id = pg_temp.pos('Mir');
select is(pg_temp.mirror('MirSell'), 'waits false, orders 1, reason -', 'on again, nothing in flight: mirrored');
select is((select amount_in from walltrack.orders
           where position_id = pg_temp.pos('Mir') and order_type = 'exit_mirror' and status = 'pending'),
  1000000::numeric, 'all 1,000,000 tokens');

select * from finish();
rollback;
