-- Time runs one way through the seed: every event lies in the 30 days before the seed ran, a
-- leader's trade comes before the webhook, which comes before the decision, the position, its
-- entry fill, its exits and its close; orders are requested before they are sent and filled; a
-- failed order precedes the one that replaced it; wallets and tokens exist before anything uses
-- them, and a new token's pool exists before anyone trades it. The seed's pending orders are due
-- at 'infinity' (orders on real mints are never executed): that is no event, and no other order
-- is due then.
begin;
create extension if not exists pgtap with schema extensions;
select plan(11);

create temp table seed_time as select max(updated_at) as at from walltrack.wallets;

create temp table events (what text, at timestamptz);
insert into events
select 'wallet discovered', discovery_date from walltrack.wallets
union all select 'wallet synced', helius_synced_at from walltrack.wallets
union all select 'wallet created', created_at from walltrack.wallets
union all select 'token analyzed', last_analyzed_at from walltrack.tokens
union all select 'token created', created_at from walltrack.tokens
union all select 'leader trade', leader_block_time from walltrack.signals
union all select 'signal received', webhook_received_at from walltrack.signals
union all select 'signal processed', processed_at from walltrack.signals
union all select 'signal created', created_at from walltrack.signals
union all select 'position created', created_at from walltrack.positions
union all select 'position entry', entry_timestamp from walltrack.positions
union all select 'position priced', price_updated_at from walltrack.positions
union all select 'position closed', closed_at from walltrack.positions
union all select 'order requested', requested_at from walltrack.orders
union all select 'order submitted', submitted_at from walltrack.orders
union all select 'order executed', executed_at from walltrack.orders
union all select 'order retry due', next_retry_at from walltrack.orders
  where not (status = 'pending' and next_retry_at = 'infinity')
union all select 'order created', created_at from walltrack.orders
union all select 'performance calculated', last_calculated_at from walltrack.performance
union all select 'breaker event', created_at from walltrack.circuit_breaker_events
union all select 'breaker unlock', unlock_at from walltrack.circuit_breaker_events
union all select 'breaker deactivated', deactivated_at from walltrack.circuit_breaker_events;

select is_empty(
  $$ select e.what, e.at from events e cross join seed_time s
     where e.at is not null and e.at not between s.at - interval '30 days' and s.at $$,
  'every event lies in the 30 days before the seed ran, none in the future');

select results_eq(
  $$ select status, next_retry_at = 'infinity', count(*)::integer from walltrack.orders
     where status = 'pending' or next_retry_at = 'infinity' group by 1, 2 $$,
  $$ values ('pending'::text, true, 4) $$,
  'the 4 pending orders, and only they, are due at infinity: never executed');

select is_empty(
  $$ select id from walltrack.signals
     where not (leader_block_time < webhook_received_at and webhook_received_at < processed_at)
        or created_at <> webhook_received_at $$,
  'a signal: leader trade < webhook received (= row created) < processed');

select is_empty(
  $$ select p.id from walltrack.positions p join walltrack.signals s on s.id = p.signal_id
     where not (s.processed_at <= p.created_at and p.created_at <= p.entry_timestamp) $$,
  'a position opened by a signal: decision <= position created <= entry filled');

select is_empty(
  $$ select id from walltrack.positions
     where signal_id is null and created_at < entry_timestamp $$,
  'a position opened by hand is recorded after its entry');

select is_empty(
  $$ select id from walltrack.positions
     where closed_at <= entry_timestamp or price_updated_at < entry_timestamp
        or (closed_at is not null and price_updated_at <> closed_at) $$,
  'a position is priced after its entry and closes after it');

select is_empty(
  $$ select id from walltrack.orders
     where submitted_at < requested_at or executed_at < coalesce(submitted_at, requested_at)
        or next_retry_at < coalesce(submitted_at, requested_at) or created_at <> requested_at $$,
  'an order is requested (= created), then sent, then filled or retried');

select is_empty(
  $$ select o.id, o.order_type from walltrack.orders o
     join walltrack.positions p on p.id = o.position_id
     left join walltrack.signals s on s.id = o.signal_id
     where (o.order_type = 'entry' and o.requested_at <> s.processed_at)
        or (o.order_type <> 'entry'
            and (o.requested_at <= p.entry_timestamp or o.executed_at > coalesce(p.closed_at, 'infinity'))) $$,
  'entries are requested at the decision; exits after the entry and no later than the close');

select is_empty(
  $$ select f.id from walltrack.orders f
     join walltrack.orders r on r.position_id = f.position_id and r.order_type = f.order_type
                            and r.status = 'executed'
     where f.status = 'failed' and r.requested_at <= coalesce(f.submitted_at, f.requested_at) $$,
  'a failed exit was given up before its replacement was requested');

select is_empty(
  $$ select w.address, x.first_use
     from walltrack.wallets w
     cross join lateral (
       select least((select min(webhook_received_at) from walltrack.signals s where s.wallet_id = w.id),
                    (select min(created_at) from walltrack.positions p where p.wallet_id = w.id)) as first_use
     ) x
     where not (w.discovery_date < w.helius_synced_at and w.helius_synced_at < x.first_use)
        or w.created_at <> w.discovery_date $$,
  'a wallet is discovered, then synced to the webhook, then trades');

select is_empty(
  $$ select t.symbol from walltrack.tokens t
     where t.created_at > (select min(processed_at) from walltrack.signals s where s.token_id = t.id)
        or t.created_at > coalesce((select min(created_at) from walltrack.positions p where p.token_id = t.id), 'infinity')
        or t.first_pool_created_at >= (select min(leader_block_time) from walltrack.signals s where s.token_address = t.address) $$,
  'a token is cached before any decision uses it, and its pool predates every trade in it');

select * from finish();
rollback;
