-- A BUY whose size falls below config.min_position_size_usd is filtered position_too_small; a size
-- equal to the minimum opens. Follow-leader sizing of a small leader trade is the usual case.
begin;
create extension if not exists pgtap with schema extensions;
select plan(7);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

do $$
begin
  perform tests.signals_wallet('Below');
  perform tests.signals_wallet('Equal');
  perform tests.signals_wallet('Tiny');
  perform tests.signals_token('Safe');
  perform tests.signals_signal('BUY', 'Below', 'Safe', 'Below');
  perform tests.signals_signal('BUY', 'Equal', 'Safe', 'Equal');
  -- The leader spends 0.5 SOL: 0.5 x 150 x 0.10 = 7.50 USD.
  perform tests.signals_signal('BUY', 'Tiny', 'Safe', 'Tiny', quote_amount => 0.5, token_amount => 1000000);
end
$$;

-- Fixed percent: 10000 x 5 % = 500.00 USD, against a minimum of 500.01.
update walltrack.config set min_position_size_usd = 500.01;
create temp table summary as select tests.signals_process(array['Below']) as result;
select is(tests.signals_outcome('Below'), 'position_too_small', 'a 500.00 USD size under a 500.01 minimum: position_too_small');
select is((select result -> 'filtered' from summary), '{"position_too_small": 1}'::jsonb, 'the summary counts it');
select is_empty($$ select 1 from walltrack.orders where signal_id = tests.signals_sid('Below') $$, 'no order');

update walltrack.config set min_position_size_usd = 500.00;
do $$ begin perform tests.signals_process(array['Equal']); end $$;
select is(tests.signals_outcome('Equal'), 'opened', 'a 500.00 USD size at a 500.00 minimum opens');
select is((select amount_in from walltrack.orders where signal_id = tests.signals_sid('Equal')), 3.333333333,
  'its entry is sized 500.00 USD: round(500 / 150, 9) SOL');

-- Follow leader: 7.50 USD against the product minimum of 10.
update walltrack.config set position_sizing_mode = 'follow_leader', leader_size_fraction = 0.10,
  min_position_size_usd = 10;
do $$ begin perform tests.signals_process(array['Tiny']); end $$;
select is(tests.signals_outcome('Tiny'), 'position_too_small', 'following a 0.5 SOL trade at 10 %: 7.50 < 10, position_too_small');
select ok((select processed_at is not null and processing_duration_ms is not null from walltrack.signals
           where id = tests.signals_sid('Tiny')), 'the filtered signal is processed, with its duration');

select * from finish();
rollback;
