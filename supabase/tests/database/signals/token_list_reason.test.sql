-- The token lists as a rule of their own (walltrack.token_list_reason), checked before any other:
-- a swap between SOL/USDC/USDT and a quote-like asset (a stablecoin, a liquid-staking SOL token, a
-- wrapped major) is a conversion, BUY or SELL, never a position and never a mirror exit; a mint the
-- operator denied is not bought (token_denied) but a position in it still follows its leader out;
-- with an allow list, only its mints are bought (token_not_allowed). A mint the operator adds with
-- a quote-like kind is treated as the shipped ones are. Conversions have their own funnel column.
begin;
create extension if not exists pgtap with schema extensions;
select plan(22);

set local client_min_messages = error;
do $$ begin perform tests.signals_neutral_config(); end $$;

-- The shipped list: each kind, with the mints seen in the demo and in the fixtures.
select is(
  (select array_agg(distinct kind order by kind) from walltrack.token_lists where list = 'deny'),
  array['liquid_staking', 'stablecoin', 'wrapped_major'],
  'the migration ships stablecoins, liquid-staking tokens and wrapped majors on the deny list');
select is((select kind from walltrack.token_lists where mint = '7vfCXTUXx5WJV5JADk17DUJ4ksgau7utNKj4b963voxs'),
  'wrapped_major', 'Wormhole WETH (the demo''s RFQ swap) is a wrapped major');
select is((select kind from walltrack.token_lists where mint = '2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo'),
  'stablecoin', 'PYUSD is a stablecoin');
select is((select kind from walltrack.token_lists where mint = 'J1toso1uCk3RLmjorhTtrVwY9HJ7X8V9yYac6Y7kGCPn'),
  'liquid_staking', 'JitoSOL is a liquid-staking token');
select is_empty($$ select 1 from walltrack.token_lists where list = 'allow' $$, 'the allow list ships empty: every mint may be copied');

-- The rule on a signal row, for the shipped mints.
select is(walltrack.token_list_reason(jsonb_populate_record(null::walltrack.signals,
  '{"signal_type": "BUY", "token_address": "7vfCXTUXx5WJV5JADk17DUJ4ksgau7utNKj4b963voxs"}')),
  'conversion', 'SOL into WETH: a conversion');
select is(walltrack.token_list_reason(jsonb_populate_record(null::walltrack.signals,
  '{"signal_type": "SELL", "token_address": "mSoLzYCxHdYgdzU16g5QSh3i5K3z3KZK7ytfqcJm7So"}')),
  'conversion', 'mSOL back into SOL: a conversion too');
select is(walltrack.token_list_reason(jsonb_populate_record(null::walltrack.signals,
  '{"signal_type": "BUY", "token_address": "DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263"}')),
  null, 'a memecoin on no list: no reason');

do $$
begin
  perform tests.signals_wallet('Tl');
  perform tests.signals_token('Stable');
  perform tests.signals_token('Denied');
  perform tests.signals_token('Meme');
  perform tests.signals_token('Allowed');
  -- The operator's entries (what `npm run token:deny|token:allow` writes).
  insert into walltrack.token_lists (mint, list, kind, note) values
    (tests.addr('TkStable'), 'deny', 'stablecoin', 'a stablecoin the migration does not know'),
    (tests.addr('TkDenied'), 'deny', 'operator', 'kept out by the operator');
  perform tests.signals_position('Tl', 'Stable');
  perform tests.signals_position('Tl', 'Denied');
  perform tests.signals_signal('BUY', 'Tl', 'Stable', 'TlStableBuy');
  perform tests.signals_signal('SELL', 'Tl', 'Stable', 'TlStableSell', quote => 'USDC');
  perform tests.signals_signal('BUY', 'Tl', 'Denied', 'TlDeniedBuy');
  perform tests.signals_signal('SELL', 'Tl', 'Denied', 'TlDeniedSell');
end
$$;

create temp table funnel_before as
  select coalesce((select conversions from walltrack.signal_funnel where day = (now() at time zone 'UTC')::date), 0) as conversions;
create temp table summary as
  select tests.signals_process(array['TlStableBuy', 'TlStableSell', 'TlDeniedBuy', 'TlDeniedSell']) as result;

select is(tests.signals_outcome('TlStableBuy'), 'conversion', 'an operator-added stablecoin bought with SOL: a conversion');
select is(tests.signals_outcome('TlStableSell'), 'conversion', 'and sold for USDC: a conversion, though the wallet holds it');
select is_empty(
  $$ select 1 from walltrack.orders o join walltrack.positions p on p.id = o.position_id
     where p.token_id = (select id from walltrack.tokens where address = tests.addr('TkStable'))
       and o.order_type in ('entry', 'exit_mirror') $$,
  'a conversion opens nothing and mirrors nothing: no entry, no mirror exit (its price, a fact of the market, still reaches the position: walltrack.apply_swap_prices)');
select is(tests.signals_outcome('TlDeniedBuy'), 'token_denied', 'a BUY of a denied mint: token_denied');
select is(tests.signals_outcome('TlDeniedSell'), 'exit_order', 'a SELL of a denied mint still mirrors the open position');
select is((select result -> 'filtered' from summary), '{"conversion": 2, "token_denied": 1}'::jsonb,
  'the summary counts each reason');
select is(
  (select conversions from walltrack.signal_funnel where day = (now() at time zone 'UTC')::date) - (select conversions from funnel_before),
  2::bigint, 'the funnel counts the two conversions in their own column');

-- An allow list: only its mints are bought, and conversions stay conversions.
do $$
begin
  insert into walltrack.token_lists (mint, list, kind) values (tests.addr('TkAllowed'), 'allow', 'operator');
  perform tests.signals_signal('BUY', 'Tl', 'Meme', 'TlMemeBuy');
  perform tests.signals_signal('BUY', 'Tl', 'Allowed', 'TlAllowedBuy');
  perform tests.signals_signal('BUY', 'Tl', 'Stable', 'TlStableBuyAgain');
end
$$;
select tests.signals_process(array['TlMemeBuy', 'TlAllowedBuy', 'TlStableBuyAgain']);

select is(tests.signals_outcome('TlMemeBuy'), 'token_not_allowed', 'a mint off the allow list: token_not_allowed');
select is(tests.signals_outcome('TlAllowedBuy'), 'opened', 'a mint on the allow list is bought');
select is(tests.signals_outcome('TlStableBuyAgain'), 'conversion', 'the conversion is checked first');

-- What the CLI's validation rests on.
select throws_ok(
  $$ insert into walltrack.token_lists (mint, list, kind) values (tests.addr('TkStable'), 'allow', 'operator') $$,
  '23505', null, 'a mint is on one list only');
select throws_ok(
  $$ insert into walltrack.token_lists (mint, list, kind) values ('not-a-mint', 'deny', 'operator') $$,
  '23514', null, 'a mint is a Solana address');

-- Removed from the list, a mint is a token like any other.
delete from walltrack.token_lists where mint = tests.addr('TkDenied');
select is(walltrack.token_list_reason(jsonb_populate_record(null::walltrack.signals,
  jsonb_build_object('signal_type', 'BUY', 'token_address', tests.addr('TkAllowed')))), null,
  'an allowed mint has no reason');
delete from walltrack.token_lists where list = 'allow';
select is(walltrack.token_list_reason(jsonb_populate_record(null::walltrack.signals,
  jsonb_build_object('signal_type', 'BUY', 'token_address', tests.addr('TkDenied')))), null,
  'a mint removed from the deny list, with the allow list empty again, has no reason');

select * from finish();
rollback;
