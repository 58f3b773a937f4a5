-- A wallet must be pushed to the Helius webhook (helius_sync_status pending, any old error
-- cleared) when it is added, activated, deactivated or re-addressed (trigger
-- wallets_mark_sync_pending), and only then: a label, mode, strategy or notes change, writing
-- is_active without changing it, or the sync recording its own outcome leave the status alone.
begin;
create extension if not exists pgtap with schema extensions;
select plan(16);

-- Fixtures (temporary functions, gone at rollback). Test addresses are base58 and cannot clash
-- with real ones: 'TestCmd' + a tag (0 O I l, outside base58, become o o i L), padded with 'z'
-- to 44 characters for an address, 88 for a transaction signature.
create function pg_temp.addr(tag text) returns text
language sql immutable as $$ select rpad('TestCmd' || translate(tag, '0OIl', 'ooiL'), 44, 'z') $$;

create function pg_temp.sig(tag text) returns text
language sql immutable as $$ select rpad('TestCmdSig' || translate(tag, '0OIl', 'ooiL'), 88, 'z') $$;

-- Wallet 'Wa<tag>', labelled 'test <tag>', following the named template; returns its id.
create function pg_temp.wallet(tag text, active boolean default true, strategy_name text default 'Default')
returns uuid
language sql as $$
  insert into walltrack.wallets (address, label, is_active, exit_strategy_id)
  select pg_temp.addr('Wa' || tag), 'test ' || tag, active, id from walltrack.exit_strategies where name = strategy_name
  returning id
$$;

-- The id of wallet 'Wa<tag>'.
create function pg_temp.wid(tag text) returns uuid
language sql stable as $$ select id from walltrack.wallets where address = pg_temp.addr('Wa' || tag) $$;

-- The wallet's Helius sync status.
create function pg_temp.sync_status(tag text) returns text
language sql stable as $$ select helius_sync_status from walltrack.wallets where address = pg_temp.addr('Wa' || tag) $$;

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- The sync pushed the wallet: synced (what walltrack.record_helius_sync writes).
create function pg_temp.synced(tag text) returns void
language sql as $$
  update walltrack.wallets set helius_sync_status = 'synced', helius_synced_at = now(), helius_sync_error = null
  where address = pg_temp.addr('Wa' || tag)
$$;

insert into walltrack.wallets (address, label, exit_strategy_id, helius_sync_status, helius_synced_at)
select pg_temp.addr('WaSync'), 'test Sync', id, 'synced', now() from walltrack.exit_strategies where name = 'Default';
select is(pg_temp.sync_status('Sync'), 'pending', 'a wallet added is pending, even written as synced');

select pg_temp.synced('Sync');
select is(pg_temp.sync_status('Sync'), 'synced', 'recording the sync''s outcome does not make it pending again');

update walltrack.wallets set label = 'test Sync renamed' where address = pg_temp.addr('WaSync');
select is(pg_temp.sync_status('Sync'), 'synced', 'a label change: still synced');
update walltrack.wallets set mode = 'live', discovery_notes = 'promoted'
where address = pg_temp.addr('WaSync');
select is(pg_temp.sync_status('Sync'), 'synced', 'a mode or notes change: still synced');
update walltrack.wallets set exit_strategy_id = (select id from walltrack.exit_strategies where name = 'Aggressive')
where address = pg_temp.addr('WaSync');
select is(pg_temp.sync_status('Sync'), 'synced', 'a strategy change: still synced');
update walltrack.wallets set is_active = true where address = pg_temp.addr('WaSync');
select is(pg_temp.sync_status('Sync'), 'synced', 'is_active written but unchanged: still synced');

update walltrack.wallets set is_active = false where address = pg_temp.addr('WaSync');
select is(pg_temp.sync_status('Sync'), 'pending', 'deactivated: pending (its address must leave the webhook)');

select pg_temp.synced('Sync');
update walltrack.wallets set is_active = true where address = pg_temp.addr('WaSync');
select is(pg_temp.sync_status('Sync'), 'pending', 'activated again: pending');

-- A failed sync, then a change: pending again, the old error cleared.
update walltrack.wallets set helius_sync_status = 'error', helius_sync_error = 'Helius: 500'
where address = pg_temp.addr('WaSync');
update walltrack.wallets set label = 'test Sync again' where address = pg_temp.addr('WaSync');
select is(pg_temp.sync_status('Sync'), 'error', 'an error stays an error through a label change');
update walltrack.wallets set is_active = false where address = pg_temp.addr('WaSync');
select results_eq(
  $$select helius_sync_status, helius_sync_error from walltrack.wallets where address = pg_temp.addr('WaSync')$$,
  $$values ('pending'::text, null::text)$$,
  'deactivating a wallet in error: pending, the old error cleared');

select pg_temp.synced('Sync');
update walltrack.wallets set address = pg_temp.addr('WaSyncMoved') where address = pg_temp.addr('WaSync');
select is(pg_temp.sync_status('SyncMoved'), 'pending', 're-addressed: pending');

-- Through the operator's commands.
do $$ begin perform walltrack.add_wallet(pg_temp.addr('WaCli')); end $$;
select is(pg_temp.sync_status('Cli'), 'pending', 'add_wallet: pending');
select pg_temp.synced('Cli');
do $$ begin perform walltrack.set_wallet_mode(pg_temp.addr('WaCli'), 'live'); end $$;
do $$ begin perform walltrack.set_wallet_strategy(pg_temp.addr('WaCli'), 'Conservative'); end $$;
select is(pg_temp.sync_status('Cli'), 'synced', 'set_wallet_mode and set_wallet_strategy: still synced');
do $$ begin perform walltrack.set_wallet_active(pg_temp.addr('WaCli'), false); end $$;
select is(pg_temp.sync_status('Cli'), 'pending', 'set_wallet_active false: pending');
select pg_temp.synced('Cli');
do $$ begin perform walltrack.set_wallet_active(pg_temp.addr('WaCli'), false); end $$;
select is(pg_temp.sync_status('Cli'), 'synced', 'set_wallet_active false on an inactive wallet: no change, still synced');
do $$ begin perform walltrack.set_wallet_active(pg_temp.addr('WaCli'), true); end $$;
select is(pg_temp.sync_status('Cli'), 'pending', 'set_wallet_active true: pending');

select * from finish();
rollback;
