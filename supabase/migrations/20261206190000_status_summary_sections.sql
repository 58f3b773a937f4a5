-- The operator's status (npm run status) gains one block per feature, each from the feature's own
-- named function (walltrack.<feature>_status()), so that a feature reports on itself in one place
-- and the summary never copies its queries. The summary defined in 20261205100100 becomes
-- walltrack.status_core(); walltrack.status_summary() is the core plus the blocks.

alter function walltrack.status_summary() rename to status_core;
comment on function walltrack.status_core() is
  'The core of the operator''s status: positions, exposure, PnL, orders, signals, breaker, wallets, Helius sync, scheduled jobs and calls from the database (walltrack.status_summary adds each feature''s block).';

create function walltrack.status_summary()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select walltrack.status_core() || pg_catalog.jsonb_build_object(
    'capture', walltrack.capture_status(),
    'copyability', walltrack.copyability_status(),
    'exits', walltrack.exits_status(),
    'leader_risk', walltrack.leader_risk_status(),
    'mirror', walltrack.mirror_status(),
    'notifications', walltrack.notifications_status(),
    'performance', walltrack.performance_status(),
    'price_history', walltrack.price_history_status(),
    'sell_check', walltrack.sell_check_status(),
    'shadow_book', walltrack.shadow_book_status());
$$;
comment on function walltrack.status_summary() is
  'The operator''s status at a glance (npm run status): walltrack.status_core() plus one block per feature (capture, copyability, exits, leader_risk, mirror, notifications, performance, price_history, sell_check, shadow_book), each from walltrack.<feature>_status().';
revoke execute on function walltrack.status_summary() from public;
