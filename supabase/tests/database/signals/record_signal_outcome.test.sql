-- Recording a signal's outcome as a rule of its own (walltrack.record_signal_outcome): filtered with
-- its reason, or acted on (a BUY's position is "created"; a SELL only names the position it
-- mirrored); the USD price used and, when the signal had none, the SOL/USD that made it and its
-- source; when it was decided and how long after the webhook received it.
begin;
create extension if not exists pgtap with schema extensions;
select plan(7);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;

do $$
begin
  perform tests.signals_wallet('Out');
  perform tests.signals_token('Out');
  perform tests.signals_signal('SELL', 'Out', 'Out', 'OutSell', received_ago => '2 seconds');
  perform tests.signals_signal('BUY', 'Out', 'Out', 'OutBuy', quote => 'USDC');
end
$$;

create temp table decided as select tests.signals_position('Out', 'Out') as position_id;

select walltrack.record_signal_outcome(s, t.id, 'no_open_position', null, 0.0001, 150, 'jupiter', now())
from walltrack.signals s join walltrack.tokens t on t.address = s.token_address where s.id = tests.signals_sid('OutSell');
-- A USDC BUY's USD price is its own (2.5 / 5,000,000), a fact the outcome keeps as it is.
select walltrack.record_signal_outcome(s, t.id, null, (select position_id from decided), 0.0000005, 150, 'jupiter', now())
from walltrack.signals s join walltrack.tokens t on t.address = s.token_address where s.id = tests.signals_sid('OutBuy');

select is(tests.signals_outcome('OutSell'), 'no_open_position', 'filtered with its reason');
select is(
  (select format('%s USD, SOL/USD %s from %s', price_usd, sol_usd_price, price_source)
   from walltrack.signals where id = tests.signals_sid('OutSell')),
  '0.0001 USD, SOL/USD 150 from jupiter', 'a SOL signal keeps the USD price used and the SOL/USD that made it');
select is((select processed_at from walltrack.signals where id = tests.signals_sid('OutSell')), now(), 'decided now');
select cmp_ok((select processing_duration_ms from walltrack.signals where id = tests.signals_sid('OutSell')), '>=', 2000,
  'received 2 s before the decision: at least 2000 ms');

select is(tests.signals_outcome('OutBuy'), 'opened', 'a BUY acted on: its position was created');
select is((select position_id from walltrack.signals where id = tests.signals_sid('OutBuy')),
  (select position_id from decided), 'and named');
select is((select sol_usd_price from walltrack.signals where id = tests.signals_sid('OutBuy')), null,
  'a USDC signal had its USD price: no SOL/USD recorded');

select * from finish();
rollback;
