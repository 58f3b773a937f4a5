-- Every walltrack function pins search_path to '' (pg_proc.proconfig), so no object in a
-- caller's search_path can stand in for the ones it names (all schema-qualified).
begin;
create extension if not exists pgtap with schema extensions;
select plan(71);

select is(
  (select p.proconfig from pg_catalog.pg_proc p where p.oid = to_regprocedure(signature)),
  array['search_path=""'],
  format('%s runs with search_path = ''''', signature)
)
from unnest(array[
  'walltrack.set_updated_at()',
  'walltrack.enforce_config_singleton()',
  'walltrack.scaling_levels_are_valid(jsonb)',
  'walltrack.protect_signal_facts()',
  'walltrack.set_order_execution_duration()',
  'walltrack.recompute_position_pnl()',
  'walltrack.protect_circuit_breaker_events()',
  'walltrack.score_token(numeric, numeric, boolean, boolean, boolean, integer, numeric, boolean)',
  'walltrack.store_token_analyses(jsonb)',
  'walltrack.record_signals(jsonb)',
  'walltrack.is_quote_like(text)',
  'walltrack.token_pair_reading_kept(text, text, text)',
  'walltrack.signal_quote_mint(walltrack.signals)',
  'walltrack.quote_usd(walltrack.signals, numeric)',
  'walltrack.price_quote_assets(jsonb)',
  'walltrack.apply_entry_fill()',
  'walltrack.effective_exit_strategy(uuid, jsonb)',
  'walltrack.signal_processing_needs(uuid[])',
  'walltrack.open_exposure()',
  'walltrack.process_signals(uuid[], numeric, text, integer)',
  'walltrack.invoke_edge_function(text, jsonb)',
  'walltrack.sweep_unprocessed_signals(interval)',
  'walltrack.schedule_jobs()',
  'walltrack.enforce_order_status_transition()',
  'walltrack.swap_in_doubt(text, text)',
  'walltrack.exit_reason_of(text)',
  'walltrack.apply_exit_fill()',
  'walltrack.position_strategy(walltrack.positions)',
  'walltrack.evaluate_exits()',
  'walltrack.close_position_manually(uuid)',
  'walltrack.claim_orders(integer, interval)',
  'walltrack.fill_simulated_orders(uuid[])',
  'walltrack.record_order_submission(uuid, jsonb)',
  'walltrack.record_order_fill(uuid, jsonb)',
  'walltrack.defer_order(uuid, text, text, integer, timestamptz)',
  'walltrack.record_order_failure(uuid, text, text, integer, boolean, timestamptz)',
  'walltrack.kick_order_executor()',
  'walltrack.sweep_pending_orders()',
  'walltrack.open_position_tokens()',
  'walltrack.apply_prices(jsonb, numeric)',
  'walltrack.monitor_prices()',
  'walltrack.circuit_breaker_metrics(text)',
  'walltrack.sync_circuit_breaker_config()',
  'walltrack.deactivate_circuit_breaker(text, text)',
  'walltrack.reset_circuit_breaker()',
  'walltrack.activate_circuit_breaker(text, text)',
  'walltrack.circuit_breaker_blocks(text)',
  'walltrack.evaluate_circuit_breaker(text)',
  'walltrack.evaluate_circuit_breakers()',
  'walltrack.median(numeric[])',
  'walltrack.claim_priority(text, text)',
  'walltrack.reevaluate_stale_exits()',
  'walltrack.stuck_positions()',
  'walltrack.price_refusal_reason(text)',
  'walltrack.sane_usd_price(text)',
  'walltrack.price_jump(numeric, numeric, numeric)',
  'walltrack.evaluate_circuit_breaker_on_close()',
  'walltrack.refresh_performance()',
  'walltrack.mark_wallet_sync_pending()',
  'walltrack.helius_sync_plan()',
  'walltrack.record_helius_sync(jsonb)',
  'walltrack.sync_helius_addresses()',
  'walltrack.add_wallet(text, text, text, text, text, text)',
  'walltrack.find_wallet(text)',
  'walltrack.set_wallet_active(text, boolean)',
  'walltrack.set_wallet_mode(text, text)',
  'walltrack.set_wallet_strategy(text, text)',
  'walltrack.override_position_strategy(uuid, jsonb)',
  'walltrack.status_core()',
  'walltrack.status_summary()'
]) as f(signature)
order by signature;

select is(
  array(
    select p.oid::regprocedure::text
    from pg_catalog.pg_proc p
    where p.pronamespace = 'walltrack'::regnamespace
      and not coalesce(p.proconfig @> array['search_path=""'], false)
    order by 1
  ),
  '{}'::text[],
  'no walltrack function runs without search_path = '''''
);

select * from finish();
rollback;
