-- The per-leader caps (walltrack.leader_risk_reason, called by the BUY filter after the global
-- exposure limit): a BUY is filtered leader_max_positions when its leader already has its cap of
-- open positions, and leader_exposure_limit when it would take the USD committed to that leader
-- above its cap (reaching it exactly is allowed). A wallet's own cap wins over config's; with
-- neither, there is no cap. A duplicate is still a duplicate first.
begin;
create extension if not exists pgtap with schema extensions;
select plan(11);

set local client_min_messages = error;
do $$ begin perform tests.signals_neutral_config(); end $$;

-- Every BUY here is sized 10000 x 5 % = 500.00 USD. leader_exposure counts what walltrack.open_exposure
-- counts for the book, for one leader: the filled cost, or the intended size of a pending entry.
do $$
begin
  perform tests.signals_wallet('Cap');
  perform tests.signals_wallet('Free');
  -- A live leader: its pending entries commit their intended size, 500.00 exactly.
  perform tests.signals_wallet('Usd', wallet_mode => 'live');
  perform walltrack.set_leader_limits(tests.addr('WaUsd'), '{"max_exposure_usd": 1000}');
  perform tests.signals_token('A');
  perform tests.signals_token('B');
  perform tests.signals_token('C');
  perform tests.signals_token('D');
  perform tests.signals_token('E');
  perform walltrack.set_leader_limits(tests.addr('WaCap'), '{"max_open_positions": 1}');
  perform tests.signals_signal('BUY', 'Cap', 'A', 'CapA', block_age_seconds => 30);
  perform tests.signals_signal('BUY', 'Cap', 'B', 'CapB', block_age_seconds => 25);
  perform tests.signals_signal('BUY', 'Cap', 'A', 'CapA2', block_age_seconds => 20);
  perform tests.signals_signal('BUY', 'Free', 'B', 'FreeB', block_age_seconds => 15);
  perform tests.signals_signal('BUY', 'Usd', 'A', 'UsdA', block_age_seconds => 12);
  perform tests.signals_signal('BUY', 'Usd', 'B', 'UsdB', block_age_seconds => 11);
  perform tests.signals_signal('BUY', 'Usd', 'C', 'UsdC', block_age_seconds => 10);
end
$$;
create temp table summary as
  select tests.signals_process(array['CapA', 'CapB', 'CapA2', 'FreeB']) as result;

select is(tests.signals_outcome('CapA'), 'opened', 'a leader capped at one open position: its first BUY opens');
select is(tests.signals_outcome('CapB'), 'leader_max_positions', 'its second BUY, at the cap: leader_max_positions');
select is(tests.signals_outcome('CapA2'), 'duplicate', 'a second BUY of the token it holds is still a duplicate first');
select is(tests.signals_outcome('FreeB'), 'opened', 'a leader without a cap (nor one in config) is not limited');
select is((select result -> 'filtered' from summary),
  '{"duplicate": 1, "leader_max_positions": 1}'::jsonb, 'the summary counts each');
create temp table usd_summary as select tests.signals_process(array['UsdA', 'UsdB', 'UsdC']) as result;
select is(tests.signals_outcome('UsdA'), 'opened', 'a leader capped at 1,000 USD: 500 committed');
select is(tests.signals_outcome('UsdB'), 'opened', '1,000 committed reaches the cap exactly: allowed');
select is(tests.signals_outcome('UsdC'), 'leader_exposure_limit', '1,500 would exceed it: leader_exposure_limit');

-- config's default applies to a wallet with none of its own; the wallet's own cap wins over it.
update walltrack.config set leader_max_open_positions = 1;
do $$
begin
  perform tests.signals_signal('BUY', 'Free', 'C', 'FreeC');
  perform tests.signals_process(array['FreeC']);
  perform walltrack.set_leader_limits(tests.addr('WaFree'), '{"max_open_positions": 5}');
  perform tests.signals_signal('BUY', 'Free', 'D', 'FreeD');
  perform tests.signals_process(array['FreeD']);
  -- Back on the config default (a key set to null).
  perform walltrack.set_leader_limits(tests.addr('WaFree'), '{"max_open_positions": null}');
  perform tests.signals_signal('BUY', 'Free', 'E', 'FreeE');
  perform tests.signals_process(array['FreeE']);
end
$$;
select is(tests.signals_outcome('FreeC'), 'leader_max_positions', 'config''s leader_max_open_positions (1) caps a wallet without its own');
select is(tests.signals_outcome('FreeD'), 'opened', 'its own cap of 5 wins over config''s 1');
select is(tests.signals_outcome('FreeE'), 'leader_max_positions', 'set back to null, config''s cap applies again');

select * from finish();
rollback;
