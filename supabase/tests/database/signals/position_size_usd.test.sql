-- Position sizing as a rule of its own (walltrack.position_size_usd): fixed_percent is capital x
-- risk %; follow_leader is the leader's USD size (SOL through SOL/USD, a stablecoin at 1) x the
-- fraction; both capped by max_position_size_usd and rounded to the cent. Through
-- process_signals: buy_sizing_follow_leader_capped.test.sql.
begin;
create extension if not exists pgtap with schema extensions;
select plan(6);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;
do $$ begin perform tests.signals_neutral_config(); end $$;

do $$
begin
  perform tests.signals_wallet('Size');
  perform tests.signals_signal('BUY', 'Size', 'Size', 'SizeSol', quote_amount => 2.5);
  perform tests.signals_signal('BUY', 'Size', 'Size', 'SizeUsdc', quote_amount => 300, quote => 'USDC');
end
$$;

create function pg_temp.size(tag text, sol_usd numeric default 150) returns numeric
language sql as $$
  select walltrack.position_size_usd(s, c, sol_usd) from walltrack.signals s, walltrack.config c where s.id = tests.signals_sid(tag)
$$;

select is(pg_temp.size('SizeSol'), 500.00, 'fixed_percent: 10000 x 5 % = 500.00 USD, whatever the leader spent');

update walltrack.config set position_sizing_mode = 'follow_leader', leader_size_fraction = 0.10;
select is(pg_temp.size('SizeSol'), 37.50, 'follow_leader: 2.5 SOL x 150 USD x 0.10 = 37.50 USD');
select is(pg_temp.size('SizeUsdc'), 30.00, 'follow_leader: 300 USDC count at 1 USD: 300 x 0.10 = 30.00 USD');

update walltrack.config set leader_size_fraction = 0.1234;
select is(pg_temp.size('SizeSol'), 46.28, 'rounded to the cent, half up: 2.5 x 150 x 0.1234 = 46.275 -> 46.28');

update walltrack.config set leader_size_fraction = 1, max_position_size_usd = 300;
select is(pg_temp.size('SizeSol'), 300.00, 'capped: 375 USD above max_position_size_usd 300 gives 300.00');
update walltrack.config set position_sizing_mode = 'fixed_percent';
select is(pg_temp.size('SizeSol'), 300.00, 'the cap holds for fixed_percent too: 500 above 300 gives 300.00');

select * from finish();
rollback;
