-- net.http_post and net.http_get (pg_net on Supabase, the stand-in on the embedded stack) queue a
-- request and return its id; the delivery itself is proven by tests/integration/pg_net_delivers.
begin;
create extension if not exists pgtap with schema extensions;
select plan(4);

select has_function('net', 'http_post', array['text', 'jsonb', 'jsonb', 'jsonb', 'integer'],
  'net.http_post has pg_net''s signature');
select has_function('net', 'http_get', array['text', 'jsonb', 'jsonb', 'integer'],
  'net.http_get has pg_net''s signature');

create temporary table queued on commit drop as
  select net.http_post('http://127.0.0.1:9/never-called', '{"probe": true}'::jsonb) as id;
select isnt((select id from queued), null::bigint, 'http_post returns a request id');
select is(
  (select url from net.http_request_queue where id = (select id from queued)),
  'http://127.0.0.1:9/never-called',
  'the request waits in net.http_request_queue');

select * from finish();
rollback;
