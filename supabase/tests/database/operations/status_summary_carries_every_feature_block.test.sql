-- walltrack.status_summary() is the core status plus one block per feature, each exactly what the
-- feature's own walltrack.<feature>_status() gives, and the core's keys are all still there.
begin;
create extension if not exists pgtap with schema extensions;
select plan(12);

select is(walltrack.status_summary() -> 'capture', walltrack.capture_status(), 'status_summary carries the capture block, as walltrack.capture_status() gives it');
select is(walltrack.status_summary() -> 'copyability', walltrack.copyability_status(), 'status_summary carries the copyability block, as walltrack.copyability_status() gives it');
select is(walltrack.status_summary() -> 'exits', walltrack.exits_status(), 'status_summary carries the exits block, as walltrack.exits_status() gives it');
select is(walltrack.status_summary() -> 'leader_risk', walltrack.leader_risk_status(), 'status_summary carries the leader_risk block, as walltrack.leader_risk_status() gives it');
select is(walltrack.status_summary() -> 'mirror', walltrack.mirror_status(), 'status_summary carries the mirror block, as walltrack.mirror_status() gives it');
select is(walltrack.status_summary() -> 'notifications', walltrack.notifications_status(), 'status_summary carries the notifications block, as walltrack.notifications_status() gives it');
select is(walltrack.status_summary() -> 'performance', walltrack.performance_status(), 'status_summary carries the performance block, as walltrack.performance_status() gives it');
select is(walltrack.status_summary() -> 'price_history', walltrack.price_history_status(), 'status_summary carries the price_history block, as walltrack.price_history_status() gives it');
select is(walltrack.status_summary() -> 'sell_check', walltrack.sell_check_status(), 'status_summary carries the sell_check block, as walltrack.sell_check_status() gives it');
select is(walltrack.status_summary() -> 'shadow_book', walltrack.shadow_book_status(), 'status_summary carries the shadow_book block, as walltrack.shadow_book_status() gives it');
select is(
  (select count(*)::integer from jsonb_object_keys(walltrack.status_core()) k
   where walltrack.status_summary() -> k is distinct from walltrack.status_core() -> k),
  0, 'every key of the core status is carried unchanged');
select ok(walltrack.status_summary() ? 'open_positions' and walltrack.status_summary() ? 'circuit_breaker',
  'the core''s positions and breaker are there');

select * from finish();
rollback;
