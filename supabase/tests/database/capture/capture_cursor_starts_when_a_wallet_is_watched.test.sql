-- A wallet's capture cursor starts when it starts being watched: added active, or activated. Its
-- history before then was never the webhook's to deliver, so it is not walked back as missed
-- trades; a deactivated period is not either (activation starts the cursor afresh). A wallet added
-- inactive has no cursor until it is activated; deactivation keeps the cursor as it stands.
begin;
create extension if not exists pgtap with schema extensions;
select plan(7);

-- Fixtures: tests.operations_* from 000_test_helpers.test.sql (addresses tests.addr, signatures tests.sig).
do $$ begin perform tests.operations_wallet('Watched'); perform tests.operations_wallet('Asleep', false); end $$;

select results_eq($$select watch_since, last_signature::text, checked_at from walltrack.capture_cursors where wallet_id = tests.operations_wid('Watched')$$,
  $$values (now(), null::text, null::timestamptz)$$, 'added active: watched from now, nothing reconciled yet');
select is_empty($$select 1 from walltrack.capture_cursors where wallet_id = tests.operations_wid('Asleep')$$, 'added inactive: no cursor');

update walltrack.capture_cursors set watch_since = now() - interval '1 day', last_signature = tests.sig('Seen'),
  walk_top_signature = tests.sig('Top'), walk_before_signature = tests.sig('Before'), checked_at = now() - interval '1 minute',
  last_error = 'helius: timeout' where wallet_id = tests.operations_wid('Watched');
update walltrack.wallets set is_active = false where id = tests.operations_wid('Watched');
select is((select last_signature::text from walltrack.capture_cursors where wallet_id = tests.operations_wid('Watched')), tests.sig('Seen'),
  'deactivated: the cursor stays as it stands');
update walltrack.wallets set label = 'renamed' where id = tests.operations_wid('Watched');
select is((select last_signature::text from walltrack.capture_cursors where wallet_id = tests.operations_wid('Watched')), tests.sig('Seen'),
  'another change of an inactive wallet leaves it too');

update walltrack.wallets set is_active = true where id = tests.operations_wid('Watched');
select results_eq($$select watch_since, last_signature::text, walk_top_signature::text, walk_before_signature::text, checked_at, last_error
                    from walltrack.capture_cursors where wallet_id = tests.operations_wid('Watched')$$,
  $$values (now(), null::text, null::text, null::text, null::timestamptz, null::text)$$,
  'activated again: watched afresh from now, the inactive period not walked back');
update walltrack.wallets set is_active = true where id = tests.operations_wid('Asleep');
select is((select watch_since from walltrack.capture_cursors where wallet_id = tests.operations_wid('Asleep')), now(),
  'the wallet added inactive gets its cursor when activated');
delete from walltrack.wallets where id = tests.operations_wid('Asleep');
select is_empty($$select 1 from walltrack.capture_cursors where wallet_id = tests.operations_wid('Asleep')$$, 'a wallet deleted takes its cursor with it');

select * from finish();
rollback;
