-- What was not measured stays null instead of a misleading zero: a token age nobody reported, and
-- copy-quality delays of a signal without the leader's block time.
begin;
create extension if not exists pgtap with schema extensions;
select plan(4);
set local client_min_messages = error;

select walltrack.store_token_analyses(jsonb_build_array(jsonb_build_object(
  'address', 'AgeUnknownToken111111111111111111111111111', 'source', 'dexscreener', 'liquidity_usd', 1000000,
  'first_pool_created_at', null, 'rugged', false)));
select is((select age_hours from walltrack.tokens where address = 'AgeUnknownToken111111111111111111111111111'),
          null, 'an unmeasured age is stored as unknown, not 0 hours');
select is((select age_check_passed from walltrack.tokens where address = 'AgeUnknownToken111111111111111111111111111'),
          false, 'and its check fails');

update walltrack.config set max_open_positions = 100000, max_total_exposure_usd = 1e12;
insert into walltrack.wallets (address, exit_strategy_id)
select 'Time1essWa11et11111111111111111111111111111', id from walltrack.exit_strategies where is_default;
select walltrack.store_token_analyses(jsonb_build_array(jsonb_build_object(
  'address', 'Time1essToken11111111111111111111111111111', 'source', 'rugcheck', 'liquidity_usd', 1000000,
  'top10_percent', 10, 'mint_revoked', true, 'freeze_revoked', true, 'dangerous_extension', false,
  'transfer_fee_bps', 0, 'first_pool_created_at', '2024-01-01T00:00:00Z', 'rugged', false)));
insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                               amount_in, amount_out, price, token_decimals, raw_payload)
select id, 'Time1essToken11111111111111111111111111111', rpad('Time1essSig', 88, 'z'), 'BUY',
       'So11111111111111111111111111111111111111112', 'Time1essToken11111111111111111111111111111', 1, 100, 0.01, 6, '{}'
from walltrack.wallets where address = 'Time1essWa11et11111111111111111111111111111';
select walltrack.process_signals(array(select id from walltrack.signals where transaction_signature = rpad('Time1essSig', 88, 'z')), 150, 'jupiter');

select is((select p.decision_delay_seconds from walltrack.positions p join walltrack.signals s on s.position_id = p.id
           where s.transaction_signature = rpad('Time1essSig', 88, 'z')),
          null, 'no leader block time: the decision delay is unknown, not 0');
select is((select p.fill_delay_seconds from walltrack.positions p join walltrack.signals s on s.position_id = p.id
           where s.transaction_signature = rpad('Time1essSig', 88, 'z')),
          null, 'and so is the fill delay');

select * from finish();
rollback;
