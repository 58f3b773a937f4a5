-- Adds capture completeness (issue 14: "a missed webhook delivery is a missed trade, and no one
-- knows"). A scheduled reconciliation asks the chain for each active wallet's signatures since the
-- last one it saw (Solana RPC getSignaturesForAddress), fetches those no signal, rejection or
-- earlier fetch accounts for in enhanced form (Helius's parse-transactions API), and records them
-- through the webhook's own path (record_signals, record_rejected_transactions) marked with how
-- they arrived: signals.delivery = webhook | recovered | polled. The same mechanism is a delivery
-- mode of its own for a stack Helius cannot reach: config.delivery_mode = 'poll' polls every
-- poll_interval_seconds and needs no webhook (the Helius sync then pushes nothing). The capture
-- rate per wallet (webhook / (webhook + recovered), last 30 days) is kept in the performance table
-- by walltrack.refresh_capture_rates, after each run; walltrack.capture_status is the status block.
--
-- Per wallet, walltrack.capture_cursors remembers the last signature reconciled and, while a long
-- backlog is walked back over several runs (each run is bounded), where the walk stands. A run is
-- single-flight (a lease on the config row, as the Helius sync) and backs off after a failure
-- (a 429's Retry-After when longer). The edge function capture-reconciler does the I/O; pg_cron
-- asks it through walltrack.reconcile_capture when the mode's interval has passed.

-- How each signal reached WallTrack. The default reads a transaction-local setting that only
-- walltrack.record_recovered_transactions sets, so the webhook's recording path stays one call
-- (record_signals) shared by both, unchanged, and every existing row is a webhook delivery.
alter table walltrack.signals
  add column delivery text not null
    default coalesce(nullif(pg_catalog.current_setting('walltrack.signal_delivery', true), ''), 'webhook')
    constraint signals_delivery_check check (delivery in ('webhook', 'recovered', 'polled'));
comment on column walltrack.signals.delivery is
  'How the transaction reached WallTrack: webhook (Helius delivered it), recovered (the webhook never did; the reconciliation found it on chain), polled (poll delivery mode, no webhook). A fact, immutable.';

alter table walltrack.config
  add column delivery_mode text not null default 'webhook'
    constraint config_delivery_mode_check check (delivery_mode in ('webhook', 'poll')),
  -- pg_cron runs the job every minute on every stack (pg_cron 1.4 has no seconds schedule).
  add column poll_interval_seconds integer not null default 60
    constraint config_poll_interval_seconds_check check (poll_interval_seconds between 60 and 3600),
  add column reconcile_interval_minutes integer not null default 10
    constraint config_reconcile_interval_minutes_check check (reconcile_interval_minutes between 1 and 1440),
  add column capture_settle_seconds integer not null default 120
    constraint config_capture_settle_seconds_check check (capture_settle_seconds between 0 and 3600),
  add column capture_wallets_per_run integer not null default 50
    constraint config_capture_wallets_per_run_check check (capture_wallets_per_run between 1 and 1000),
  add column capture_pages_per_wallet integer not null default 3
    constraint config_capture_pages_per_wallet_check check (capture_pages_per_wallet between 1 and 20),
  add column capture_fetches_per_run integer not null default 500
    constraint config_capture_fetches_per_run_check check (capture_fetches_per_run between 1 and 5000),
  add column capture_lease uuid,
  add column capture_lease_until timestamptz,
  add column capture_last_run_at timestamptz,
  add column capture_failures integer not null default 0 constraint config_capture_failures_check check (capture_failures >= 0),
  add column capture_next_attempt_at timestamptz,
  add column capture_last_error text,
  add column capture_last_report jsonb,
  add constraint config_capture_lease_has_expiry check ((capture_lease is null) = (capture_lease_until is null));
-- The first run is one interval after the install: nothing was missed before it.
update walltrack.config set capture_last_run_at = pg_catalog.now();
comment on column walltrack.config.delivery_mode is
  'How transactions arrive: webhook (Helius POSTs them; the reconciliation recovers what it missed) or poll (no public URL needed: the reconciliation polls every poll_interval_seconds and no Helius webhook is kept).';
comment on column walltrack.config.poll_interval_seconds is
  'Poll mode: seconds between two polls of the watched wallets'' signatures (60-3600; pg_cron checks every minute).';
comment on column walltrack.config.reconcile_interval_minutes is
  'Webhook mode: minutes between two reconciliations of the watched wallets'' signatures against the recorded signals (1-1440).';
comment on column walltrack.config.capture_settle_seconds is
  'Webhook mode: a transaction younger than this is left to the webhook until the next run, so that a delivery on its way is not counted as missed (poll mode waits for nothing).';
comment on column walltrack.config.capture_wallets_per_run is
  'Bound of one reconciliation run: wallets asked for their signatures (the least recently checked first).';
comment on column walltrack.config.capture_pages_per_wallet is
  'Bound of one reconciliation run: pages of 1,000 signatures asked per wallet; a longer backlog is walked over the next runs.';
comment on column walltrack.config.capture_fetches_per_run is
  'Bound of one reconciliation run: transactions fetched from Helius''s parse-transactions API (batches of 100).';
comment on column walltrack.config.capture_lease is
  'Token of the reconciliation running now (null: none); only its holder may record the outcome.';
comment on column walltrack.config.capture_lease_until is
  'When the running reconciliation''s lease expires: a runtime that died mid-run blocks the next one only until then.';
comment on column walltrack.config.capture_last_run_at is
  'When the last reconciliation run started: the next is due one interval later (walltrack.capture_interval).';
comment on column walltrack.config.capture_failures is
  'Reconciliation runs failed in a row since the last success: drives the backoff (walltrack.capture_backoff).';
comment on column walltrack.config.capture_next_attempt_at is
  'No reconciliation (pg_cron or direct call) before this time after a failure or a 429; null after a success.';
comment on column walltrack.config.capture_last_error is
  'Why the last reconciliation failed (never an API key); null after a success.';
comment on column walltrack.config.capture_last_report is
  'What the last reconciliation run did: wallets checked, signatures seen, missing, fetched, signals recorded, errors.';

-- Per wallet, where the reconciliation stands on its chain history.
create table walltrack.capture_cursors (
  wallet_id uuid primary key constraint fk_capture_cursors_wallets references walltrack.wallets (id) on delete cascade,
  watch_since timestamptz not null default now(),
  last_signature walltrack.solana_signature,
  last_block_time timestamptz,
  walk_top_signature walltrack.solana_signature,
  walk_before_signature walltrack.solana_signature,
  checked_at timestamptz,
  last_error text constraint capture_cursors_last_error_length check (char_length(last_error) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint capture_cursors_walk_is_whole check ((walk_top_signature is null) = (walk_before_signature is null))
);
create index idx_capture_cursors_checked_at on walltrack.capture_cursors (checked_at nulls first);
create trigger capture_cursors_set_updated_at before update on walltrack.capture_cursors
  for each row execute function walltrack.set_updated_at();
alter table walltrack.capture_cursors enable row level security;
revoke all on walltrack.capture_cursors from anon, authenticated;
grant select, insert, update, delete on walltrack.capture_cursors to service_role;
comment on table walltrack.capture_cursors is
  'Per watched wallet, how far the reconciliation has compared its chain history with the recorded signals: the last signature reconciled, and a walk back through a longer backlog in progress.';
comment on column walltrack.capture_cursors.wallet_id is 'The wallet (one cursor each).';
comment on column walltrack.capture_cursors.watch_since is 'Since when the wallet is watched (added or activated): older transactions are not missed ones.';
comment on column walltrack.capture_cursors.last_signature is 'Newest signature reconciled: the next run asks for what came after it (getSignaturesForAddress until); null before the first complete run.';
comment on column walltrack.capture_cursors.last_block_time is 'Block time of last_signature: how far behind the chain the reconciliation is.';
comment on column walltrack.capture_cursors.walk_top_signature is 'A backlog longer than one run is walked back over several runs: the newest signature of that walk, the cursor once it reaches last_signature.';
comment on column walltrack.capture_cursors.walk_before_signature is 'Where the walk in progress goes on (getSignaturesForAddress before).';
comment on column walltrack.capture_cursors.checked_at is 'When a run last asked the chain for this wallet (null: never).';
comment on column walltrack.capture_cursors.last_error is 'Why the last run could not finish this wallet (an RPC or Helius failure, a transaction Helius did not return); null when it did.';
comment on column walltrack.capture_cursors.created_at is 'When the row was created.';
comment on column walltrack.capture_cursors.updated_at is 'When the row was last updated (trigger).';

-- Every transaction the reconciliation fetched because nothing recorded it, and what it gave: a
-- transaction that is no trade (a transfer) is fetched once, never again. Kept 7 days.
create table walltrack.fetched_transactions (
  transaction_signature walltrack.solana_signature primary key,
  delivery text not null constraint fetched_transactions_delivery_check check (delivery in ('recovered', 'polled')),
  outcome text not null constraint fetched_transactions_outcome_check check (outcome in ('signals', 'rejected', 'no_signal')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index idx_fetched_transactions_created_at on walltrack.fetched_transactions (created_at);
create trigger fetched_transactions_set_updated_at before update on walltrack.fetched_transactions
  for each row execute function walltrack.set_updated_at();
alter table walltrack.fetched_transactions enable row level security;
revoke all on walltrack.fetched_transactions from anon, authenticated, service_role;
grant select, insert, delete on walltrack.fetched_transactions to service_role;
comment on table walltrack.fetched_transactions is
  'Event log: transactions of watched wallets the reconciliation fetched from Helius because no signal or rejection recorded them, and what each gave; a transaction that is no trade is fetched once. Purged after 7 days.';
comment on column walltrack.fetched_transactions.transaction_signature is 'The transaction fetched.';
comment on column walltrack.fetched_transactions.delivery is 'recovered (webhook mode: the webhook missed it) or polled (poll mode).';
comment on column walltrack.fetched_transactions.outcome is 'signals (recorded as signals), rejected (refused, in rejected_transactions), no_signal (no trade of a watched wallet: a transfer, a failed or token-to-token swap).';
comment on column walltrack.fetched_transactions.created_at is 'When it was fetched.';
comment on column walltrack.fetched_transactions.updated_at is 'When the row was last updated (trigger; the log is not updated by WallTrack).';

-- The capture rate per wallet, in the daily performance row (filled by refresh_capture_rates
-- after every reconciliation, never by refresh_performance).
alter table walltrack.performance
  add column signals_webhook_30d integer not null default 0 constraint performance_signals_webhook_30d_check check (signals_webhook_30d >= 0),
  add column signals_recovered_30d integer not null default 0 constraint performance_signals_recovered_30d_check check (signals_recovered_30d >= 0),
  add column signals_polled_30d integer not null default 0 constraint performance_signals_polled_30d_check check (signals_polled_30d >= 0),
  add column capture_rate_percent numeric constraint performance_capture_rate_percent_check check (capture_rate_percent between 0 and 100),
  add column capture_calculated_at timestamptz;
comment on column walltrack.performance.signals_webhook_30d is 'Signals of the last 30 days that the Helius webhook delivered.';
comment on column walltrack.performance.signals_recovered_30d is 'Signals of the last 30 days the webhook missed and the reconciliation recovered.';
comment on column walltrack.performance.signals_polled_30d is 'Signals of the last 30 days recorded by the poll delivery mode.';
comment on column walltrack.performance.capture_rate_percent is 'Webhook capture rate of the last 30 days: webhook / (webhook + recovered) x 100, rounded to 2 places; null without either.';
comment on column walltrack.performance.capture_calculated_at is 'When walltrack.refresh_capture_rates last computed the capture columns.';

-- A wallet starts being watched when it is added active or activated: its cursor starts afresh,
-- so a deactivated period is not walked back as missed trades.
create function walltrack.start_capture_cursor()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.is_active and (tg_op = 'INSERT' or not old.is_active) then
    insert into walltrack.capture_cursors (wallet_id, watch_since)
    values (new.id, pg_catalog.now())
    on conflict (wallet_id) do update
      set watch_since = excluded.watch_since, last_signature = null, last_block_time = null,
          walk_top_signature = null, walk_before_signature = null, checked_at = null, last_error = null;
  end if;
  return null;
end;
$$;
comment on function walltrack.start_capture_cursor() is
  'Trigger function: a wallet added active or activated is reconciled from now on (its capture cursor starts afresh).';
revoke execute on function walltrack.start_capture_cursor() from public;

create trigger wallets_start_capture_cursor
  after insert or update of is_active on walltrack.wallets
  for each row execute function walltrack.start_capture_cursor();

insert into walltrack.capture_cursors (wallet_id, watch_since)
select id, pg_catalog.now() from walltrack.wallets where is_active
on conflict (wallet_id) do nothing;

-- The interval between two runs, by delivery mode. Named so the rule reads in one place (ADR-016).
create function walltrack.capture_interval()
returns interval
language sql
stable
set search_path = ''
as $$
  select case c.delivery_mode when 'poll' then pg_catalog.make_interval(secs => c.poll_interval_seconds)
              else pg_catalog.make_interval(mins => c.reconcile_interval_minutes) end
  from walltrack.config c;
$$;
comment on function walltrack.capture_interval() is
  'Time between two reconciliation runs: poll_interval_seconds in poll mode, reconcile_interval_minutes in webhook mode.';
revoke execute on function walltrack.capture_interval() from public;

-- The wait after the n-th failure in a row (the Helius sync's: 1 minute doubling, capped at 1
-- hour), or longer when the API asked for longer (a 429's Retry-After, already bounded to 10 min).
create function walltrack.capture_backoff(failures integer, retry_after_seconds integer default null)
returns interval
language sql
immutable
set search_path = ''
as $$
  select greatest(walltrack.helius_sync_backoff(failures),
                  pg_catalog.make_interval(secs => greatest(coalesce(retry_after_seconds, 0), 0)));
$$;
comment on function walltrack.capture_backoff(integer, integer) is
  'Backoff of the reconciliation after n failures in a row: 1 minute, doubling, capped at 1 hour, or the API''s Retry-After when longer.';
revoke execute on function walltrack.capture_backoff(integer, integer) from public;

-- {claimed: true, lease, plan} when this caller may run now; otherwise {claimed: false, reason:
-- no_active_wallets | running | backing_off, failures, next_attempt_at}. One UPDATE of the
-- singleton, as claim_helius_sync: concurrent callers queue on its row lock and see the lease.
-- The plan: how the run records (recovered or polled), how long to let the webhook deliver, its
-- bounds, and the wallets to ask (the least recently checked first) with their cursors.
create function walltrack.claim_capture_run(lease_for interval default interval '2 minutes')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  token uuid := pg_catalog.gen_random_uuid();
  state walltrack.config;
begin
  if lease_for is null or lease_for <= interval '0' or lease_for > interval '1 hour' then
    raise exception 'lease_for must be between 0 and 1 hour, got %', lease_for
      using errcode = 'invalid_parameter_value', hint = 'pass the longest time one run may take (its budget, the HTTP timeouts and a margin)';
  end if;
  update walltrack.config
     set capture_lease = token, capture_lease_until = pg_catalog.now() + lease_for, capture_last_run_at = pg_catalog.now()
   where coalesce(capture_lease_until, '-infinity') <= pg_catalog.now()
     and coalesce(capture_next_attempt_at, '-infinity') <= pg_catalog.now()
     and exists (select 1 from walltrack.wallets where is_active)
  returning * into state;
  if not found then
    select * into state from walltrack.config;
    return pg_catalog.jsonb_build_object(
      'claimed', false,
      'reason', case when not exists (select 1 from walltrack.wallets where is_active) then 'no_active_wallets'
                     when state.capture_lease_until > pg_catalog.now() then 'running'
                     else 'backing_off' end,
      'failures', state.capture_failures,
      'next_attempt_at', state.capture_next_attempt_at);
  end if;
  -- A wallet activated before this feature existed, or by a path the trigger did not see.
  insert into walltrack.capture_cursors (wallet_id, watch_since)
  select id, pg_catalog.now() from walltrack.wallets where is_active
  on conflict (wallet_id) do nothing;
  return pg_catalog.jsonb_build_object(
    'claimed', true,
    'lease', token,
    'plan', pg_catalog.jsonb_build_object(
      'delivery', case state.delivery_mode when 'poll' then 'polled' else 'recovered' end,
      'settle_seconds', case state.delivery_mode when 'poll' then 0 else state.capture_settle_seconds end,
      'pages_per_wallet', state.capture_pages_per_wallet,
      'fetches_per_run', state.capture_fetches_per_run,
      'wallets', coalesce((
        select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                 'wallet_id', c.wallet_id, 'address', w.address,
                 'watch_since', pg_catalog.floor(extract(epoch from c.watch_since))::bigint,
                 'last_signature', c.last_signature, 'walk_top', c.walk_top_signature,
                 'walk_before', c.walk_before_signature) order by c.checked_at nulls first, c.wallet_id)
        from (select c.* from walltrack.capture_cursors c join walltrack.wallets w on w.id = c.wallet_id
              where w.is_active order by c.checked_at nulls first, c.wallet_id
              limit state.capture_wallets_per_run) c
        join walltrack.wallets w on w.id = c.wallet_id), '[]'::jsonb)));
end;
$$;
comment on function walltrack.claim_capture_run(interval) is
  'Claims the single-flight lease of the reconciliation when a wallet is active, no run holds it and no backoff holds; returns the lease and the plan (delivery, settle time, bounds, wallets with their cursors), or why not.';
revoke execute on function walltrack.claim_capture_run(interval) from public;

-- Of the signatures a run saw on chain, those nothing accounts for: no signal (of any wallet: a
-- transaction is classified for every watched wallet at once), no rejection, no earlier fetch.
create function walltrack.capture_missing_signatures(signatures text[])
returns text[]
language sql
stable
set search_path = ''
as $$
  select coalesce(pg_catalog.array_agg(distinct s.signature order by s.signature), '{}')
  from pg_catalog.unnest(signatures) as s(signature)
  where s.signature is not null
    and not exists (select 1 from walltrack.signals g where g.transaction_signature = s.signature)
    and not exists (select 1 from walltrack.rejected_transactions r where r.transaction_signature = s.signature)
    and not exists (select 1 from walltrack.fetched_transactions f where f.transaction_signature = s.signature);
$$;
comment on function walltrack.capture_missing_signatures(text[]) is
  'The signatures no signal, rejected transaction or earlier fetch accounts for: what the webhook never delivered (or what poll mode has not seen yet).';
revoke execute on function walltrack.capture_missing_signatures(text[]) from public;

-- Records what a run fetched through the webhook's own path (record_signals and
-- record_rejected_transactions, called, not copied), its signals marked recovered or polled, and
-- logs each fetched signature with what it gave. Idempotent: a signature already recorded adds
-- nothing. config.webhook_last_signal_at keeps the webhook's last delivery (record_signals
-- stamps it; these did not come from the webhook): its row is locked first so a delivery
-- committing meanwhile is not undone.
-- batch and rejected: as record_signals and record_rejected_transactions take them.
create function walltrack.record_recovered_transactions(batch jsonb, rejected jsonb, fetched text[], delivery text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  last_webhook timestamptz;
  recorded jsonb;
  refused integer;
begin
  if delivery is null or delivery not in ('recovered', 'polled') then
    raise exception 'delivery must be recovered or polled, got %', delivery
      using errcode = 'invalid_parameter_value', hint = 'webhook deliveries are recorded by walltrack.record_signals itself';
  end if;
  select webhook_last_signal_at into last_webhook from walltrack.config for update;
  perform pg_catalog.set_config('walltrack.signal_delivery', delivery, true);
  recorded := walltrack.record_signals(batch);
  refused := walltrack.record_rejected_transactions(rejected);
  perform pg_catalog.set_config('walltrack.signal_delivery', '', true);
  update walltrack.config set webhook_last_signal_at = last_webhook;
  insert into walltrack.fetched_transactions (transaction_signature, delivery, outcome)
  select distinct on (f.signature) f.signature, delivery,
         case when exists (select 1 from walltrack.signals g where g.transaction_signature = f.signature) then 'signals'
              when exists (select 1 from walltrack.rejected_transactions r where r.transaction_signature = f.signature) then 'rejected'
              else 'no_signal' end
  from pg_catalog.unnest(fetched) as f(signature)
  where f.signature is not null
  on conflict (transaction_signature) do nothing;
  return recorded || pg_catalog.jsonb_build_object('rejected', refused);
end;
$$;
comment on function walltrack.record_recovered_transactions(jsonb, jsonb, text[], text) is
  'Records transactions the reconciliation fetched through record_signals and record_rejected_transactions, signals marked recovered or polled, each fetched signature logged with its outcome; keeps webhook_last_signal_at the webhook''s. Returns record_signals'' answer and the rejections added.';
revoke execute on function walltrack.record_recovered_transactions(jsonb, jsonb, text[], text) from public;

-- The capture columns of every wallet's performance row, from the last 30 days of signals.
create function walltrack.refresh_capture_rates()
returns integer
language plpgsql
set search_path = ''
as $$
declare
  touched integer;
begin
  insert into walltrack.performance as perf (wallet_id, signals_webhook_30d, signals_recovered_30d, signals_polled_30d,
                                             capture_rate_percent, capture_calculated_at)
  select w.id, n.webhook, n.recovered, n.polled,
         case when n.webhook + n.recovered > 0
              then pg_catalog.round(n.webhook * 100.0 / (n.webhook + n.recovered), 2) end,
         pg_catalog.now()
  from walltrack.wallets w
  cross join lateral (
    select count(*) filter (where s.delivery = 'webhook')::integer as webhook,
           count(*) filter (where s.delivery = 'recovered')::integer as recovered,
           count(*) filter (where s.delivery = 'polled')::integer as polled
    from walltrack.signals s
    where s.wallet_id = w.id and s.created_at > pg_catalog.now() - interval '30 days') n
  on conflict on constraint uq_performance_wallet_id do update
    set signals_webhook_30d = excluded.signals_webhook_30d, signals_recovered_30d = excluded.signals_recovered_30d,
        signals_polled_30d = excluded.signals_polled_30d, capture_rate_percent = excluded.capture_rate_percent,
        capture_calculated_at = excluded.capture_calculated_at;
  get diagnostics touched = row_count;
  return touched;
end;
$$;
comment on function walltrack.refresh_capture_rates() is
  'Capture rate per wallet over the last 30 days (signals by delivery; webhook / (webhook + recovered) x 100) into its performance row; run after every reconciliation. Returns the rows written.';
revoke execute on function walltrack.refresh_capture_rates() from public;

-- outcome: {cursors: [{wallet_id, watch_since (unix seconds, as planned), last_signature,
-- last_block_time (unix seconds), walk_top, walk_before, error}], report: {...}, error: text or
-- absent, retry_after_seconds}. Only the lease's holder records. A cursor is written only if the
-- wallet was not activated again meanwhile (its watch_since is the one planned).
create function walltrack.finish_capture_run(lease uuid, outcome jsonb)
returns boolean
language plpgsql
set search_path = ''
as $$
declare
  failed boolean := coalesce(outcome ->> 'error', '') <> '';
begin
  update walltrack.config
     set capture_lease = null, capture_lease_until = null,
         capture_failures = case when failed then capture_failures + 1 else 0 end,
         capture_next_attempt_at = case when failed then pg_catalog.now()
           + walltrack.capture_backoff(capture_failures + 1, (outcome ->> 'retry_after_seconds')::integer) end,
         capture_last_error = case when failed then pg_catalog.left(outcome ->> 'error', 2000) end,
         capture_last_report = outcome -> 'report'
   where capture_lease = lease;
  if not found then
    return false;
  end if;
  update walltrack.capture_cursors c
     set last_signature = x.last_signature,
         last_block_time = case when x.last_signature is not distinct from c.last_signature then c.last_block_time
                                else pg_catalog.to_timestamp(x.last_block_time) end,
         walk_top_signature = x.walk_top, walk_before_signature = x.walk_before,
         checked_at = pg_catalog.now(), last_error = pg_catalog.left(x.error, 2000)
    from pg_catalog.jsonb_to_recordset(coalesce(outcome -> 'cursors', '[]'::jsonb)) as x(
           wallet_id uuid, watch_since bigint, last_signature text, last_block_time bigint,
           walk_top text, walk_before text, error text)
   where c.wallet_id = x.wallet_id
     and pg_catalog.floor(extract(epoch from c.watch_since))::bigint = x.watch_since;
  delete from walltrack.fetched_transactions where created_at < pg_catalog.now() - interval '7 days';
  perform walltrack.refresh_capture_rates();
  return true;
end;
$$;
comment on function walltrack.finish_capture_run(uuid, jsonb) is
  'Records a reconciliation run''s outcome for the holder of the lease only: the wallets'' cursors, the report, the failure count and backoff (or their reset); releases the lease, purges fetches older than 7 days and refreshes the capture rates. False when the lease is not held.';
revoke execute on function walltrack.finish_capture_run(uuid, jsonb) from public;

-- The pg_cron job (every minute): asks the capture-reconciler function when the mode's interval
-- has passed since the last run, no run holds the lease, no backoff holds and a wallet is active.
-- The 5 seconds absorb the jitter of pg_cron's minute, so a 60 s interval runs every minute.
create function walltrack.reconcile_capture()
returns bigint
language plpgsql
set search_path = ''
as $$
begin
  if not exists (select 1 from walltrack.wallets where is_active)
     or exists (select 1 from walltrack.config
                 where capture_next_attempt_at > pg_catalog.now() or capture_lease_until > pg_catalog.now()
                    or capture_last_run_at > pg_catalog.now() - walltrack.capture_interval() + interval '5 seconds') then
    return null;
  end if;
  return walltrack.invoke_edge_function('capture-reconciler', '{"source": "cron"}'::jsonb);
end;
$$;
comment on function walltrack.reconcile_capture() is
  'pg_cron job (every minute): asks the capture-reconciler function when walltrack.capture_interval() has passed since the last run, unless a run holds the lease, its backoff holds or no wallet is active.';
revoke execute on function walltrack.reconcile_capture() from public;

-- The job: every minute, asking only when the mode's interval has passed (walltrack.job_schedule).
insert into walltrack.job_schedule (jobname, schedule, command, purpose) values
  ('walltrack-capture-reconciler', '* * * * *', 'select walltrack.reconcile_capture()',
   'recover what the webhook missed, or poll in poll mode, once the delivery mode''s interval has passed');
select walltrack.schedule_jobs();

-- The operator's switch (npm run delivery:set). Back to webhook mode, every active wallet is
-- pending again so that the Helius sync pushes the watchlist to a webhook it may never have made.
create function walltrack.set_delivery_mode(mode text, poll_interval_seconds integer default null,
                                            reconcile_interval_minutes integer default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  previous text;
  result jsonb;
begin
  if mode is null or mode not in ('webhook', 'poll') then
    raise exception 'delivery mode must be webhook or poll, got %', coalesce(mode, 'null')
      using errcode = 'invalid_parameter_value',
            hint = 'webhook: Helius POSTs to this stack (a public URL); poll: this stack asks the chain every poll_interval_seconds';
  end if;
  select c.delivery_mode into previous from walltrack.config c for update;
  update walltrack.config c
     set delivery_mode = mode,
         poll_interval_seconds = coalesce(set_delivery_mode.poll_interval_seconds, c.poll_interval_seconds),
         reconcile_interval_minutes = coalesce(set_delivery_mode.reconcile_interval_minutes, c.reconcile_interval_minutes)
  returning pg_catalog.jsonb_build_object('delivery_mode', c.delivery_mode, 'poll_interval_seconds', c.poll_interval_seconds,
                                          'reconcile_interval_minutes', c.reconcile_interval_minutes)
    into result;
  if mode = 'webhook' and previous = 'poll' then
    update walltrack.wallets set helius_sync_status = 'pending', helius_sync_error = null where is_active;
  end if;
  return result;
end;
$$;
comment on function walltrack.set_delivery_mode(text, integer, integer) is
  'Sets the delivery mode (webhook or poll) and, when given, the poll and reconciliation intervals (refused outside their bounds); back to webhook mode the active wallets are pushed to Helius again. Returns the settings.';
revoke execute on function walltrack.set_delivery_mode(text, integer, integer) from public;

-- The status block (the lead adds it to status_summary): mode and interval, the last run and its
-- backoff, wallets never or not lately checked, and the last 24 hours' signals by delivery.
create function walltrack.capture_status()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'delivery_mode', c.delivery_mode,
    'interval_seconds', extract(epoch from walltrack.capture_interval())::integer,
    'running', coalesce(c.capture_lease_until > pg_catalog.now(), false),
    'last_run_at', c.capture_last_run_at,
    'failures', c.capture_failures,
    'next_attempt_at', c.capture_next_attempt_at,
    'last_error', c.capture_last_error,
    'last_report', c.capture_last_report,
    -- Active wallets no run has checked within two intervals (or ever, once watched that long).
    'wallets_behind', (select count(*) from walltrack.capture_cursors k join walltrack.wallets w on w.id = k.wallet_id
                        where w.is_active
                          and coalesce(k.checked_at, k.watch_since) < pg_catalog.now() - 2 * walltrack.capture_interval()),
    'wallets_with_errors', (select count(*) from walltrack.capture_cursors k join walltrack.wallets w on w.id = k.wallet_id
                             where w.is_active and k.last_error is not null),
    'signals_24h', (select pg_catalog.jsonb_build_object(
                      'webhook', count(*) filter (where s.delivery = 'webhook'),
                      'recovered', count(*) filter (where s.delivery = 'recovered'),
                      'polled', count(*) filter (where s.delivery = 'polled'),
                      'capture_rate_percent', case when count(*) filter (where s.delivery in ('webhook', 'recovered')) > 0
                        then pg_catalog.round(count(*) filter (where s.delivery = 'webhook') * 100.0
                                              / count(*) filter (where s.delivery in ('webhook', 'recovered')), 2) end)
                    from walltrack.signals s where s.created_at > pg_catalog.now() - interval '24 hours'))
  from walltrack.config c;
$$;
comment on function walltrack.capture_status() is
  'Capture completeness at a glance: delivery mode and interval, the reconciliation''s last run, report, failures and backoff, active wallets behind or in error, and the last 24 hours'' signals by delivery with the webhook capture rate.';
revoke execute on function walltrack.capture_status() from public;

-- Poll mode keeps no Helius webhook: the sync is never asked and never claims (the operator's
-- stack may have no public URL for Helius to reach). Redefined from
-- 20261205100000_helius_sync_single_flight.sql with the delivery mode added to each.
create or replace function walltrack.claim_helius_sync(lease_for interval default interval '2 minutes')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  token uuid := pg_catalog.gen_random_uuid();
  state walltrack.config;
  pending boolean;
begin
  if lease_for is null or lease_for <= interval '0' or lease_for > interval '1 hour' then
    raise exception 'lease_for must be between 0 and 1 hour, got %', lease_for
      using errcode = 'invalid_parameter_value', hint = 'pass the longest time one sync may take (its HTTP timeouts and a margin)';
  end if;
  update walltrack.config
     set helius_sync_lease = token, helius_sync_lease_until = pg_catalog.now() + lease_for
   where coalesce(helius_sync_lease_until, '-infinity') <= pg_catalog.now()
     and coalesce(helius_sync_next_attempt_at, '-infinity') <= pg_catalog.now()
     and delivery_mode = 'webhook'
     and exists (select 1 from walltrack.wallets where helius_sync_status in ('pending', 'error'));
  if found then
    return pg_catalog.jsonb_build_object('claimed', true, 'lease', token, 'plan', walltrack.helius_sync_plan());
  end if;
  select * into state from walltrack.config;
  pending := exists (select 1 from walltrack.wallets where helius_sync_status in ('pending', 'error'));
  return pg_catalog.jsonb_build_object(
    'claimed', false,
    'reason', case when state.delivery_mode = 'poll' then 'poll_mode'
                   when not pending then 'nothing_pending'
                   when state.helius_sync_lease_until > pg_catalog.now() then 'running'
                   else 'backing_off' end,
    'failures', state.helius_sync_failures,
    'next_attempt_at', state.helius_sync_next_attempt_at);
end;
$$;
comment on function walltrack.claim_helius_sync(interval) is
  'Claims the single-flight lease of the Helius sync when a wallet is pending, no sync runs, no backoff holds and the delivery mode is webhook; returns the lease and the plan, or why not (poll_mode, nothing_pending, running, backing_off).';

create or replace function walltrack.sync_helius_addresses()
returns bigint
language plpgsql
set search_path = ''
as $$
begin
  if not exists (select 1 from walltrack.wallets where helius_sync_status in ('pending', 'error'))
     or exists (select 1 from walltrack.config
                 where helius_sync_next_attempt_at > pg_catalog.now() or helius_sync_lease_until > pg_catalog.now()
                    or delivery_mode = 'poll') then
    return null;
  end if;
  return walltrack.invoke_edge_function('helius-sync', '{"source": "cron"}'::jsonb);
end;
$$;
comment on function walltrack.sync_helius_addresses() is
  'pg_cron job (every 5 minutes): asks the helius-sync function to push the watchlist when a wallet is pending (or its last sync failed), unless a sync runs, its backoff holds or the delivery mode is poll.';

-- Rollback:
-- drop function walltrack.capture_status(), walltrack.set_delivery_mode(text, integer, integer),
--   walltrack.reconcile_capture(), walltrack.finish_capture_run(uuid, jsonb), walltrack.refresh_capture_rates(),
--   walltrack.record_recovered_transactions(jsonb, jsonb, text[], text), walltrack.capture_missing_signatures(text[]),
--   walltrack.claim_capture_run(interval), walltrack.capture_backoff(integer, integer), walltrack.capture_interval();
-- drop trigger wallets_start_capture_cursor on walltrack.wallets; drop function walltrack.start_capture_cursor();
-- drop table walltrack.fetched_transactions, walltrack.capture_cursors;
-- alter table walltrack.performance drop column signals_webhook_30d, drop column signals_recovered_30d,
--   drop column signals_polled_30d, drop column capture_rate_percent, drop column capture_calculated_at;
-- alter table walltrack.config drop column delivery_mode, ... (the capture_* columns);
-- alter table walltrack.signals drop column delivery; and the two helius sync functions from 20261205100000.
