-- Proportional, lot-attributed mirror exits (walltrack.mirror_exit with mirror_lot_amount and
-- proportional_mirror_amount): each SELL of the leader sells the fraction they sold of what they
-- held just before, of the part of our position that follows them, to the base unit and rounded
-- down; the last SELL of their bag sells what remains of it; the mirror share keeps the rest for the
-- template's exits; an unknown fraction falls back to the strategy's choice and says why.
begin;
create extension if not exists pgtap with schema extensions;
select plan(30);

set local client_min_messages = error;
do $$ begin perform tests.signals_neutral_config(); end $$;

do $$
begin
  perform tests.signals_wallet('Prop');      -- Default: proportional, share 100 %, fallback full
  perform tests.signals_wallet('Half');
  perform tests.signals_wallet('Blind');
  perform tests.signals_wallet('Whole');
  perform tests.signals_wallet('Dust');
  perform tests.signals_token('Prop');       -- 6 decimals
  perform tests.signals_position('Prop', 'Prop');
  perform tests.signals_position('Half', 'Prop');
  perform tests.signals_position('Blind', 'Prop');
  perform tests.signals_position('Whole', 'Prop');
  perform tests.signals_position('Dust', 'Prop');
  perform tests.signals_signal('SELL', 'Prop', 'Prop', 'PropThird');
  perform tests.signals_signal('SELL', 'Prop', 'Prop', 'PropHalf');
  perform tests.signals_signal('SELL', 'Prop', 'Prop', 'PropAll');
  perform tests.signals_signal('SELL', 'Prop', 'Prop', 'PropAgain');
  perform tests.signals_signal('SELL', 'Half', 'Prop', 'HalfAll');
  perform tests.signals_signal('SELL', 'Half', 'Prop', 'HalfAgain');
  perform tests.signals_signal('SELL', 'Blind', 'Prop', 'BlindNone');
  perform tests.signals_signal('SELL', 'Blind', 'Prop', 'BlindFull');
  perform tests.signals_signal('SELL', 'Blind', 'Prop', 'BlindDecided');
  perform tests.signals_signal('SELL', 'Whole', 'Prop', 'WholeThird');
  perform tests.signals_signal('SELL', 'Dust', 'Prop', 'DustThird');
  perform tests.signals_signal('SELL', 'Dust', 'Prop', 'DustAll');
  perform tests.signals_signal('SELL', 'Prop', 'Prop', 'Up');
  perform tests.signals_signal('SELL', 'Prop', 'Prop', 'Empty');
end
$$;

create function pg_temp.pos(wallet_tag text) returns walltrack.positions
language sql stable as $$
  select p.* from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
  where w.address = tests.addr('Wa' || wallet_tag)
$$;
create function pg_temp.mirror(tag text) returns text
language sql as $$
  select format('orders %s, reason %s', m.exit_orders, coalesce(m.filter_reason, '-'))
  from walltrack.signals s, walltrack.mirror_exit(s, 0.0002, now()) m where s.id = tests.signals_sid(tag)
$$;
create function pg_temp.order_of(tag text) returns text
language sql stable as $$
  select string_agg(format('%s %s', o.order_type, trim_scale(o.amount_in)), '; ' order by o.requested_at)
  from walltrack.orders o where o.signal_id = tests.signals_sid(tag)
$$;
-- The leader held `before` and kept `after` (base units of the 6-decimal token).
create function pg_temp.balances(tag text, before numeric, after numeric) returns integer
language sql as $$
  select walltrack.record_leader_sell_balances(jsonb_build_array(jsonb_build_object(
    'signal_id', tests.signals_sid(tag), 'held_before_raw', before, 'held_after_raw', after, 'token_decimals', 6,
    'source', 'rpc_get_transaction')))
$$;

-- What the signal processor is asked to look up: the SELLs of proportional positions only.
update walltrack.positions set exit_strategy_override = '{"mirror_mode": "full"}' where id = (pg_temp.pos('Whole')).id;
select is(
  (select array_agg(e ->> 'signature' order by e ->> 'signature')
   from jsonb_array_elements(walltrack.leader_sells_to_measure(array(
          select tests.signals_sid(t) from unnest(array['PropThird', 'WholeThird', 'HalfAll']) t))) e),
  array[tests.sig('HalfAll'), tests.sig('PropThird')],
  'the lookups asked for: SELLs whose position follows its leader proportionally (not the full-mode one)');

-- 1. The leader sells a third of their bag: 5,000,000 of 15,000,000 tokens.
select is(pg_temp.balances('PropThird', 15000000000000, 10000000000000), 1, 'the leader''s balances are recorded once');
select is(pg_temp.balances('PropThird', 1, 0), 0, '... and never replaced');
select is(walltrack.leader_sells_to_measure(array[tests.signals_sid('PropThird')]), '[]'::jsonb,
  'a SELL whose balances are recorded is not looked up again');
select is(pg_temp.mirror('PropThird'), 'orders 1, reason -', 'a third of the bag sold: one mirror order');
select is(pg_temp.order_of('PropThird'), 'exit_mirror_partial 333333.333333',
  'a third of the 1,000,000 tokens held, rounded down to the base unit (never more than the exact third)');

-- 2. While that one is in flight, they sell half of what is left: half of our remaining lot.
select pg_temp.balances('PropHalf', 10000000000000, 5000000000000);
select is(pg_temp.mirror('PropHalf'), 'orders 1, reason -', 'a second SELL while the first is in flight: another order');
select is(pg_temp.order_of('PropHalf'), 'exit_mirror_partial 333333.333333',
  'half of the 666,666.666667 the first order leaves, rounded down');

-- 3. They sell the rest: what remains of the lot, exactly, as a full exit.
select pg_temp.balances('PropAll', 5000000000000, 0);
select is(pg_temp.mirror('PropAll'), 'orders 1, reason -', 'the leader sells out');
select is(pg_temp.order_of('PropAll'), 'exit_mirror 333333.333334',
  'the rest of the position, to the base unit: the three orders sell exactly the 1,000,000 held');
select is((select sum(amount_in) from walltrack.orders where position_id = (pg_temp.pos('Prop')).id and order_type <> 'entry'),
  1000000::numeric, 'never more than held');
select pg_temp.balances('PropAgain', 5000000000000, 0);
select is(pg_temp.mirror('PropAgain'), 'orders 0, reason duplicate', 'a full mirror exit in flight: nothing more (duplicate)');

-- 4. A mirror share of 50 %: the leader selling everything sells half the position; the other half
-- is the template's.
update walltrack.positions set exit_strategy_override = '{"mirror_share_percent": 50}' where id = (pg_temp.pos('Half')).id;
select pg_temp.balances('HalfAll', 8000000, 0);
select is(pg_temp.mirror('HalfAll'), 'orders 1, reason -', 'mirror share 50 %: the leader sells out');
select is(pg_temp.order_of('HalfAll'), 'exit_mirror_partial 500000', 'half the position follows, as a partial exit');
select is(walltrack.full_exit_in_flight((pg_temp.pos('Half')).id), false,
  'a partial mirror is not a full exit: a stop loss of the rest can still be created');
select pg_temp.balances('HalfAgain', 8000000, 4000000);
select is(pg_temp.mirror('HalfAgain'), 'orders 0, reason mirror_nothing_to_sell',
  'the mirror share is sold (in flight): the next SELL has nothing to sell');

-- 5. The fraction cannot be known: the fallback decides, and the signal says why.
update walltrack.positions set exit_strategy_override = '{"mirror_fallback": "none"}' where id = (pg_temp.pos('Blind')).id;
select walltrack.record_leader_sell_balances(jsonb_build_array(jsonb_build_object(
  'signal_id', tests.signals_sid('BlindNone'), 'unknown_reason', 'rpc_unavailable', 'detail', 'solana-rpc timeout')));
select is(pg_temp.mirror('BlindNone'), 'orders 0, reason mirror_fraction_unknown',
  'fallback none: nothing sold, filtered mirror_fraction_unknown');
-- Decided by process_signals, the outcome is written on the signal (the CHECK constraint knows the reason).
select walltrack.record_leader_sell_balances(jsonb_build_array(jsonb_build_object(
  'signal_id', tests.signals_sid('BlindDecided'), 'unknown_reason', 'transaction_not_found', 'detail', 'not at confirmed')));
do $$ begin perform tests.signals_process(array['BlindDecided']); end $$;
select is(tests.signals_outcome('BlindDecided'), 'mirror_fraction_unknown', 'the decided SELL is filtered mirror_fraction_unknown');
select is((walltrack.mirror_status() -> 'filtered_24h' ->> 'mirror_fraction_unknown')::int, 1, '... and counted by mirror_status');
update walltrack.positions set exit_strategy_override = '{"mirror_fallback": "full"}' where id = (pg_temp.pos('Blind')).id;
select is(pg_temp.mirror('BlindFull'), 'orders 1, reason -', 'fallback full: the whole mirror lot');
select is(pg_temp.order_of('BlindFull'), 'exit_mirror 1000000', '... all 1,000,000 tokens, as a full mirror exit');
select is((select unknown_reason from walltrack.leader_sell_balances where signal_id = tests.signals_sid('BlindFull')),
  'not_fetched', 'decided without a lookup: the signal records it');

-- 6. Full mode ignores the fraction: any SELL of the leader sells the lot.
select pg_temp.balances('WholeThird', 3000000, 2000000);
select is(pg_temp.mirror('WholeThird'), 'orders 1, reason -', 'full mode: the leader sells a third');
select is(pg_temp.order_of('WholeThird'), 'exit_mirror 1000000', '... and the whole position follows');

-- 6b. A simulated entry may hold digits past the mint's decimals: a fraction never sells them, the
-- leader selling out sells them too, so nothing is left behind.
update walltrack.positions set entry_amount = 1000000.0000003, current_amount = 1000000.0000003
 where id = (pg_temp.pos('Dust')).id;
select pg_temp.balances('DustThird', 3000000, 2000000);
select pg_temp.balances('DustAll', 2000000, 0);
select pg_temp.mirror('DustThird'), pg_temp.mirror('DustAll');
select is(pg_temp.order_of('DustThird') || ' / ' || pg_temp.order_of('DustAll'),
  'exit_mirror_partial 333333.333333 / exit_mirror 666666.6666673',
  'a third to the base unit, then the rest to its last digit');
select is((select sum(amount_in) from walltrack.orders where position_id = (pg_temp.pos('Dust')).id), 1000000.0000003,
  'exactly what the position holds');

-- 7. Balances that do not make a sale are kept as the reason, never as a fraction.
select walltrack.record_leader_sell_balances(jsonb_build_array(
  jsonb_build_object('signal_id', tests.signals_sid('Up'), 'held_before_raw', 5, 'held_after_raw', 7, 'token_decimals', 6),
  jsonb_build_object('signal_id', tests.signals_sid('Empty'), 'held_before_raw', 0, 'held_after_raw', 0, 'token_decimals', 6)));
select is(
  (select string_agg(b.unknown_reason, ', ' order by b.unknown_reason) from walltrack.leader_sell_balances b
   where b.signal_id in (tests.signals_sid('Up'), tests.signals_sid('Empty'))),
  'no_balance_before, not_a_sale', 'a balance that went up is not_a_sale; none before is no_balance_before');

-- 8. The arithmetic, exactly: rounded down to the base unit, never above the lot.
select is(walltrack.proportional_mirror_amount(1, 0, 3, 1), 0::numeric, 'two thirds of one indivisible token: none');
select is(walltrack.proportional_mirror_amount(944780.237596635, 9, 944780237596635, 475845960900177), 468934.276696458,
  'the leader''s own bag through the rule gives back exactly what they sold');

-- 9. Status: what the last 24 hours of leaders' sells gave.
select is(
  (select format('known %s, unknown %s, orders %s', m -> 'fractions_known_24h', m -> 'fractions_unknown_24h', m -> 'mirror_exits_24h')
   from walltrack.mirror_status() m),
  format('known %s, unknown %s, orders %s',
         (select count(*) from walltrack.leader_sell_balances where unknown_reason is null),
         (select jsonb_object_agg(r, n) from (select unknown_reason r, count(*) n from walltrack.leader_sell_balances
                                              where unknown_reason is not null group by 1) x),
         (select jsonb_object_agg(t, n) from (select order_type t, count(*) n from walltrack.orders
                                              where order_type in ('exit_mirror', 'exit_mirror_partial') group by 1) x)),
  'mirror_status counts fractions known and unknown (by reason) and mirror orders by type');

select * from finish();
rollback;
