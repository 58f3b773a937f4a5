-- An analysis that would expire while the batch is processed is fetched again first, so the
-- decision does not find it stale and filter the signal safety_check_unavailable.
begin;
create extension if not exists pgtap with schema extensions;
select plan(2);
set local client_min_messages = error;

insert into walltrack.wallets (address, exit_strategy_id)
select 'ExpiringWa11et11111111111111111111111111111', id from walltrack.exit_strategies where is_default;
insert into walltrack.tokens (address, safety_score, last_analyzed_at, analysis_source)
values ('ExpiringToken11111111111111111111111111111', 0.75,
        now() - (select make_interval(mins => token_cache_ttl_minutes) from walltrack.config) + interval '20 seconds', 'rugcheck'),
       ('FreshToken1111111111111111111111111111111', 0.75, now(), 'rugcheck');
insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                               amount_in, amount_out, price, raw_payload)
select w.id, t.address, rpad('ExpiringSig' || t.address, 88, 'z'), 'BUY', 'So11111111111111111111111111111111111111112',
       t.address, 1, 100, 0.01, '{}'
from walltrack.wallets w, (values ('ExpiringToken11111111111111111111111111111'), ('FreshToken1111111111111111111111111111111')) t(address)
where w.address = 'ExpiringWa11et11111111111111111111111111111';

select ok(walltrack.signal_processing_needs(array(select id from walltrack.signals where transaction_signature like 'ExpiringSig%'))
            -> 'stale_tokens' ? 'ExpiringToken11111111111111111111111111111',
          'an analysis expiring within the next minute is listed for refreshing');
select ok(not (walltrack.signal_processing_needs(array(select id from walltrack.signals where transaction_signature like 'ExpiringSig%'))
            -> 'stale_tokens' ? 'FreshToken1111111111111111111111111111111'),
          'a fresh one is not');

select * from finish();
rollback;
