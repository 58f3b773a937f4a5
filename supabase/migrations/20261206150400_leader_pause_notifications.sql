-- A leader paused by its own risk limits (leader-risk, 20261206130000: consecutive losses, loss
-- limit) or by hand is news the operator wants: each 'paused' event writes leader_paused through
-- walltrack.notify_leader_pause_event (20261206150100). An unpause is the operator's own act: no
-- message.
create trigger leader_pause_events_notify after insert on walltrack.leader_pause_events
  for each row when (new.event_type = 'paused') execute function walltrack.notify_leader_pause_event();

-- Rollback: drop trigger leader_pause_events_notify on walltrack.leader_pause_events;
