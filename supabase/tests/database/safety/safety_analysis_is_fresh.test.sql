-- The token safety cache's one freshness rule (walltrack.safety_analysis_is_fresh): an analysis
-- counts for config.token_cache_ttl_minutes, up to and including its last minute; one never made
-- is never fresh. The BUY filter asks at the decision (safety_check_unavailable otherwise); what to
-- fetch before a batch asks a minute ahead (analyses_about_to_expire_are_fetched_first).
begin;
create extension if not exists pgtap with schema extensions;
select plan(7);

update walltrack.config set token_cache_ttl_minutes = 60;

select is(walltrack.safety_analysis_is_fresh(now() - interval '59 minutes'), true, 'made 59 minutes ago: fresh');
select is(walltrack.safety_analysis_is_fresh(now() - interval '60 minutes'), true, 'made exactly 60 minutes ago: still fresh');
select is(walltrack.safety_analysis_is_fresh(now() - interval '60 minutes 1 second'), false, 'a second older: stale');
select is(walltrack.safety_analysis_is_fresh(null), false, 'never analyzed: not fresh');
select is(walltrack.safety_analysis_is_fresh(now() - interval '59 minutes 30 seconds', now() + interval '1 minute'), false,
  'asked a minute ahead, an analysis expiring within that minute is stale');

update walltrack.config set token_cache_ttl_minutes = 120;
select is(walltrack.safety_analysis_is_fresh(now() - interval '61 minutes'), true, 'the TTL is config''s: 61 minutes under 120');
select is(walltrack.safety_analysis_is_fresh(now() - interval '121 minutes'), false, 'and 121 minutes over it');

select * from finish();
rollback;
