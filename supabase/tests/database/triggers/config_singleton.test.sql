-- walltrack.config is a singleton: exactly one row, which can be updated but never duplicated,
-- deleted or truncated (for the owner too), and the unique index holds the line on its own.
begin;
create extension if not exists pgtap with schema extensions;
select plan(12);

select is((select count(*) from walltrack.config), 1::bigint, 'config has its one row');

select throws_ok(
  $$insert into walltrack.config default values$$,
  '23505',
  'config already exists: walltrack.config is a singleton; update the existing row',
  'a second config row is refused with the singleton message'
);

select throws_ok(
  $$insert into walltrack.config (capital_usd) values (20000)$$,
  '23505',
  'config already exists: walltrack.config is a singleton; update the existing row',
  'a second config row with its own values is refused too'
);

select throws_ok(
  $$delete from walltrack.config$$,
  '23001',
  'config cannot be deleted: walltrack.config is a singleton; update the existing row instead',
  'the config row cannot be deleted'
);

select throws_ok(
  $$truncate walltrack.config$$,
  '23001',
  'config cannot be deleted: walltrack.config is a singleton; update the existing row instead',
  'config cannot be truncated'
);

select throws_ok(
  $$truncate walltrack.config cascade$$,
  '23001',
  'config cannot be deleted: walltrack.config is a singleton; update the existing row instead',
  'config cannot be truncated with cascade either'
);

-- service_role, the application's role, gets the same answers.
set local role service_role;

select throws_ok(
  $$insert into walltrack.config default values$$,
  '23505',
  'config already exists: walltrack.config is a singleton; update the existing row',
  'service_role cannot add a second config row'
);

select throws_ok(
  $$delete from walltrack.config$$,
  '42501',
  'permission denied for table config',
  'service_role has no DELETE on config at all'
);

select lives_ok(
  $$update walltrack.config set risk_per_trade_percent = 4, holds_mock_data = false, live_trading_enabled = true$$,
  'service_role can update the row'
);

reset role;

select results_eq(
  $$select count(*), min(risk_per_trade_percent), bool_and(live_trading_enabled) from walltrack.config$$,
  $$values (1::bigint, 4::numeric, true)$$,
  'the update changed the one row in place'
);

-- Without the trigger, the unique index on a constant still refuses a second row (it is what
-- holds the singleton under concurrent inserts). The failed statement rolls the DISABLE back.
select throws_ok(
  $$alter table walltrack.config disable trigger config_singleton_insert;
    insert into walltrack.config default values$$,
  '23505',
  'duplicate key value violates unique constraint "uq_config_singleton"',
  'the unique index alone refuses a second row'
);

select is((select count(*) from walltrack.config), 1::bigint, 'config still has exactly one row');

select * from finish();
rollback;
