-- The PnL trigger on positions, on every insert and update:
--   unrealized_pnl_usd = current_amount x (current_price - entry_price)  (0 until both prices are known)
--   current_pnl_usd    = realized_pnl_usd + unrealized_pnl_usd
--   peak_price         = the highest price seen since entry (entry_price included)
-- Hand-written unrealized or current PnL never sticks.
begin;
create extension if not exists pgtap with schema extensions;
select plan(12);

insert into walltrack.wallets (id, address, exit_strategy_id)
select 'c0ffee00-0000-4000-8000-00000000a001', 'TestWa11etA111111111111111111111', id from walltrack.exit_strategies where name = 'Default';
insert into walltrack.tokens (id, address) values ('c0ffee00-0000-4000-8000-00000000b001', 'TestTokenA1111111111111111111111'), ('c0ffee00-0000-4000-8000-00000000b002', 'TestTokenB1111111111111111111111');

-- Entered at 2 USD for 100 tokens, priced at 3 USD, with nonsense PnL written by hand.
insert into walltrack.positions
  (id, wallet_id, token_id, mode, entry_price, entry_amount, entry_value_usd, entry_timestamp,
   current_amount, current_price, unrealized_pnl_usd, current_pnl_usd, exit_strategy_id)
select 'c0ffee00-0000-4000-8000-00000000e001', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'simulation', 2, 100, 200, now(), 100, 3, 999, 999, id
from walltrack.exit_strategies where name = 'Default';

select results_eq(
  $$select unrealized_pnl_usd, realized_pnl_usd, current_pnl_usd, peak_price
    from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e001'$$,
  $$values (100::numeric, 0::numeric, 100::numeric, 3::numeric)$$,
  'on insert: unrealized 100 x (3 - 2) = 100, current = 0 + 100, peak 3'
);

update walltrack.positions set current_price = 2.5 where id = 'c0ffee00-0000-4000-8000-00000000e001';

select results_eq(
  $$select unrealized_pnl_usd, current_pnl_usd, peak_price from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e001'$$,
  $$values (50::numeric, 50::numeric, 3::numeric)$$,
  'price falls to 2.5: unrealized 50, the peak stays 3'
);

update walltrack.positions set current_price = 4 where id = 'c0ffee00-0000-4000-8000-00000000e001';

select results_eq(
  $$select unrealized_pnl_usd, current_pnl_usd, peak_price from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e001'$$,
  $$values (200::numeric, 200::numeric, 4::numeric)$$,
  'price rises to 4: unrealized 200, a new peak 4'
);

update walltrack.positions set current_price = 1 where id = 'c0ffee00-0000-4000-8000-00000000e001';

select results_eq(
  $$select unrealized_pnl_usd, current_pnl_usd, peak_price from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e001'$$,
  $$values ((-100)::numeric, (-100)::numeric, 4::numeric)$$,
  'price falls below entry to 1: unrealized -100, the peak stays 4'
);

-- A partial exit: 60 tokens sold at 3 (realized 60 x (3 - 2) = 60), 40 held.
update walltrack.positions
set current_amount = 40, exit_amount = 60, exit_price = 3, realized_pnl_usd = 60, current_price = 3.5
where id = 'c0ffee00-0000-4000-8000-00000000e001';

select results_eq(
  $$select unrealized_pnl_usd, realized_pnl_usd, current_pnl_usd, peak_price
    from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e001'$$,
  $$values (60::numeric, 60::numeric, 120::numeric, 4::numeric)$$,
  'after a partial exit: unrealized 40 x (3.5 - 2) = 60, current = 60 + 60'
);

update walltrack.positions set unrealized_pnl_usd = 12345, current_pnl_usd = 12345 where id = 'c0ffee00-0000-4000-8000-00000000e001';

select results_eq(
  $$select unrealized_pnl_usd, current_pnl_usd from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e001'$$,
  $$values (60::numeric, 120::numeric)$$,
  'hand-written unrealized and current PnL are recomputed'
);

update walltrack.positions set current_price = 2.123456789 where id = 'c0ffee00-0000-4000-8000-00000000e001';

select is(
  (select unrealized_pnl_usd from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e001'),
  40 * (2.123456789 - 2),
  'PnL is exact: no rounding of small prices'
);

-- Closing: nothing held, no unrealized part left.
update walltrack.positions
set status = 'closed', current_amount = 0, exit_amount = 100, realized_pnl_usd = 80,
    exit_reason = 'trailing_stop', closed_at = now()
where id = 'c0ffee00-0000-4000-8000-00000000e001';

select results_eq(
  $$select unrealized_pnl_usd, current_pnl_usd from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e001'$$,
  $$values (0::numeric, 80::numeric)$$,
  'closed: unrealized 0, current = realized 80'
);

-- Pending entry: a price is known, the entry is not.
insert into walltrack.positions
  (id, wallet_id, token_id, mode, current_price, unrealized_pnl_usd, current_pnl_usd, exit_strategy_id)
select 'c0ffee00-0000-4000-8000-00000000e002', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b002', 'simulation', 5, 7, 7, id
from walltrack.exit_strategies where name = 'Default';

select results_eq(
  $$select unrealized_pnl_usd, current_pnl_usd, peak_price from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e002'$$,
  $$values (0::numeric, 0::numeric, null::numeric)$$,
  'before the entry fills: no unrealized PnL and no peak'
);

-- The entry fills below the last price seen: the peak starts at the higher of entry and price.
update walltrack.positions
set entry_price = 2, entry_amount = 50, entry_value_usd = 100, entry_timestamp = now(),
    current_amount = 50, current_price = 1.5
where id = 'c0ffee00-0000-4000-8000-00000000e002';

select results_eq(
  $$select unrealized_pnl_usd, current_pnl_usd, peak_price from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e002'$$,
  $$values ((-25)::numeric, (-25)::numeric, 2::numeric)$$,
  'entry at 2 with price 1.5: unrealized 50 x (1.5 - 2) = -25, peak = entry 2'
);

update walltrack.positions set current_price = 2.2 where id = 'c0ffee00-0000-4000-8000-00000000e002';

select is(
  (select peak_price from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e002'),
  2.2,
  'the first price above entry becomes the peak'
);

-- Losing the price (e.g. a stale quote cleared) keeps the peak and zeroes the unrealized part.
update walltrack.positions set current_price = null where id = 'c0ffee00-0000-4000-8000-00000000e002';

select results_eq(
  $$select unrealized_pnl_usd, current_pnl_usd, peak_price from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e002'$$,
  $$values (0::numeric, 0::numeric, 2.2::numeric)$$,
  'without a current price: unrealized 0, the peak is kept'
);

select * from finish();
rollback;
