-- A SELL mirrors according to the position's effective strategy now: an override set after the
-- position opened counts (ADR-002), and a position without a snapshot follows its template.
begin;
create extension if not exists pgtap with schema extensions;
select plan(4);
set local client_min_messages = error;

insert into walltrack.wallets (id, address, exit_strategy_id)
select 'c0ffee11-0000-4000-8000-000000000001', 'MirrorXverrideWa11et1111111111111111111111', id
from walltrack.exit_strategies where name = 'Default';
insert into walltrack.wallets (id, address, exit_strategy_id)
select 'c0ffee11-0000-4000-8000-000000000002', 'MirrorTemp1ateWa11et11111111111111111111111', id
from walltrack.exit_strategies where name = 'Aggressive';
insert into walltrack.tokens (id, address, decimals, safety_score, last_analyzed_at, analysis_source)
values ('c0ffee11-0000-4000-8000-000000000003', 'MirrorXverrideToken111111111111111111111111', 6, 0.75, now(), 'rugcheck');

-- p1: Default (mirror on) snapshot, then an override turning mirror off.
insert into walltrack.positions (id, wallet_id, token_id, mode, exit_strategy_id, exit_strategy_snapshot,
                                 exit_strategy_override, entry_price, entry_amount, entry_value_usd, entry_timestamp,
                                 current_amount, current_price)
select 'c0ffee11-0000-4000-8000-000000000004', 'c0ffee11-0000-4000-8000-000000000001', 'c0ffee11-0000-4000-8000-000000000003',
       'simulation', id, walltrack.effective_exit_strategy(id), '{"mirror_exit_enabled": false}', 1, 100, 100, now(), 100, 1
from walltrack.exit_strategies where name = 'Default';
-- p2: no snapshot at all; its template (Aggressive) has mirror off.
insert into walltrack.positions (id, wallet_id, token_id, mode, exit_strategy_id, entry_price, entry_amount,
                                 entry_value_usd, entry_timestamp, current_amount, current_price)
select 'c0ffee11-0000-4000-8000-000000000005', 'c0ffee11-0000-4000-8000-000000000002', 'c0ffee11-0000-4000-8000-000000000003',
       'simulation', id, 1, 100, 100, now(), 100, 1
from walltrack.exit_strategies where name = 'Aggressive';

select walltrack.record_signals(jsonb_build_object('signals', jsonb_build_array(
  jsonb_build_object('wallet', w.address, 'signal_type', 'SELL', 'token_mint', 'MirrorXverrideToken111111111111111111111111',
    'token_decimals', 6, 'token_in', 'MirrorXverrideToken111111111111111111111111',
    'token_out', 'So11111111111111111111111111111111111111112', 'amount_in', 10, 'amount_out', 1, 'price', 0.1,
    'price_all_in', 0.1, 'transaction_signature', rpad('MirrorXverrideSig' || w.label, 88, 'z'), 'slot', 1,
    'block_time', extract(epoch from now())::bigint))))
from (select address, right(id::text, 1) as label from walltrack.wallets
      where id in ('c0ffee11-0000-4000-8000-000000000001', 'c0ffee11-0000-4000-8000-000000000002')) w;
select walltrack.process_signals(
  array(select id from walltrack.signals where transaction_signature like 'MirrorXverrideSig%'), 150, 'jupiter');

select is((select filter_reason from walltrack.signals s join walltrack.wallets w on w.id = s.wallet_id
           where w.id = 'c0ffee11-0000-4000-8000-000000000001' and s.transaction_signature like 'MirrorXverrideSig%'),
          'mirror_exit_disabled', 'an override turning mirror exit off after the position opened is honoured');
select is((select count(*)::integer from walltrack.orders where position_id = 'c0ffee11-0000-4000-8000-000000000004'),
          0, 'no exit_mirror order for the overridden position');
select is((select filter_reason from walltrack.signals s
           where s.wallet_id = 'c0ffee11-0000-4000-8000-000000000002' and s.transaction_signature like 'MirrorXverrideSig%'),
          'mirror_exit_disabled', 'without a snapshot the template (Aggressive: mirror off) decides, not a default of on');
select is((select count(*)::integer from walltrack.orders where position_id = 'c0ffee11-0000-4000-8000-000000000005'),
          0, 'no exit_mirror order for the template-only position');

select * from finish();
rollback;
