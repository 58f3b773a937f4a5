-- Inputs that once broke a whole batch: a candidate signal with no price (never recorded: it could
-- not be copied), and one token analysed twice in one batch (the last analysis wins, no error).
begin;
create extension if not exists pgtap with schema extensions;
select plan(4);
set local client_min_messages = error;

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

select * from finish();
rollback;
