-- The operator's commands validate their input: bad input is refused with a clear message and
-- changes nothing; a command that succeeds changes exactly what it says.
--   add_wallet            an unknown or inactive strategy, an address already watched, an address
--                         that is not base58, a mode or a source outside the list
--   find_wallet, set_wallet_active, set_wallet_mode, set_wallet_strategy   an unknown wallet; a
--                         mode outside the list; an unknown strategy
--   override_position_strategy   not a JSON object, an unknown field, a percent or activation
--                         multiplier that is not a JSON number, a percent outside (0, 100), an
--                         activation multiplier below 1, a boolean that is not one, badly formed
--                         scale-out levels, a position that is not open, an unknown position
begin;
create extension if not exists pgtap with schema extensions;
select plan(50);

-- Fixtures: tests.operations_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- The temporary functions below are this test's own (gone at rollback).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Everything the commands may touch, as one fingerprint.
create function pg_temp.fingerprint() returns text
language sql stable as $$
  select md5(
    coalesce((select string_agg(to_jsonb(w)::text, ',' order by w.id) from walltrack.wallets w), '') || '|' ||
    coalesce((select string_agg(to_jsonb(p)::text, ',' order by p.id) from walltrack.positions p), '') || '|' ||
    coalesce((select string_agg(to_jsonb(o)::text, ',' order by o.id) from walltrack.orders o), '') || '|' ||
    coalesce((select string_agg(to_jsonb(e)::text, ',' order by e.id) from walltrack.exit_strategies e), ''))
$$;

-- The same, leaving out one wallet and its positions.
create function pg_temp.fingerprint_without(wallet uuid) returns text
language sql stable as $$
  select md5(
    coalesce((select string_agg(to_jsonb(w)::text, ',' order by w.id) from walltrack.wallets w where w.id <> wallet), '') || '|' ||
    coalesce((select string_agg(to_jsonb(p)::text, ',' order by p.id) from walltrack.positions p where p.wallet_id <> wallet), ''))
$$;

-- A position of wallet 'Wa<wallet_tag>' in token 'Tk<tag>', 1,000 tokens bought at 1.00 a day
-- ago with the wallet's template as snapshot; open, or sold whole at 1.10 an hour ago.
create function pg_temp.position(wallet_tag text, tag text, closed boolean default false) returns uuid
language sql as $$
  with token as (
    insert into walltrack.tokens (address, symbol, decimals) values (tests.addr('Tk' || tag), tag, 6) returning id
  )
  insert into walltrack.positions (
    wallet_id, token_id, mode, exit_strategy_id, exit_strategy_snapshot, entry_price, entry_amount, entry_value_usd,
    entry_timestamp, current_amount, current_price, exit_price, exit_amount, realized_pnl_usd, exit_reason, closed_at, status)
  select w.id, token.id, 'simulation', w.exit_strategy_id, walltrack.effective_exit_strategy(w.exit_strategy_id),
         1.00, 1000, 1000, now() - interval '1 day',
         case when closed then 0 else 1000 end, 1.00,
         case when closed then 1.10 end, case when closed then 1000 else 0 end, case when closed then 100 else 0 end,
         case when closed then 'manual' end, case when closed then now() - interval '1 hour' end,
         case when closed then 'closed' else 'open' end
  from walltrack.wallets w, token
  where w.address = tests.addr('Wa' || wallet_tag)
  returning id
$$;

insert into walltrack.exit_strategies (name, stop_loss_percent, trailing_stop_percent, is_active)
values ('pgTAP retired', 25, 10, false);
create temp table fixture as
  select tests.operations_wallet('Known') as known,
         pg_temp.position('Known', 'Open') as open_position,
         pg_temp.position('Known', 'Closed', closed => true) as closed_position;

-- Refusals: wallets.
create temp table before as select pg_temp.fingerprint() as fp;

select throws_ok(
  format($$select walltrack.add_wallet(%L, 'x', 'simulation', 'No such strategy')$$, tests.addr('WaNew')),
  'P0002', 'no active exit strategy named No such strategy',
  'add_wallet: an unknown strategy is refused');
select throws_ok(
  format($$select walltrack.add_wallet(%L, 'x', 'simulation', 'pgTAP retired')$$, tests.addr('WaNew')),
  'P0002', 'no active exit strategy named pgTAP retired',
  'add_wallet: an inactive strategy is refused');
select throws_ok(
  format($$select walltrack.add_wallet(%L, 'again')$$, tests.addr('WaKnown')),
  '23505', format('wallet %s is already on the watchlist', tests.addr('WaKnown')),
  'add_wallet: an address already watched is refused');
select throws_ok(
  $$select walltrack.add_wallet('0xNotASolanaAddress')$$,
  '23514', 'value for domain walltrack.solana_address violates check constraint "solana_address_base58"',
  'add_wallet: an address that is not base58 is refused');
select throws_ok(
  format($$select walltrack.add_wallet(%L, 'x', 'paper')$$, tests.addr('WaNew')),
  '23514', 'new row for relation "wallets" violates check constraint "wallets_mode_check"',
  'add_wallet: a mode other than simulation or live is refused');
select throws_ok(
  format($$select walltrack.add_wallet(%L, 'x', 'simulation', null, 'reddit')$$, tests.addr('WaNew')),
  '23514', 'new row for relation "wallets" violates check constraint "wallets_discovery_source_check"',
  'add_wallet: a discovery source outside the list is refused');
select throws_ok(
  format($$select walltrack.find_wallet(%L)$$, tests.addr('WaNobody')),
  'P0002', format('wallet %s is not on the watchlist', tests.addr('WaNobody')),
  'find_wallet: an address not watched is refused');
select throws_ok(
  format($$select walltrack.set_wallet_active(%L, false)$$, tests.addr('WaNobody')),
  'P0002', format('wallet %s is not on the watchlist', tests.addr('WaNobody')),
  'set_wallet_active: an unknown wallet is refused');
select throws_ok(
  format($$select walltrack.set_wallet_mode(%L, 'paper')$$, tests.addr('WaKnown')),
  '23514', 'new row for relation "wallets" violates check constraint "wallets_mode_check"',
  'set_wallet_mode: a mode other than simulation or live is refused');
select throws_ok(
  format($$select walltrack.set_wallet_mode(%L, 'live')$$, tests.addr('WaNobody')),
  'P0002', format('wallet %s is not on the watchlist', tests.addr('WaNobody')),
  'set_wallet_mode: an unknown wallet is refused');
select throws_ok(
  format($$select walltrack.set_wallet_strategy(%L, 'No such strategy')$$, tests.addr('WaKnown')),
  'P0002', 'no active exit strategy named No such strategy',
  'set_wallet_strategy: an unknown strategy is refused');
select throws_ok(
  format($$select walltrack.set_wallet_strategy(%L, 'pgTAP retired')$$, tests.addr('WaKnown')),
  'P0002', 'no active exit strategy named pgTAP retired',
  'set_wallet_strategy: an inactive strategy is refused');
select throws_ok(
  format($$select walltrack.set_wallet_strategy(%L, 'Conservative')$$, tests.addr('WaNobody')),
  'P0002', format('wallet %s is not on the watchlist', tests.addr('WaNobody')),
  'set_wallet_strategy: an unknown wallet is refused');
select is(pg_temp.fingerprint(), (select fp from before), 'none of these refusals changed anything');

-- Refusals: overrides.
create function pg_temp.override(override text, pos uuid default null) returns text
language sql stable as $$
  select format('select walltrack.override_position_strategy(%L, %L)',
                coalesce(pos, (select open_position from fixture)), override)
$$;
create function pg_temp.invalid(override text) returns text
language sql immutable as $$
  select format('invalid override %s: percents in (0, 100), activation multiplier >= 1, booleans as true/false, scaling levels well formed (at most 10, each {"multiplier": > 1, increasing, "sell_percent": (0, 100]} and no other key, sell percents summing to at most 100)',
                left(override::jsonb::text, 200))
$$;

select throws_ok(pg_temp.override('[{"stop_loss_percent": 10}]'), '22023', 'the override must be a JSON object',
  'override: an array is refused');
select throws_ok(format('select walltrack.override_position_strategy(%L, null)', (select open_position from fixture)),
  '22023', 'the override must be a JSON object', 'override: null is refused');
select throws_ok(pg_temp.override('{"stop_loss_percent": 10, "take_profit_percent": 50}'), '22023',
  'unknown strategy field(s): take_profit_percent', 'override: an unknown field is refused, named');
select throws_ok(pg_temp.override('{"stop_loss_percent": 0}'), '22023', pg_temp.invalid('{"stop_loss_percent": 0}'),
  'override: a stop loss of 0 % is refused');
select throws_ok(pg_temp.override('{"stop_loss_percent": 100}'), '22023', pg_temp.invalid('{"stop_loss_percent": 100}'),
  'override: a stop loss of 100 % is refused');
select throws_ok(pg_temp.override('{"trailing_stop_percent": 150}'), '22023', pg_temp.invalid('{"trailing_stop_percent": 150}'),
  'override: a trailing stop of 150 % is refused');
select throws_ok(pg_temp.override('{"trailing_stop_percent": null}'), '22023',
  'invalid override {"trailing_stop_percent": null}: percents and the activation multiplier must be JSON numbers',
  'override: a trailing stop of null is refused');
select throws_ok(pg_temp.override('{"stop_loss_percent": "10"}'), '22023',
  'invalid override {"stop_loss_percent": "10"}: percents and the activation multiplier must be JSON numbers',
  'override: a stop loss given as a string is refused');
select throws_ok(pg_temp.override('{"trailing_activation_multiplier": 0.5}'), '22023',
  pg_temp.invalid('{"trailing_activation_multiplier": 0.5}'), 'override: an activation multiplier below 1 is refused');
select throws_ok(pg_temp.override('{"trailing_stop_enabled": "yes"}'), '22023', pg_temp.invalid('{"trailing_stop_enabled": "yes"}'),
  'override: a boolean given as a string is refused');
select throws_ok(pg_temp.override('{"mirror_exit_enabled": 1}'), '22023', pg_temp.invalid('{"mirror_exit_enabled": 1}'),
  'override: a boolean given as a number is refused');
select throws_ok(pg_temp.override('{"scaling_levels": [{"multiplier": 0.5, "sell_percent": 50}]}'), '22023',
  pg_temp.invalid('{"scaling_levels": [{"multiplier": 0.5, "sell_percent": 50}]}'),
  'override: a scale-out level at a multiplier below 1 is refused');
select throws_ok(pg_temp.override('{"scaling_levels": [{"multiplier": 2, "sell_percent": 60}, {"multiplier": 3, "sell_percent": 50}]}'),
  '22023', pg_temp.invalid('{"scaling_levels": [{"multiplier": 2, "sell_percent": 60}, {"multiplier": 3, "sell_percent": 50}]}'),
  'override: scale-out levels selling more than 100 % are refused');
select throws_ok(pg_temp.override('{"scaling_levels": [{"multiplier": 3, "sell_percent": 20}, {"multiplier": 2, "sell_percent": 20}]}'),
  '22023', pg_temp.invalid('{"scaling_levels": [{"multiplier": 3, "sell_percent": 20}, {"multiplier": 2, "sell_percent": 20}]}'),
  'override: scale-out levels out of order are refused');
select throws_ok(pg_temp.override('{"scaling_levels": [{"multiplier": 2, "sell_percent": 50, "sell_pct": 10}]}'),
  '22023', pg_temp.invalid('{"scaling_levels": [{"multiplier": 2, "sell_percent": 50, "sell_pct": 10}]}'),
  'override: a key a level does not know is refused');
select throws_ok(pg_temp.override((select jsonb_build_object('scaling_levels', jsonb_agg(jsonb_build_object('multiplier', 1 + k * 0.001, 'sell_percent', 0.01)))::text
                                   from generate_series(1, 2400) k)),
  '22023', pg_temp.invalid((select jsonb_build_object('scaling_levels', jsonb_agg(jsonb_build_object('multiplier', 1 + k * 0.001, 'sell_percent', 0.01)))::text
                            from generate_series(1, 2400) k)),
  'override: 2,400 scale-out levels are refused (at most 10)');
select throws_ok(pg_temp.override('{"stop_loss_percent": 10}', (select closed_position from fixture)), '23514',
  format('position %s is closed: only open positions take an override', (select closed_position from fixture)),
  'override: a closed position is refused');
select throws_ok(pg_temp.override('{"stop_loss_percent": 10}', 'c0ffee00-0000-4000-8000-00000000dead'), 'P0002',
  'no position c0ffee00-0000-4000-8000-00000000dead', 'override: an unknown position is refused');
select is(pg_temp.fingerprint(), (select fp from before), 'none of these refusals changed anything');

-- Successes, each changing exactly what it says.
create temp table before_add as select pg_temp.fingerprint_without('00000000-0000-4000-8000-000000000000') as fp;
create temp table added as
  select walltrack.add_wallet(tests.addr('WaAdded'), 'test Added', 'live', 'Aggressive', 'twitter', 'called it early') as id;
select results_eq(
  $$select address::text, label, mode, exit_strategy_id, discovery_source, discovery_notes, is_active, helius_sync_status
    from walltrack.wallets where id = (select id from added)$$,
  $$select tests.addr('WaAdded'), 'test Added'::text, 'live'::text, es.id, 'twitter'::text, 'called it early'::text,
           true, 'pending'::text
    from walltrack.exit_strategies es where es.name = 'Aggressive'$$,
  'add_wallet adds the wallet as given, pending its Helius sync, and returns its id');
select is(pg_temp.fingerprint_without((select id from added)), (select fp from before_add),
  'and changes no other wallet or position');

create temp table added_default as select walltrack.add_wallet(tests.addr('WaPlain')) as id;
select results_eq(
  $$select label, mode, exit_strategy_id, discovery_source, discovery_notes from walltrack.wallets
    where id = (select id from added_default)$$,
  $$select null::text, 'simulation'::text, es.id, 'manual'::text, null::text
    from walltrack.exit_strategies es where es.is_default$$,
  'add_wallet with an address only: simulation, the default template, source manual');
select is((walltrack.find_wallet(tests.addr('WaPlain'))).id, (select id from added_default),
  'find_wallet returns the watched row');

create temp table known_before as select * from walltrack.wallets where id = (select known from fixture);
create temp table others as select pg_temp.fingerprint_without((select known from fixture)) as fp;

do $$ begin perform walltrack.set_wallet_mode(tests.addr('WaKnown'), 'live'); end $$;
select is(
  (select to_jsonb(w) - array['mode', 'updated_at'] from walltrack.wallets w where id = (select known from fixture)),
  (select to_jsonb(k) - array['mode', 'updated_at'] from known_before k),
  'set_wallet_mode changes nothing but the mode (and updated_at)...');
select is((select mode from walltrack.wallets where id = (select known from fixture)), 'live', '...which is live');

do $$ begin perform walltrack.set_wallet_strategy(tests.addr('WaKnown'), 'Conservative'); end $$;
select is(
  (select to_jsonb(w) - array['mode', 'exit_strategy_id', 'updated_at'] from walltrack.wallets w where id = (select known from fixture)),
  (select to_jsonb(k) - array['mode', 'exit_strategy_id', 'updated_at'] from known_before k),
  'set_wallet_strategy changes nothing but the strategy...');
select is((select exit_strategy_id from walltrack.wallets where id = (select known from fixture)),
  (select id from walltrack.exit_strategies where name = 'Conservative'), '...which is Conservative');
select is((select exit_strategy_snapshot ->> 'name' from walltrack.positions where id = (select open_position from fixture)),
  'Default', 'the wallet''s open position keeps the strategy it opened with');

do $$ begin perform walltrack.set_wallet_active(tests.addr('WaKnown'), false); end $$;
select is(
  (select to_jsonb(w) - array['mode', 'exit_strategy_id', 'is_active', 'helius_sync_status', 'updated_at']
   from walltrack.wallets w where id = (select known from fixture)),
  (select to_jsonb(k) - array['mode', 'exit_strategy_id', 'is_active', 'helius_sync_status', 'updated_at'] from known_before k),
  'set_wallet_active changes nothing but is_active (and the sync status)...');
select results_eq(
  $$select is_active, helius_sync_status from walltrack.wallets where id = (select known from fixture)$$,
  $$values (false, 'pending'::text)$$,
  '...inactive, pending its removal from the webhook');

create temp table position_before as select * from walltrack.positions where id = (select open_position from fixture);
create temp table effective as
  select walltrack.override_position_strategy((select open_position from fixture), '{"stop_loss_percent": 10}') as strategy;
select is((select strategy from effective),
  (select exit_strategy_snapshot || '{"stop_loss_percent": 10}' from position_before),
  'override_position_strategy returns the effective strategy: the snapshot with the override on top');
select is((select exit_strategy_override from walltrack.positions where id = (select open_position from fixture)),
  '{"stop_loss_percent": 10}'::jsonb, 'the override is stored on the position');
do $$
begin
  perform walltrack.override_position_strategy((select open_position from fixture),
    '{"trailing_stop_percent": 8, "scaling_levels": [{"multiplier": 1.5, "sell_percent": 100}]}');
end
$$;
select is((select exit_strategy_override from walltrack.positions where id = (select open_position from fixture)),
  '{"stop_loss_percent": 10, "trailing_stop_percent": 8, "scaling_levels": [{"multiplier": 1.5, "sell_percent": 100}]}'::jsonb,
  'a second override merges with the first');
select is(
  (select to_jsonb(p) - array['exit_strategy_override', 'updated_at'] from walltrack.positions p
   where id = (select open_position from fixture)),
  (select to_jsonb(b) - array['exit_strategy_override', 'updated_at'] from position_before b),
  'nothing else of the position changes (its snapshot neither)');
select is(pg_temp.fingerprint_without((select known from fixture)), (select fp from others),
  'and no other wallet or position changed through all of these');
select is(
  (select walltrack.position_strategy(p) from walltrack.positions p where id = (select open_position from fixture)) ->> 'stop_loss_percent',
  '10', 'the position now follows the overridden stop loss');

select * from finish();
rollback;
