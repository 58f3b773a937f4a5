-- No orphans: every foreign key points at a row (the constraints guarantee that much) and every
-- link is the right one: a signal and the position it opened name each other, agree on wallet and
-- token; an order agrees with its position on wallet, token and mode, and an entry order names
-- the position's signal; every wallet has its performance row; a deactivation names an activation.
begin;
create extension if not exists pgtap with schema extensions;
select plan(13);

select is_empty(
  $$ select w.id from walltrack.wallets w
     left join walltrack.exit_strategies es on es.id = w.exit_strategy_id where es.id is null $$,
  'wallets -> exit_strategies');

select is_empty(
  $$ select s.id from walltrack.signals s
     left join walltrack.wallets w on w.id = s.wallet_id
     left join walltrack.tokens t on t.id = s.token_id
     left join walltrack.positions p on p.id = s.position_id
     where w.id is null or t.id is null or (s.position_id is not null and p.id is null) $$,
  'signals -> wallets, tokens (every processed signal names its token), positions');

select is_empty(
  $$ select p.id from walltrack.positions p
     left join walltrack.wallets w on w.id = p.wallet_id
     left join walltrack.tokens t on t.id = p.token_id
     left join walltrack.exit_strategies es on es.id = p.exit_strategy_id
     left join walltrack.signals s on s.id = p.signal_id
     where w.id is null or t.id is null or es.id is null or (p.signal_id is not null and s.id is null) $$,
  'positions -> wallets, tokens, exit_strategies, signals');

select is_empty(
  $$ select o.id from walltrack.orders o
     left join walltrack.wallets w on w.id = o.wallet_id
     left join walltrack.tokens t on t.id = o.token_id
     left join walltrack.positions p on p.id = o.position_id
     left join walltrack.signals s on s.id = o.signal_id
     where w.id is null or t.id is null or p.id is null or (o.signal_id is not null and s.id is null) $$,
  'orders -> wallets, tokens, positions (every order has one), signals');

select is_empty(
  $$ select w.id, count(pf.id)
     from walltrack.wallets w
     left join walltrack.performance pf on pf.wallet_id = w.id
     group by w.id
     having count(pf.id) <> 1 $$,
  'every wallet has exactly one performance row');

select is_empty(
  $$ select e.id from walltrack.circuit_breaker_events e
     left join walltrack.circuit_breaker_events a on a.id = e.activation_event_id
     where e.event_type = 'deactivated' and (a.id is null or a.event_type <> 'activated') $$,
  'every deactivation names an activation');

select is_empty(
  $$ select s.id from walltrack.signals s
     join walltrack.positions p on p.id = s.position_id
     where p.signal_id is distinct from s.id $$,
  'a signal''s position names that signal back');

select is_empty(
  $$ select p.id from walltrack.positions p
     join walltrack.signals s on s.id = p.signal_id
     where s.position_id is distinct from p.id or not s.position_created $$,
  'a position''s signal names that position back, as created');

select is_empty(
  $$ select p.id from walltrack.positions p
     join walltrack.signals s on s.id = p.signal_id
     join walltrack.tokens t on t.id = p.token_id
     where s.wallet_id <> p.wallet_id or s.token_address <> t.address or s.token_id <> p.token_id $$,
  'a position and its signal agree on wallet and token');

select is_empty(
  $$ select o.id from walltrack.orders o
     join walltrack.positions p on p.id = o.position_id
     where o.wallet_id <> p.wallet_id or o.token_id <> p.token_id or o.mode <> p.mode $$,
  'an order agrees with its position on wallet, token and mode');

select is_empty(
  $$ select o.id from walltrack.orders o
     join walltrack.positions p on p.id = o.position_id
     where (o.order_type = 'entry' and o.signal_id is distinct from p.signal_id)
        or (o.order_type <> 'entry' and o.signal_id is not null) $$,
  'an entry order names its position''s signal; price-driven and manual exits name none');

select is_empty(
  $$ select w.address from walltrack.wallets w
     where not exists (select 1 from walltrack.signals s where s.wallet_id = w.id) $$,
  'every wallet has signals');

select is_empty(
  $$ select t.symbol from walltrack.tokens t
     where not exists (select 1 from walltrack.signals s where s.token_id = t.id) $$,
  'every token was met in a signal');

select * from finish();
rollback;
