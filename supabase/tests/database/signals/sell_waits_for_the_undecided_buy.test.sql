-- A SELL never overtakes the decision of the same wallet's earlier BUY of the same token: while
-- that BUY is undecided (its safety check still answering), the SELL waits, unprocessed; once the
-- BUY has opened a position, the SELL mirrors it. A SELL of another wallet, or of another token,
-- does not wait. Wallet W buys token T (10 s ago) and sells it (5 s ago); wallet X sells T with no
-- BUY of its own; W sells token U, which it never bought.
begin;
create extension if not exists pgtap with schema extensions;
select plan(7);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

set local client_min_messages = error;

do $$
begin
  perform tests.signals_neutral_config();
  perform tests.signals_wallet('Wait');
  perform tests.signals_wallet('Other');
  perform tests.signals_token('WaitT');
  perform tests.signals_token('WaitU');
  perform tests.signals_signal('BUY', 'Wait', 'WaitT', 'WaitBuy', block_age_seconds => 10);
  perform tests.signals_signal('SELL', 'Wait', 'WaitT', 'WaitSell', block_age_seconds => 5);
  perform tests.signals_signal('SELL', 'Other', 'WaitT', 'OtherSell', block_age_seconds => 5);
  perform tests.signals_signal('SELL', 'Wait', 'WaitU', 'WaitSellU', block_age_seconds => 5);
end
$$;

-- The SELLs are decided first, while the BUY is still out for its safety check.
select is(tests.signals_process(array['WaitSell', 'OtherSell', 'WaitSellU']) -> 'deferred', '1'::jsonb,
  'one SELL waits');
select is(tests.signals_outcome('WaitSell'), 'unprocessed', 'W''s SELL waits for W''s undecided BUY of the token');
select is(tests.signals_outcome('OtherSell'), 'no_open_position', 'X''s SELL does not wait for W''s BUY');
select is(tests.signals_outcome('WaitSellU'), 'no_open_position', 'W''s SELL of another token does not wait');

-- The BUY is decided: it opens. Then the SELL mirrors it.
do $$ begin perform tests.signals_process(array['WaitBuy']); end $$;
select is(tests.signals_outcome('WaitBuy'), 'opened', 'the BUY opens a position');
do $$ begin perform tests.signals_process(array['WaitSell']); end $$;
select is(tests.signals_outcome('WaitSell'), 'exit_order', 'the SELL then mirrors it');
select is((select count(*)::integer from walltrack.orders
            where signal_id = tests.signals_sid('WaitSell') and order_type = 'exit_mirror'), 1, 'one mirror exit order');

select * from finish();
rollback;
