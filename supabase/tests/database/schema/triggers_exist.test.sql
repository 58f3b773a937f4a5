-- Every walltrack trigger exists, fires when designed (BEFORE or AFTER, on which events and
-- condition, per row or per statement), calls the designed function, and is enabled.
begin;
create extension if not exists pgtap with schema extensions;
select plan(27);

create temp table expected_triggers (
  table_name name not null,
  trigger_name name not null,
  definition text not null
);

insert into expected_triggers (table_name, trigger_name, definition) values
  ('config', 'config_set_updated_at',
   'CREATE TRIGGER config_set_updated_at BEFORE UPDATE ON walltrack.config FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('config', 'config_singleton_delete',
   'CREATE TRIGGER config_singleton_delete BEFORE DELETE ON walltrack.config FOR EACH ROW EXECUTE FUNCTION walltrack.enforce_config_singleton()'),
  ('config', 'config_singleton_insert',
   'CREATE TRIGGER config_singleton_insert BEFORE INSERT ON walltrack.config FOR EACH ROW EXECUTE FUNCTION walltrack.enforce_config_singleton()'),
  ('config', 'config_singleton_truncate',
   'CREATE TRIGGER config_singleton_truncate BEFORE TRUNCATE ON walltrack.config FOR EACH STATEMENT EXECUTE FUNCTION walltrack.enforce_config_singleton()'),
  ('exit_strategies', 'exit_strategies_set_updated_at',
   'CREATE TRIGGER exit_strategies_set_updated_at BEFORE UPDATE ON walltrack.exit_strategies FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('wallets', 'wallets_set_updated_at',
   'CREATE TRIGGER wallets_set_updated_at BEFORE UPDATE ON walltrack.wallets FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('tokens', 'tokens_set_updated_at',
   'CREATE TRIGGER tokens_set_updated_at BEFORE UPDATE ON walltrack.tokens FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('signals', 'signals_protect_facts',
   'CREATE TRIGGER signals_protect_facts BEFORE UPDATE ON walltrack.signals FOR EACH ROW EXECUTE FUNCTION walltrack.protect_signal_facts()'),
  ('signals', 'signals_set_updated_at',
   'CREATE TRIGGER signals_set_updated_at BEFORE UPDATE ON walltrack.signals FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('orders', 'orders_apply_entry_fill',
   'CREATE TRIGGER orders_apply_entry_fill AFTER INSERT OR UPDATE OF status ON walltrack.orders FOR EACH ROW WHEN (((new.order_type = ''entry''::text) AND (new.status = ''executed''::text))) EXECUTE FUNCTION walltrack.apply_entry_fill()'),
  ('orders', 'orders_set_execution_duration',
   'CREATE TRIGGER orders_set_execution_duration BEFORE INSERT OR UPDATE ON walltrack.orders FOR EACH ROW EXECUTE FUNCTION walltrack.set_order_execution_duration()'),
  ('orders', 'orders_set_updated_at',
   'CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON walltrack.orders FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('positions', 'positions_recompute_pnl',
   'CREATE TRIGGER positions_recompute_pnl BEFORE INSERT OR UPDATE ON walltrack.positions FOR EACH ROW EXECUTE FUNCTION walltrack.recompute_position_pnl()'),
  ('positions', 'positions_set_updated_at',
   'CREATE TRIGGER positions_set_updated_at BEFORE UPDATE ON walltrack.positions FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('performance', 'performance_set_updated_at',
   'CREATE TRIGGER performance_set_updated_at BEFORE UPDATE ON walltrack.performance FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('circuit_breaker_events', 'circuit_breaker_events_append_only',
   'CREATE TRIGGER circuit_breaker_events_append_only BEFORE DELETE OR UPDATE ON walltrack.circuit_breaker_events FOR EACH ROW EXECUTE FUNCTION walltrack.protect_circuit_breaker_events()'),
  ('circuit_breaker_events', 'circuit_breaker_events_set_updated_at',
   'CREATE TRIGGER circuit_breaker_events_set_updated_at BEFORE UPDATE ON walltrack.circuit_breaker_events FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()');

select triggers_are(
  'walltrack', table_name, array_agg(trigger_name),
  format('walltrack.%s has exactly the designed triggers', table_name)
)
from expected_triggers
group by table_name
order by table_name;

select is(
  (select pg_catalog.pg_get_triggerdef(t.oid)
   from pg_catalog.pg_trigger t
   where t.tgrelid = to_regclass('walltrack.' || e.table_name)
     and t.tgname = e.trigger_name),
  e.definition,
  format('trigger %s on walltrack.%s is defined as designed', e.trigger_name, e.table_name)
)
from expected_triggers e
order by e.table_name, e.trigger_name;

select is(
  array(
    select format('%s.%s', c.relname, t.tgname)
    from pg_catalog.pg_trigger t
    join pg_catalog.pg_class c on c.oid = t.tgrelid
    where c.relnamespace = 'walltrack'::regnamespace
      and not t.tgisinternal
      and t.tgenabled <> 'O'
    order by 1
  ),
  '{}'::text[],
  'every walltrack trigger is enabled'
);

select * from finish();
rollback;
