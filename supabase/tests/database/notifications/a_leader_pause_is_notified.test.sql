-- A pause event of walltrack.leader_pause_events writes one leader_paused notification naming the
-- leader, its reason and its end (20261206150400); the unpause that ends it writes none.
begin;
create extension if not exists pgtap with schema extensions;
select plan(4);

select tests.lifecycle_wallet('NtP');
select walltrack.pause_leader(w.address, 30) from walltrack.wallets w where w.id = tests.lifecycle_wallet('NtP');
select is((select count(*)::int from walltrack.notifications where event_type = 'leader_paused'
            and details ->> 'wallet_id' = tests.lifecycle_wallet('NtP')::text), 1, 'a pause writes one leader_paused');
select is((select n.severity || '|' || n.title || '|' || (n.details ->> 'reason')
             from walltrack.notifications n where n.event_type = 'leader_paused' and n.details ->> 'wallet_id' = tests.lifecycle_wallet('NtP')::text),
          'important|Leader paused: test NtP|manual', 'important, naming the leader and the reason');
select is((select (n.details ->> 'paused_until')::timestamptz from walltrack.notifications n
            where n.event_type = 'leader_paused' and n.details ->> 'wallet_id' = tests.lifecycle_wallet('NtP')::text),
          (select pause_until from walltrack.leader_pause_events where wallet_id = tests.lifecycle_wallet('NtP') and event_type = 'paused'),
          'with the end of the pause');

select walltrack.unpause_leader(w.address) from walltrack.wallets w where w.id = tests.lifecycle_wallet('NtP');
select is((select count(*)::int from walltrack.notifications where details ->> 'wallet_id' = tests.lifecycle_wallet('NtP')::text), 1,
          'the unpause writes nothing');

select * from finish();
rollback;
