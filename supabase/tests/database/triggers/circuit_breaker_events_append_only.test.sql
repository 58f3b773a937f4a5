-- circuit_breaker_events is append-only: an event is never deleted and never rewritten, except
-- an activation's deactivation stamp (written once) and its blocked-entries counter (counting
-- up). Refusals are SQLSTATE 23000.
begin;
create extension if not exists pgtap with schema extensions;
select plan(31);

-- Close whatever activation the seed left open (the one change allowed), then open ours.
update walltrack.circuit_breaker_events set deactivated_at = now()
where event_type = 'activated' and deactivated_at is null;

insert into walltrack.circuit_breaker_events
  (id, event_type, trigger_reason, current_drawdown_percent, current_win_rate, consecutive_losses,
   daily_realized_pnl_usd, max_drawdown_threshold, min_win_rate_threshold, consecutive_loss_threshold,
   daily_loss_limit_threshold, open_positions_at_activation, unlock_at)
values ('c0ffee00-0000-4000-8000-000000000cb1', 'activated', 'max_drawdown', 15.5, 38, 2, -320, 15, 40, 5, 500, 3,
        now() + interval '12 hours');

create temp table event_before as select * from walltrack.circuit_breaker_events where id = 'c0ffee00-0000-4000-8000-000000000cb1';

-- Every column but the stamp and the counter is refused, one at a time.

create temp table frozen_changes (column_name name not null, assignment text not null);
insert into frozen_changes (column_name, assignment) values
  ('id', 'id = gen_random_uuid()'),
  ('event_type', $$event_type = 'deactivated'$$),
  ('mode', $$mode = 'live'$$),
  ('trigger_reason', $$trigger_reason = 'manual'$$),
  ('activation_event_id', $$activation_event_id = 'c0ffee00-0000-4000-8000-000000000cb1'$$),
  ('current_drawdown_percent', 'current_drawdown_percent = 1'),
  ('current_win_rate', 'current_win_rate = 90'),
  ('consecutive_losses', 'consecutive_losses = 0'),
  ('daily_realized_pnl_usd', 'daily_realized_pnl_usd = 0'),
  ('max_drawdown_threshold', 'max_drawdown_threshold = 50'),
  ('min_win_rate_threshold', 'min_win_rate_threshold = 0'),
  ('consecutive_loss_threshold', 'consecutive_loss_threshold = 99'),
  ('daily_loss_limit_threshold', 'daily_loss_limit_threshold = 99999'),
  ('open_positions_at_activation', 'open_positions_at_activation = 0'),
  ('unlock_at', 'unlock_at = now()'),
  ('created_at', $$created_at = created_at - interval '1 day'$$);

select throws_ok(
  format($$update walltrack.circuit_breaker_events set %s where id = 'c0ffee00-0000-4000-8000-000000000cb1'$$, assignment),
  '23000',
  'circuit_breaker_events is append-only: only the deactivation stamp and the blocked counter of event c0ffee00-0000-4000-8000-000000000cb1 may change',
  format('%s cannot be rewritten', column_name)
)
from frozen_changes
order by column_name;

select is(
  array(
    select a.attname::text
    from pg_catalog.pg_attribute a
    where a.attrelid = 'walltrack.circuit_breaker_events'::regclass
      and a.attnum > 0
      and not a.attisdropped
      and a.attname not in ('deactivated_at', 'new_positions_blocked', 'updated_at')
      and a.attname not in (select column_name from frozen_changes)
    order by 1
  ),
  '{}'::text[],
  'every column but the stamp, the counter and updated_at was tried above'
);

select is(
  (select to_jsonb(e) - 'updated_at' from walltrack.circuit_breaker_events e where id = 'c0ffee00-0000-4000-8000-000000000cb1'),
  (select to_jsonb(b) - 'updated_at' from event_before b),
  'the refused updates left the event as it was'
);

-- The blocked counter counts up, never down.

select lives_ok(
  $$update walltrack.circuit_breaker_events set new_positions_blocked = new_positions_blocked + 1
    where id = 'c0ffee00-0000-4000-8000-000000000cb1'$$,
  'a refused entry is counted'
);

select lives_ok(
  $$update walltrack.circuit_breaker_events set new_positions_blocked = 5 where id = 'c0ffee00-0000-4000-8000-000000000cb1'$$,
  'the counter can jump up'
);

select throws_ok(
  $$update walltrack.circuit_breaker_events set new_positions_blocked = 4 where id = 'c0ffee00-0000-4000-8000-000000000cb1'$$,
  '23000',
  'new_positions_blocked of event c0ffee00-0000-4000-8000-000000000cb1 only counts up',
  'the counter cannot go down'
);

select is(
  (select new_positions_blocked from walltrack.circuit_breaker_events where id = 'c0ffee00-0000-4000-8000-000000000cb1'),
  5,
  'the counter holds its highest value'
);

-- The deactivation stamp is written once.

select lives_ok(
  $$update walltrack.circuit_breaker_events set deactivated_at = now() where id = 'c0ffee00-0000-4000-8000-000000000cb1'$$,
  'the activation is stamped deactivated'
);

select throws_ok(
  $$update walltrack.circuit_breaker_events set deactivated_at = deactivated_at + interval '1 minute'
    where id = 'c0ffee00-0000-4000-8000-000000000cb1'$$,
  '23000',
  (select format('activation %s was already deactivated at %s', id, deactivated_at)
   from walltrack.circuit_breaker_events where id = 'c0ffee00-0000-4000-8000-000000000cb1'),
  'the stamp cannot be moved'
);

select throws_ok(
  $$update walltrack.circuit_breaker_events set deactivated_at = null where id = 'c0ffee00-0000-4000-8000-000000000cb1'$$,
  '23000',
  (select format('activation %s was already deactivated at %s', id, deactivated_at)
   from walltrack.circuit_breaker_events where id = 'c0ffee00-0000-4000-8000-000000000cb1'),
  'the stamp cannot be erased (an ended activation does not reopen)'
);

select lives_ok(
  $$update walltrack.circuit_breaker_events set new_positions_blocked = new_positions_blocked + 1
    where id = 'c0ffee00-0000-4000-8000-000000000cb1'$$,
  'the counter may still count up after the stamp'
);

-- Events are appended, never deleted.

select lives_ok(
  $$insert into walltrack.circuit_breaker_events (id, event_type, trigger_reason, activation_event_id)
    values ('c0ffee00-0000-4000-8000-000000000cb2', 'deactivated', 'manual', 'c0ffee00-0000-4000-8000-000000000cb1')$$,
  'the deactivation is appended as its own event'
);

select throws_ok(
  $$delete from walltrack.circuit_breaker_events where id = 'c0ffee00-0000-4000-8000-000000000cb2'$$,
  '23000',
  'circuit_breaker_events is append-only: event c0ffee00-0000-4000-8000-000000000cb2 cannot be deleted',
  'an event cannot be deleted'
);

select throws_ok(
  $$delete from walltrack.circuit_breaker_events where id = 'c0ffee00-0000-4000-8000-000000000cb1'$$,
  '23000', null,
  'an activation cannot be deleted'
);

select is(
  (select count(*) from walltrack.circuit_breaker_events where id in ('c0ffee00-0000-4000-8000-000000000cb1', 'c0ffee00-0000-4000-8000-000000000cb2')),
  2::bigint,
  'both events are still there'
);

set local role service_role;

select throws_ok(
  $$delete from walltrack.circuit_breaker_events where id = 'c0ffee00-0000-4000-8000-000000000cb2'$$,
  '42501',
  'permission denied for table circuit_breaker_events',
  'service_role has no DELETE on circuit_breaker_events at all'
);

reset role;

select * from finish();
rollback;
