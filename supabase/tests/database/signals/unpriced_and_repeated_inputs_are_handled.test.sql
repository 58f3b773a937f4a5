-- Inputs that once broke a whole batch: a candidate signal with no price (never recorded: it could
-- not be copied), one token analysed twice in one batch (the last analysis wins, no error), and a
-- signal whose decision fails (recorded processing_error, its partial work rolled back, the rest of
-- the batch decided). A transient failure (a deadlock) is not the signal's fault: the batch aborts
-- and the signal waits, unprocessed, for the next run.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);
set local client_min_messages = error;
-- The sell check is not this test's subject (its tokens have none): off.
update walltrack.config set sell_check_enabled = false;

insert into walltrack.wallets (address, exit_strategy_id)
select 'UnpricedWa11et11111111111111111111111111111', id from walltrack.exit_strategies where is_default;

select is(
  walltrack.record_signals(jsonb_build_object('signals', jsonb_build_array(jsonb_build_object(
    'wallet', 'UnpricedWa11et11111111111111111111111111111', 'signal_type', 'BUY',
    'token_mint', 'UnpricedToken11111111111111111111111111111', 'token_decimals', 6,
    'token_in', 'So11111111111111111111111111111111111111112', 'token_out', 'UnpricedToken11111111111111111111111111111',
    'amount_in', 1, 'amount_out', 100, 'price', null, 'transaction_signature', rpad('UnpricedSig', 88, 'z'),
    'slot', 1, 'block_time', extract(epoch from now())::bigint)))) -> 'recorded',
  '[]'::jsonb, 'a candidate without a price is not recorded');
select is((select count(*)::integer from walltrack.signals where transaction_signature = rpad('UnpricedSig', 88, 'z')),
          0, 'nothing was written for it');

select is(walltrack.store_token_analyses(jsonb_build_array(
  jsonb_build_object('address', 'RepeatedToken11111111111111111111111111111', 'source', 'rugcheck', 'symbol', 'OLD',
                     'liquidity_usd', 10, 'rugged', false),
  jsonb_build_object('address', 'RepeatedToken11111111111111111111111111111', 'source', 'rugcheck', 'symbol', 'NEW',
                     'liquidity_usd', 10, 'rugged', false))),
  1, 'one token analysed twice in one batch is stored once');
select ok((select symbol in ('OLD', 'NEW') from walltrack.tokens where address = 'RepeatedToken11111111111111111111111111111'),
          'and its row holds one of the two analyses');

-- Two BUYs of one simulation wallet in two safe tokens; writing the entry order of the first fails
-- (a trigger of this test refuses it, after its position was inserted).
insert into walltrack.tokens (address, symbol, decimals, safety_score, last_analyzed_at, analysis_source)
values ('Fai1ingToken11111111111111111111111111111', 'FAIL', 6, 0.9, now(), 'rugcheck'),
       ('Hea1thyToken11111111111111111111111111111', 'OK', 6, 0.9, now(), 'rugcheck');
insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                               amount_in, amount_out, price_usd, token_decimals, leader_block_time, raw_payload)
select w.id, t.address, rpad(left(t.address, 10) || 'Sig', 88, 'z'), 'BUY',
       'So11111111111111111111111111111111111111112', t.address, 1, 1000, 0.15, 6, now() - interval '5 seconds', '{}'
from walltrack.wallets w, walltrack.tokens t
where w.address = 'UnpricedWa11et11111111111111111111111111111'
  and t.address in ('Fai1ingToken11111111111111111111111111111', 'Hea1thyToken11111111111111111111111111111');
create function pg_temp.refuse_order() returns trigger
language plpgsql as $$ begin raise exception 'test: this order cannot be written'; end $$;
create trigger test_refuse_order before insert on walltrack.orders for each row
  when (new.token_out = 'Fai1ingToken11111111111111111111111111111') execute function pg_temp.refuse_order();
create temp table mine as
select id from walltrack.signals
where transaction_signature in (rpad('Fai1ingTokSig', 88, 'z'), rpad('Hea1thyTokSig', 88, 'z'));
do $$ begin perform walltrack.process_signals(array(select id from mine), 150, 'test'); end $$;

select results_eq(
  $$select t.symbol, s.processed_at is not null, s.filtered, s.filter_reason, s.position_created
    from walltrack.signals s join walltrack.tokens t on t.address = s.token_address
    where s.id in (select id from mine) order by t.symbol$$,
  $$values ('FAIL'::text, true, true, 'processing_error'::text, false), ('OK', true, false, null, true)$$,
  'a signal whose decision fails is recorded processing_error; the other one in the batch is decided (opened)');
select is_empty(
  $$select p.id from walltrack.positions p join walltrack.tokens t on t.id = p.token_id
    where t.address = 'Fai1ingToken11111111111111111111111111111'$$,
  'its partial work is rolled back: no position without its entry order');

insert into walltrack.tokens (address, symbol, decimals, safety_score, last_analyzed_at, analysis_source)
values ('Dead1ockToken1111111111111111111111111111', 'LOCK', 6, 0.9, now(), 'rugcheck');
insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                               amount_in, amount_out, price_usd, token_decimals, leader_block_time, raw_payload)
select w.id, 'Dead1ockToken1111111111111111111111111111', rpad('Dead1ockTokSig', 88, 'z'), 'BUY',
       'So11111111111111111111111111111111111111112', 'Dead1ockToken1111111111111111111111111111', 1, 1000, 0.15, 6,
       now() - interval '5 seconds', '{}'
from walltrack.wallets w where w.address = 'UnpricedWa11et11111111111111111111111111111';
create function pg_temp.deadlock() returns trigger
language plpgsql as $$ begin raise exception 'test: deadlock detected' using errcode = '40P01'; end $$;
create trigger test_deadlock before insert on walltrack.orders for each row
  when (new.token_out = 'Dead1ockToken1111111111111111111111111111') execute function pg_temp.deadlock();
select throws_ok(
  $$select walltrack.process_signals(array(select id from walltrack.signals where transaction_signature = rpad('Dead1ockTokSig', 88, 'z')), 150, 'test')$$,
  '40P01', 'test: deadlock detected',
  'a deadlock while deciding aborts the batch rather than blaming the signal');
select is((select processed_at from walltrack.signals where transaction_signature = rpad('Dead1ockTokSig', 88, 'z')),
  null::timestamptz, 'the signal stays unprocessed for the next run');

select * from finish();
rollback;
