-- The mock data marks its database (config.holds_mock_data): from it no live order is ever sent
-- (recording a live submission is refused, so the executor never reaches the send) and the live
-- switch cannot be turned on. A database without the mark records the same submission.
begin;
create extension if not exists pgtap with schema extensions;
select plan(5);

select ok((select holds_mock_data from walltrack.config), 'the seed marks its database as holding mock data');

select throws_like(
  $$ update walltrack.orders set status = 'submitted', tx_signature = repeat('5', 88)
      where id = (select id from walltrack.orders where mode = 'live' and status = 'pending' limit 1) $$,
  'mock data never trades live%',
  'a live submission of a seeded order is refused');

select throws_like(
  $$ update walltrack.config set live_trading_enabled = true $$,
  '%config_mock_data_never_live%',
  'the live switch cannot be turned on over mock data');

update walltrack.config set holds_mock_data = false;
select lives_ok(
  $$ update walltrack.orders set status = 'submitted', tx_signature = repeat('5', 88)
      where id = (select id from walltrack.orders where mode = 'live' and status = 'pending' limit 1) $$,
  'without the mark the same submission is recorded');
select is((select count(*)::integer from walltrack.orders where tx_signature = repeat('5', 88)), 1,
  'and the order holds its signature');

select * from finish();
rollback;
