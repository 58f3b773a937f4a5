-- A wallet must be pushed to the Helius webhook (helius_sync_status pending, any old error
-- cleared) when it is added, activated, deactivated or re-addressed (trigger
-- wallets_mark_sync_pending), and only then: a label, mode, strategy or notes change, writing
-- is_active without changing it, or the sync recording its own outcome leave the status alone.
begin;
create extension if not exists pgtap with schema extensions;
select plan(16);

-- Fixtures: tests.operations_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- The temporary functions below are this test's own (gone at rollback).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- The sync pushed the wallet: synced (what walltrack.record_helius_sync writes).
create function pg_temp.synced(tag text) returns void
language sql as $$
  update walltrack.wallets set helius_sync_status = 'synced', helius_synced_at = now(), helius_sync_error = null
  where address = tests.addr('Wa' || tag)
$$;

insert into walltrack.wallets (address, label, exit_strategy_id, helius_sync_status, helius_synced_at)
select tests.addr('WaSync'), 'test Sync', id, 'synced', now() from walltrack.exit_strategies where name = 'Default';
select is(tests.operations_sync_status('Sync'), 'pending', 'a wallet added is pending, even written as synced');

select pg_temp.synced('Sync');
select is(tests.operations_sync_status('Sync'), 'synced', 'recording the sync''s outcome does not make it pending again');

update walltrack.wallets set label = 'test Sync renamed' where address = tests.addr('WaSync');
select is(tests.operations_sync_status('Sync'), 'synced', 'a label change: still synced');
update walltrack.wallets set mode = 'live', discovery_notes = 'promoted'
where address = tests.addr('WaSync');
select is(tests.operations_sync_status('Sync'), 'synced', 'a mode or notes change: still synced');
update walltrack.wallets set exit_strategy_id = (select id from walltrack.exit_strategies where name = 'Aggressive')
where address = tests.addr('WaSync');
select is(tests.operations_sync_status('Sync'), 'synced', 'a strategy change: still synced');
update walltrack.wallets set is_active = true where address = tests.addr('WaSync');
select is(tests.operations_sync_status('Sync'), 'synced', 'is_active written but unchanged: still synced');

update walltrack.wallets set is_active = false where address = tests.addr('WaSync');
select is(tests.operations_sync_status('Sync'), 'pending', 'deactivated: pending (its address must leave the webhook)');

select pg_temp.synced('Sync');
update walltrack.wallets set is_active = true where address = tests.addr('WaSync');
select is(tests.operations_sync_status('Sync'), 'pending', 'activated again: pending');

-- A failed sync, then a change: pending again, the old error cleared.
update walltrack.wallets set helius_sync_status = 'error', helius_sync_error = 'Helius: 500'
where address = tests.addr('WaSync');
update walltrack.wallets set label = 'test Sync again' where address = tests.addr('WaSync');
select is(tests.operations_sync_status('Sync'), 'error', 'an error stays an error through a label change');
update walltrack.wallets set is_active = false where address = tests.addr('WaSync');
select results_eq(
  $$select helius_sync_status, helius_sync_error from walltrack.wallets where address = tests.addr('WaSync')$$,
  $$values ('pending'::text, null::text)$$,
  'deactivating a wallet in error: pending, the old error cleared');

select pg_temp.synced('Sync');
update walltrack.wallets set address = tests.addr('WaSyncMoved') where address = tests.addr('WaSync');
select is(tests.operations_sync_status('SyncMoved'), 'pending', 're-addressed: pending');

-- Through the operator's commands.
do $$ begin perform walltrack.add_wallet(tests.addr('WaCli')); end $$;
select is(tests.operations_sync_status('Cli'), 'pending', 'add_wallet: pending');
select pg_temp.synced('Cli');
do $$ begin perform walltrack.set_wallet_mode(tests.addr('WaCli'), 'live'); end $$;
do $$ begin perform walltrack.set_wallet_strategy(tests.addr('WaCli'), 'Conservative'); end $$;
select is(tests.operations_sync_status('Cli'), 'synced', 'set_wallet_mode and set_wallet_strategy: still synced');
do $$ begin perform walltrack.set_wallet_active(tests.addr('WaCli'), false); end $$;
select is(tests.operations_sync_status('Cli'), 'pending', 'set_wallet_active false: pending');
select pg_temp.synced('Cli');
do $$ begin perform walltrack.set_wallet_active(tests.addr('WaCli'), false); end $$;
select is(tests.operations_sync_status('Cli'), 'synced', 'set_wallet_active false on an inactive wallet: no change, still synced');
do $$ begin perform walltrack.set_wallet_active(tests.addr('WaCli'), true); end $$;
select is(tests.operations_sync_status('Cli'), 'pending', 'set_wallet_active true: pending');

select * from finish();
rollback;
