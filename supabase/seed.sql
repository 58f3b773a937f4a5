-- WallTrack seed: story 1.1's mock data, one coherent month of copy trading to look at and test.
--
-- Mock data, never the operator's book: a real stack starts empty ([db.seed] is off in
-- config.toml). The tests and `npm run db:mock` load it (`supabase db reset --sql-paths
-- ./seed.sql`), after the migrations, in one transaction. It first marks the database as holding
-- mock data, so none of its orders is ever sent live (walltrack.refuse_live_send_of_mock_data). The migrations already
-- hold the config singleton and the Default, Conservative and Aggressive exit strategies; this
-- file adds the rest and finds strategies by name. Every event time is an interval back from one
-- instant (seed_clock), so the data always lies in the last 30 days (signals in the last 7) and
-- every delay below is exact. supabase/tests/database/seed/ proves each claim made here.
--
-- Ids are literal so cross-references read plainly: 1... wallets, 2... tokens, 3... signals,
-- 4... positions, 5... orders, 6... performance, 7... circuit breaker events; the last digits are
-- the row number (s07 = 30000000-0000-4000-8000-000000000007, p07 = 4...07, o07 = 5...07).
--
-- Wallets (5)      mode        strategy      source    initial win rate
--   w1             simulation  Default       scanner   68.31 % of 142 trades
--   w2             simulation  Aggressive    twitter   72.41 % of  87
--   w3             simulation  Conservative  telegram  62.76 % of 196
--   w4             live        Default       manual    70.73 % of  41
--   w5             live        Aggressive    twitter   64.58 % of  48
--
-- Tokens (8): t1 BONK, t2 WIF, t3 JTO, t4 MYRO with their real mints, safety 0.75 (only the
-- holder check fails); t5 SDOGE 0.45, t6 PEPE 0.55, t7 FROGX 0.30, t8 MCAT 0.25 (made-up mints).
--
-- Signals (20, all BUY, all processed):
--   s01-s10  opened p01-p10 (signal N opened position N)
--   s11-s15  filtered safety_check_failed (t5 twice, t6, t7, t8)
--   s16-s18  filtered circuit_breaker (inside the breaker's window)
--   s19-s20  filtered duplicate (w3 already held JTO in p11, w1 already held MYRO in p07)
--
-- Positions (12), sized $500 unless noted (fixed_percent: 5 % of the $10,000 capital):
--   p01  w1 sim   BONK  closed  trailing_stop  +140.00  (+28 %)
--   p02  w2 sim   MYRO  closed  trailing_stop  +475.00  (+95 %)
--   p03  w3 sim   WIF   closed  stop_loss       -80.00  (-16 %)
--   p04  w4 live  MYRO  closed  stop_loss       -60     (-12 %; override stop 10 %; o13 failed first)
--   p05  w5 live  BONK  closed  manual         +125     (+25 %; o14 failed first)
--   p06  w4 live  WIF   closed  manual          +76     (+15.2 %)
--   p07  w1 sim   MYRO  open                    +40.00  (+8 %)
--   p08  w2 sim   BONK  open                    +44.00  (+8.8 %)
--   p09  w4 live  BONK  open                    +25.402 (+5.0804 %; override trailing 5 % from 1.1x)
--   p10  w5 live  JTO   open                    -21.484375 (-4.296875 %; override stop 4 %)
--   p11  w3 sim   JTO   open, opened by hand     -8     (-2 % of $400)
--   p12  w5 live  WIF   open, opened by hand     +3.75  (+1.5 % of $250)
--   4 wins and 2 losses closed; 3 simulation and 3 live positions open.
-- Simulated entries fill as walltrack.process_signals fills them: at the leader's USD price plus
-- config.simulation_slippage_percent (1 %), for $500 rounded to the token's decimals. Their
-- dollars are therefore exact but not round (p03 realized -79.999999988608); every exit and
-- current price is the entry price times a round factor, so every PnL percent is exact.
--
-- Orders (18):
--   o01-o06  executed entries of p01-p06          o07-o12  executed exits of p01-p06
--   o13      live stop loss of p04, failed 3/3    o14      live manual exit of p05, failed 3/3
--   o15-o18  pending exits of p07-p10, 1, 0, 2 and 1 retries spent
--
-- How the counts fit together. The story asks for 12 positions but only 10 position-creating
-- signals: p11 and p12 are positions the operator opened by hand (signal_id null), which is also
-- why they have no entry order (orders_entry_has_signal) and no orders at all yet. It also asks
-- for 12 executed orders, while 12 positions that all hold a fill would need 12 entry fills plus
-- at least 6 exit fills. The executed orders therefore go to the closed positions, whose
-- realized PnL is then provable from orders alone (entry fill, exit fill); the open positions
-- keep the entry fill on the position without an entry order. Pending and failed orders are
-- exits, never entries: a pending entry would leave an open position without PnL and a failed
-- entry would make a position 'error', and the story wants 6 open positions with PnL and 6
-- closed. The two failures are live exits that were re-sent and then filled (o13 -> o10, o14 ->
-- o11); the four pending exits sit on open positions and match their state (a manual close, a
-- 5 % trailing stop already crossed, a 4 % stop already crossed).
--
-- Circuit breaker: one pair. The operator paused entries by hand 3 days 12 h ago, after two stop
-- losses in a row (p03, p04); the 12 h unlock delay (circuit_breaker_unlock_minutes) ended it. s16-s18 fell inside the window
-- (new_positions_blocked = 3), no position opened in it, and p05, p11, p12 kept running (ADR-004).
-- Performance: one row per wallet, computed by walltrack.refresh_performance at the end.
--
-- How the numbers tie together. A closed position's realized PnL = sum of its executed exits
-- (amount x price_usd) minus amount x entry_price; exit_price is their amount-weighted price and
-- closed_at the last fill. An open position's unrealized PnL = current_amount x (current_price -
-- entry_price), computed by the trigger; open positions in one token share the monitor's price.
-- An entry order's fill is the position's entry (price, amount, time, live signature). Copy
-- quality on p01-p10 compares the entry with the signal's price_usd and block time.

update walltrack.config set holds_mock_data = true;

-- One whole-second instant every event time below is measured back from: the Helius block time
-- is whole seconds, and a single anchor keeps each delay written here exact.
create temporary table seed_clock as select date_trunc('second', now()) as at;

-- Wallets: the 5 copied wallets (3 simulation, 2 live; 2 Default, 1 Conservative, 2 Aggressive).
-- The discovery baseline (initial win rate of the observed trades) is what validated each wallet.
insert into walltrack.wallets (
  id, address, label, mode, exit_strategy_id, discovery_source, discovery_date, discovery_notes,
  initial_win_rate_percent, initial_trades_observed, helius_sync_status, helius_synced_at, created_at
)
select
  v.id::uuid, v.address, v.label, v.mode, s.id, v.discovery_source, c.at - v.discovered_ago::interval,
  v.discovery_notes, v.initial_win_rate_percent, v.initial_trades_observed, 'synced',
  c.at - v.synced_ago::interval, c.at - v.discovered_ago::interval
from (values
  -- w1: simulation, Default, 97 wins of 142 observed trades
  ('10000000-0000-4000-8000-000000000001', 'C1BL6E1R8wwB2jhkdcRkV18vX9ao63C16a4aDCCD8yhL', 'scanner: BONK/MYRO rotator',
   'simulation', 'Default', 'scanner', '29 days 06:12:00',
   'Found by the on-chain scanner: early on BONK and MYRO rotations, sizes 5-15 SOL.',
   68.31, 142, '29 days 06:07:23'),
  -- w2: simulation, Aggressive, 63 wins of 87 observed trades
  ('10000000-0000-4000-8000-000000000002', '3EDxgC9HgnvgQyQRUejyWUHa2FfmGyWnaXSXW8wjYepQ', 'CT caller (meme momentum)',
   'simulation', 'Aggressive', 'twitter', '28 days 11:40:00',
   'Posts entries on X before pumps; high win rate but holds through deep drawdowns.',
   72.41, 87, '28 days 11:35:23'),
  -- w3: simulation, Conservative, 123 wins of 196 observed trades
  ('10000000-0000-4000-8000-000000000003', '64CZ94TwwCYYz37TXDSYqJphY9PyErdxeCwjfZBqDtj8', 'TG alpha group whale',
   'simulation', 'Conservative', 'telegram', '27 days 04:05:00',
   'Shared in a Telegram alpha group; trades majors and fresh launches, small size.',
   62.76, 196, '27 days 04:00:23'),
  -- w4: live, Default, 29 wins of 41 observed trades
  ('10000000-0000-4000-8000-000000000004', 'GuY7uqP5RLGpeHi2z3fGBhgyoysWyfdp8XoYfntkLkxp', 'live: swing trader',
   'live', 'Default', 'manual', '26 days 00:30:00',
   'Followed in simulation first, then promoted to live after 41 observed trades.',
   70.73, 41, '26 days 00:25:23'),
  -- w5: live, Aggressive, 31 wins of 48 observed trades
  ('10000000-0000-4000-8000-000000000005', '6UWzU14AinmDm6rShBj5n53kcRHi4UA81xbHdiRXDWTz', 'live: high-conviction degen',
   'live', 'Aggressive', 'twitter', '25 days 17:50:00',
   'Few trades, large winners; live with the Aggressive template (mirror exit off).',
   64.58, 48, '25 days 17:45:23')
) as v (id, address, label, mode, strategy, discovery_source, discovered_ago, discovery_notes,
         initial_win_rate_percent, initial_trades_observed, synced_ago)
join walltrack.exit_strategies s on s.name = v.strategy
cross join seed_clock c;

-- A new wallet is pending until the Helius sync pushes it (walltrack.mark_wallet_sync_pending);
-- these five were pushed: record that sync as it happened, when the seed says.
update walltrack.wallets
set helius_sync_status = 'synced'
where helius_synced_at is not null and helius_sync_status = 'pending';

-- Tokens: the read-through cache, every row analyzed in the last 30 minutes (TTL is 60). The
-- checks and the safety score are walltrack.score_token's, from the measured values below and
-- the config thresholds and weights: liquidity 0.30 (>= $50,000), holders 0.25 (top 10 <= 30 %),
-- contract 0.30 (mint and freeze authority revoked, no dangerous extension, no transfer fee), age
-- 0.15 (>= 24 h since the first pool, at the analysis). The four real tokens fail only the holder
-- check (exchange and treasury wallets): 0.75. The four made-up pump.fun launches score 0.25-0.55.
insert into walltrack.tokens (
  id, address, symbol, name, decimals, safety_score, liquidity_usd, holder_distribution_top_10_percent,
  age_hours, is_mint_authority_revoked, is_freeze_authority_revoked, has_dangerous_extension,
  transfer_fee_bps, liquidity_check_passed, holder_check_passed, contract_check_passed,
  age_check_passed, last_analyzed_at, analysis_source, analysis_snapshot, dex_name, pair_address,
  first_pool_created_at, created_at
)
select
  v.id::uuid, v.address, v.symbol, v.name, v.decimals, s.safety_score, v.liquidity_usd, v.top_10_percent,
  a.age_hours, v.mint_revoked, v.freeze_revoked, v.dangerous_extension, v.transfer_fee_bps,
  s.liquidity_check_passed, s.holder_check_passed, s.contract_check_passed, s.age_check_passed,
  a.analyzed_at, 'rugcheck', v.snapshot::jsonb, v.dex_name, v.pair_address, a.first_pool_at,
  c.at - v.created_ago::interval
from (values
  -- t1: BONK 0.75 (safe)
  ('20000000-0000-4000-8000-000000000001', 'DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263', 'BONK', 'Bonk', 5,
   9850412.37, 41.27, true, true, false, 0, '00:04:12',
   '{"score_normalised": 8, "totalMarketLiquidity": 9850412.37, "totalHolders": 973412, "top10HoldersPct": 41.27, "mintAuthority": null, "freezeAuthority": null, "transferFeeBps": 0, "risks": ["Top 10 holders high ownership"], "rugged": false}',
   'raydium', 'su8cdgXwJyMEbVaFvDsjHUwy7igrF1dCtGtKFMJEfqRw', '2022-12-25 06:12:00+00', null, '6 days 19:58:38.687'),
  -- t2: WIF 0.75 (safe)
  ('20000000-0000-4000-8000-000000000002', 'EKpQGSJtjMFqKZ9KQanSqYXRcF8fBopzLHYxdM65zcjm', 'WIF', 'dogwifhat', 6,
   4120388.90, 33.86, true, true, false, 0, '00:11:48',
   '{"score_normalised": 12, "totalMarketLiquidity": 4120388.9, "totalHolders": 228904, "top10HoldersPct": 33.86, "mintAuthority": null, "freezeAuthority": null, "transferFeeBps": 0, "risks": ["Top 10 holders high ownership"], "rugged": false}',
   'raydium', 'R4d29ZGqzUZuQjehJR5ctrPFkycMHK4f6byUkW3JWfMU', '2023-11-20 17:31:00+00', null, '20 days 05:41:30'),
  -- t3: JTO 0.75 (safe)
  ('20000000-0000-4000-8000-000000000003', 'jtojtomepa8beP8AuQc6eXt5FriJwfFMwQx2v2f9mCL', 'JTO', 'Jito', 9,
   1789908.07, 38.74, true, true, false, 0, '00:08:05',
   '{"score_normalised": 30, "totalMarketLiquidity": 1789908.07, "totalHolders": 239201, "top10HoldersPct": 38.74, "mintAuthority": null, "freezeAuthority": null, "transferFeeBps": 0, "risks": ["Single holder ownership", "Mutable metadata"], "rugged": false}',
   'orca', 'q85QC8agitWAuuy2YQuGhZa7nUK7xM8tjSKqi4Pb1HtK', '2023-12-07 16:00:00+00', null, '24 days 03:13:30'),
  -- t4: MYRO 0.75 (safe)
  ('20000000-0000-4000-8000-000000000004', 'HhJpBhRRn4g56VsyLuT8DL5Bv31HkXqsrahTTUCZeZg4', 'MYRO', 'Myro', 9,
   1240551.18, 36.02, true, true, false, 0, '00:06:31',
   '{"score_normalised": 15, "totalMarketLiquidity": 1240551.18, "totalHolders": 61877, "top10HoldersPct": 36.02, "mintAuthority": null, "freezeAuthority": null, "transferFeeBps": 0, "risks": ["Top 10 holders high ownership"], "rugged": false}',
   'raydium', 'ZGcXDgPSKrYeyvXPVCzFNkLLsEEvKVbN1oFA82hbWsNZ', '2023-11-08 21:44:00+00', null, '6 days 07:59:09.926'),
  -- t5: SDOGE 0.45 (unsafe)
  ('20000000-0000-4000-8000-000000000005', 'KJVtsck2kvWL6GmqgYmGafxYYa4EL2kLeTgWxnNGpump', 'SDOGE', 'Solana Doge', 6,
   74310.55, 61.4, false, true, false, 0, '00:27:03',
   '{"score_normalised": 61, "totalMarketLiquidity": 74310.55, "totalHolders": 3120, "top10HoldersPct": 61.4, "mintAuthority": "NASi45ub7Qe4ZE36UT5G6cU4ud8Fhhe4deS4F3cw9KTA", "freezeAuthority": null, "transferFeeBps": 0, "risks": ["Mint authority still enabled", "Top 10 holders high ownership"], "rugged": false}',
   'raydium', 'EtyHnhqbKsRw5wVEAn1WA7S4qMwzwmsCXybNPGDv5oTJ', null, '13 days 02:17:00', '6 days 03:58:47.593'),
  -- t6: PEPE 0.55 (unsafe)
  ('20000000-0000-4000-8000-000000000006', 'G1tNp9ikA674KhE3Rwd92DqeTuLigHvSiSktzskUpump', 'PEPE', 'Pepe Solana', 6,
   182540.12, 22.81, true, false, false, 0, '00:18:40',
   '{"score_normalised": 54, "totalMarketLiquidity": 182540.12, "totalHolders": 1874, "top10HoldersPct": 22.81, "mintAuthority": null, "freezeAuthority": "c8dLcukC7edhDQ7cn5d4gEYkbUrMWeWQLGsCmrG6dLaY", "transferFeeBps": 0, "risks": ["Freeze authority still enabled", "Low token age"], "rugged": false}',
   'pumpswap', 'JKGR1TAMVTZeCX34hf2hxtcSHBzN3Srrb7H4VnCbf86q', null, '09:52:00', '06:59:12.266'),
  -- t7: FROGX 0.30 (unsafe)
  ('20000000-0000-4000-8000-000000000007', 'Cserp2L8z3DcnXNg8A2t8GLFseTChEesyja3YPrkpump', 'FROGX', 'Frog X', 6,
   12407.64, 48.19, true, true, false, 0, '00:22:09',
   '{"score_normalised": 77, "totalMarketLiquidity": 12407.64, "totalHolders": 412, "top10HoldersPct": 48.19, "mintAuthority": null, "freezeAuthority": null, "transferFeeBps": 0, "risks": ["Low liquidity", "Top 10 holders high ownership", "Low token age"], "rugged": false}',
   'pumpswap', 'PkeWTznsLgZCv91c4MLXEVMAThkV11C3QMRUFGz1pBQZ', null, '05:41:00', '03:59:49.719'),
  -- t8: MCAT 0.25 (unsafe)
  ('20000000-0000-4000-8000-000000000008', 'w4SvtK72WQLepMnzanGL1yhdSGSpPb1R8yxN8Rp9pump', 'MCAT', 'Moon Cat', 6,
   8650.00, 27.14, true, true, true, 500, '00:25:30',
   '{"score_normalised": 88, "totalMarketLiquidity": 8650.0, "totalHolders": 97, "top10HoldersPct": 27.14, "mintAuthority": null, "freezeAuthority": null, "transferFeeBps": 500, "risks": ["Low liquidity", "Permanent delegate", "Transfer fee 5%", "Low token age"], "rugged": false}',
   'pumpswap', 'T2G3XFc166HWhLFpc5duYgAgV58BqKYnZYxQsjFhAWJU', null, '03:08:00', '01:59:34.853')
) as v (id, address, symbol, name, decimals, liquidity_usd, top_10_percent, mint_revoked, freeze_revoked,
         dangerous_extension, transfer_fee_bps, analyzed_ago, snapshot, dex_name, pair_address,
         first_pool_at, first_pool_ago, created_ago)
cross join seed_clock c
cross join lateral (
  select c.at - v.analyzed_ago::interval as analyzed_at,
         coalesce(v.first_pool_at::timestamptz, c.at - v.first_pool_ago::interval) as first_pool_at,
         round(extract(epoch from (c.at - v.analyzed_ago::interval)
                                  - coalesce(v.first_pool_at::timestamptz, c.at - v.first_pool_ago::interval))
               / 3600, 2) as age_hours
) a
cross join lateral walltrack.score_token(
  v.liquidity_usd, v.top_10_percent, v.mint_revoked, v.freeze_revoked, v.dangerous_extension,
  v.transfer_fee_bps, a.age_hours, false) s;

-- Signals: 20 BUYs over the last 7 days, one per (transaction, wallet). The leader gave
-- amount_in SOL for amount_out tokens: price = amount_in / amount_out, price_all_in adds the
-- network fee, and at processing price_usd = price x sol_usd_price (Jupiter's SOL/USD).
-- raw_payload is the Helius enhanced transaction, trimmed, built from the same facts.
-- Filtered signals get their outcome in this insert. s01-s10 are recorded unprocessed here (no
-- SOL/USD yet) and get their outcome, pricing included, in the one update below, once their
-- positions exist: the outcome is written once (walltrack.protect_signal_facts refuses a second).
insert into walltrack.signals (
  id, wallet_id, token_address, transaction_signature, signal_type, token_in, token_out, amount_in,
  amount_out, price, price_all_in, price_usd, sol_usd_price, price_source, slot, leader_block_time,
  token_decimals, webhook_received_at, raw_payload, token_id, filtered, filter_reason, processed_at,
  processing_duration_ms, created_at
)
select
  v.id::uuid, wl.id, tk.address, v.signature, 'BUY', walltrack.wsol_mint(),
  tk.address, v.amount_in, v.amount_out, v.price, v.price_all_in,
  case when v.filter_reason is not null then v.price * v.sol_usd_price end,
  case when v.filter_reason is not null then v.sol_usd_price end,
  case when v.filter_reason is not null then 'jupiter' end,
  v.slot, c.at - v.block_ago::interval, tk.decimals, c.at - v.received_ago::interval,
  jsonb_build_object(
    'signature', v.signature,
    'slot', v.slot,
    'timestamp', extract(epoch from c.at - v.block_ago::interval)::bigint,
    'type', 'SWAP',
    'source', v.source,
    'fee', v.fee_lamports,
    'feePayer', wl.address,
    'description', format('%s swapped %s SOL for %s %s', wl.address, v.amount_in, v.amount_out, tk.symbol),
    'tokenTransfers', jsonb_build_array(
      jsonb_build_object('fromUserAccount', wl.address, 'toUserAccount', tk.pair_address,
                         'mint', walltrack.wsol_mint(), 'tokenAmount', v.amount_in),
      jsonb_build_object('fromUserAccount', tk.pair_address, 'toUserAccount', wl.address,
                         'mint', tk.address, 'tokenAmount', v.amount_out))),
  case when v.filter_reason is not null then tk.id end,
  v.filter_reason is not null, v.filter_reason, c.at - v.processed_ago::interval, v.processing_ms,
  c.at - v.received_ago::interval
from (values
  -- s01: w1 buys BONK, opens p01
  ('30000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001',
   'JqXiiC98AvfnJ4aKQiNJPWrdXJ8LkYdKwd66WpmxziED2AoioeEiRQtMnTpXvyNLpnTTvyN4E3wCh38ybVytMCTH',
   450843105, '6 days 19:58:41', '6 days 19:58:38.887', 9.88, 80000000, 0.0000001235, 0.0000001235013125,
   null, 'JUPITER', 105000, null, null, null),
  -- s02: w2 buys MYRO, opens p02
  ('30000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000004',
   'HgQWaZa9Fe7Ram4iJyqRfQvhLoSjqx8HncPPSta8gNSePzECnJdekE5e8fu4EyquctCFm9TnWrkPuYJdPoh4aK1M',
   450951027, '6 days 07:59:12', '6 days 07:59:10.126', 3.1, 40000, 0.0000775, 0.000077502125,
   null, 'RAYDIUM', 85000, null, null, null),
  -- s03: w3 buys WIF, opens p03
  ('30000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000002',
   'Yz9RCZ9YGYxgpvYhjHF22E4RBLP2QpS5jUatw8mazRoLwbs5Qag4o6FCvixHujNGCZeBh2H5kWLbePbqNJSrH3U3',
   451041282, '5 days 21:57:30', '5 days 21:57:27.598', 10, 2500, 0.004, 0.004000002,
   null, 'JUPITER', 5000, null, null, null),
  -- s04: w4 buys MYRO, opens p04
  ('30000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000004',
   '9Rfvw9RMTTwpyfUNT6TK4AytFLZzJKKMPNkoKXqmYaNS16TpeBGMatcZhbU7dpnJMq79Y1TG1UMfBv9sty5vSrks',
   451153695, '5 days 09:28:05', '5 days 09:28:03.042', 7.8, 48000, 0.0001625, 0.0001625053125,
   null, 'JUPITER', 255000, null, null, null),
  -- s05: w5 buys BONK, opens p05
  ('30000000-0000-4000-8000-000000000005', '10000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-000000000001',
   'W92Y8D584pzXqooHS8QTpqWYQ91gS69uiKM8fxcjbVzXqaVEro2615XcMPYqbbNdAY85LuzuV37sBvKC6o8zQcCT',
   451293050, '4 days 17:59:03', '4 days 17:59:00.734', 8.416, 64000000, 0.0000001315, 0.000000131506328125,
   null, 'JUPITER', 405000, null, null, null),
  -- s06: w4 buys WIF, opens p06
  ('30000000-0000-4000-8000-000000000006', '10000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000002',
   'PbJY6xG6eVAoyM9gaeNGUhpwHwVq6yS7x114SvtbyZLbparVHL7B9bbrFHdggfSWsgqjvuC4mkpLsQUuwJwSgcB1',
   451707390, '2 days 19:56:47', '2 days 19:56:45.269', 16.2, 4000, 0.00405, 0.00405001375,
   null, 'ORCA', 55000, null, null, null),
  -- s07: w1 buys MYRO, opens p07
  ('30000000-0000-4000-8000-000000000007', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004',
   '36jvbQ55ji7XadMXBtv6LynTHLw27xaLH1r8W4Bxd99rE89FARHMUPfLCHotMyYEa2aGavvVyFZrFBbJBUQgkF1a',
   451977157, '1 day 13:58:20', '1 day 13:58:17.955', 5, 50000, 0.0001, 0.0001000021,
   null, 'RAYDIUM', 105000, null, null, null),
  -- s08: w2 buys BONK, opens p08
  ('30000000-0000-4000-8000-000000000008', '10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001',
   'RtzmbnYsmUVWmoMchhFKEyX2N96x7sjpToDzc7c93REjaG2H641EmJgv21xuFdZZAdsaGYTqkDvyEriN9w7cnVwi',
   451868975, '2 days 01:59:33', '2 days 01:59:31.013', 12.75, 100000000, 0.0000001275, 0.0000001275008,
   null, 'JUPITER', 80000, null, null, null),
  -- s09: w4 buys BONK, opens p09
  ('30000000-0000-4000-8000-000000000009', '10000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000001',
   'Ytf4mdwvHXWt7WaVktYabvsz6HNThZbkZ995UvQqJDtYtztXtAg8n1AW9xY194itophPj3udnHUYNm25rVQax2o9',
   452085185, '1 day 01:58:09', '1 day 01:58:06.682', 5.08, 40000000, 0.000000127, 0.000000127003875,
   null, 'JUPITER', 155000, null, null, null),
  -- s10: w5 buys JTO, opens p10
  ('30000000-0000-4000-8000-000000000010', '10000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-000000000003',
   'vU1KV9FT2ULf4ttvevGHQDpJgcbRU3v2DVyU7jdJQRC1GE7oA4sFd44WdYZSQ6ke1YmEyCFKD6wqjYKjEAZ4Bffh',
   452156992, '17:59:26', '17:59:24.098', 25.4, 10000, 0.00254, 0.0025400205,
   null, 'JUPITER', 205000, null, null, null),
  -- s11: w2 buys SDOGE, filtered safety_check_failed
  ('30000000-0000-4000-8000-000000000011', '10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000005',
   'jgBjfv8xopMvAvx76u5oVBLtYVGt5rhgdX9KYRwbuGiGA3AbzGFTbpjK3n2CRScUx9fRvAEH6AiLuVZqpb1cjxTF',
   450987082, '6 days 03:58:50', '6 days 03:58:47.793', 10.5, 500000, 0.000021, 0.00002100021,
   199.8, 'RAYDIUM', 105000, 'safety_check_failed', '6 days 03:58:47.407', 386),
  -- s12: w4 buys SDOGE, filtered safety_check_failed
  ('30000000-0000-4000-8000-000000000012', '10000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000005',
   'v53qA8Vam6phBmPVS3eMYBCFX2ggnRT6r9G8Ru31aRvYVTJ1yJ6hgubbwRKGySJVuGn6JdZpegEAd7FgWoomaA77',
   451436957, '4 days 01:59:40', '4 days 01:59:38.184', 5.92, 320000, 0.0000185, 0.000018500171875,
   187.2, 'RAYDIUM', 55000, 'safety_check_failed', '4 days 01:59:37.772', 412),
  -- s13: w1 buys PEPE, filtered safety_check_failed
  ('30000000-0000-4000-8000-000000000013', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000006',
   'NxbfFddQzQ4GKfnUUqD6jT7H6HBfhsMKo9EDxRV5joW9AgVFYezk7L9q3zpET49yWVBySPrwf4rXME8mLu2cDhZk',
   452256020, '06:59:15', '06:59:12.466', 3.2, 2000000, 0.0000016, 0.0000016005025,
   200.2, 'PUMP_AMM', 1005000, 'safety_check_failed', '06:59:12.025', 441),
  -- s14: w5 buys FROGX, filtered safety_check_failed
  ('30000000-0000-4000-8000-000000000014', '10000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-000000000007',
   'VfJs3h6ppYGbvj1CjrNzx3x46Yfd7aV2w9jxdHizYgGcT49uzUJBZWCpJAA75SvttLTdorJgKCzinTG4ALcw7Z3e',
   452282927, '03:59:52', '03:59:49.919', 5, 25000000, 0.0000002, 0.0000002000202,
   201, 'PUMP_AMM', 505000, 'safety_check_failed', '03:59:49.521', 398),
  -- s15: w3 buys MCAT, filtered safety_check_failed
  ('30000000-0000-4000-8000-000000000015', '10000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000008',
   'ZGVcRasDWKSrrPAUCdjuovBqy7dcsijPjUo7qdsbxKoQJxtNGdMto1vmQDPx4FvoouwAQ15T81V48LDvVkC9vtNr',
   452300965, '01:59:37', '01:59:35.053', 2, 40000000, 0.00000005, 0.000000050017625,
   200.5, 'PUMP_AMM', 705000, 'safety_check_failed', '01:59:34.596', 457),
  -- s16: w1 buys BONK, filtered circuit_breaker
  ('30000000-0000-4000-8000-000000000016', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001',
   'hp6jy5QYJXWFTRjDkMP7kCCEHpMzGPY5AtmWEmBuNFoumgbWm57VxDJ6KVfTfiRvTefpAALmZyeGn4PJC3nSZQbE',
   451581062, '3 days 09:58:58', '3 days 09:58:55.828', 7.75, 50000000, 0.000000155, 0.0000001550021,
   184, 'JUPITER', 105000, 'circuit_breaker', '3 days 09:58:55.625', 203),
  -- s17: w2 buys JTO, filtered circuit_breaker
  ('30000000-0000-4000-8000-000000000017', '10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000003',
   'CPmfYS9T84kLUXhV6ouaH9JdX5WnCGbkRyJp3Einewd5Ha32LYHf9oC5um7kJxMGM4DmG8798SV3XokRFGtuTNHa',
   451617005, '3 days 05:59:21', '3 days 05:59:19.231', 17.5, 6250, 0.0028, 0.0028000088,
   185.5, 'JUPITER', 55000, 'circuit_breaker', '3 days 05:59:19.043', 188),
  -- s18: w5 buys MYRO, filtered circuit_breaker
  ('30000000-0000-4000-8000-000000000018', '10000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-000000000004',
   'btstcyJ4PeWsJKZz3S2DRcYYjdDP5YYnaueNkCauTRYTkc7P9vbgACUUFHHvUtcz7eXisC8ASsWn27mWRW7pFXvC',
   451653097, '3 days 01:58:44', '3 days 01:58:41.61', 4.5, 30000, 0.00015, 0.0001500085,
   186.4, 'RAYDIUM', 255000, 'circuit_breaker', '3 days 01:58:41.396', 214),
  -- s19: w3 buys JTO, filtered duplicate
  ('30000000-0000-4000-8000-000000000019', '10000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000003',
   'Ncivtpk7axMbAmEwx1rdQux2ddZS6qV37uigSEchJiRLF9noUjKJDWXUWym5ZN7QKHBzn3eNzdVGYtcRiaj86NfE',
   451383050, '4 days 07:59:03', '4 days 07:59:01.145', 14, 5000, 0.0028, 0.002800001,
   188.5, 'ORCA', 5000, 'duplicate', '4 days 07:59:00.904', 241),
  -- s20: w1 buys MYRO, filtered duplicate
  ('30000000-0000-4000-8000-000000000020', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004',
   'FRDr6pweuHfgqKJzovcEnnPJQfbUWLzqmMWpdSQqpu2JqKWNChNcWcrcswYWZ5VVs8SavpvxMNQHh8729xTatySU',
   452138982, '19:59:30', '19:59:27.989', 2.14, 20000, 0.000107, 0.00010700525,
   198, 'RAYDIUM', 105000, 'duplicate', '19:59:27.76', 229)
) as v (id, wallet_id, token_id, signature, slot, block_ago, received_ago, amount_in, amount_out, price,
         price_all_in, sol_usd_price, source, fee_lamports, filter_reason, processed_ago, processing_ms)
join walltrack.wallets wl on wl.id = v.wallet_id::uuid
join walltrack.tokens tk on tk.id = v.token_id::uuid
cross join seed_clock c;

-- Positions: p01-p10 were opened by s01-s10, sized $500 (fixed_percent: 5 % of $10,000 capital);
-- p11 ($400) and p12 ($250) were opened by the operator by hand, without a signal. Each takes its
-- wallet's mode and exit strategy, snapshotted with its override by
-- walltrack.effective_exit_strategy (ADR-002). Simulation entries fill at the leader's price plus
-- config.simulation_slippage_percent (1 %), as walltrack.process_signals fills them.
-- p01-p06 are inserted as they were when opened, before their entry filled: their entry orders
-- fill them below (walltrack.apply_entry_fill), then their exits close them. p07-p12 hold their
-- entry directly (no entry order, see the header). Unrealized and current PnL and peak_price are
-- left to walltrack.recompute_position_pnl; peak_price is seeded with the highest price seen
-- (for p01-p06 once closed, below).
insert into walltrack.positions (
  id, wallet_id, token_id, signal_id, mode, entry_price, entry_amount, entry_value_usd,
  entry_timestamp, entry_tx_signature, current_amount, current_price, price_updated_at, peak_price,
  exit_strategy_id, exit_strategy_override, exit_strategy_snapshot, trailing_stop_armed,
  leader_price_usd, decision_delay_seconds, fill_delay_seconds, slippage_vs_leader_percent, status,
  created_at
)
select
  v.id::uuid, wl.id, v.token_id::uuid, v.signal_id::uuid, wl.mode, v.entry_price, v.entry_amount,
  v.entry_amount * v.entry_price, c.at - v.entry_ago::interval, v.entry_tx_signature,
  coalesce(v.entry_amount, 0), v.current_price, c.at - v.price_seen_ago::interval, v.peak_price,
  wl.exit_strategy_id, v.override::jsonb,
  walltrack.effective_exit_strategy(wl.exit_strategy_id, v.override::jsonb),
  v.trailing_stop_armed, v.leader_price_usd, v.decision_delay_seconds, v.fill_delay_seconds,
  v.slippage_vs_leader_percent, 'open', c.at - v.created_ago::interval
from (values
  -- p01: w1 simulation Default, BONK, opened by s01; closes trailing_stop at 28 %
  ('40000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001',
   null, null, null, null, null, null,
   null, null, false, 0.0000245024, 2.855, null, null, '6 days 19:58:38.145'),
  -- p02: w2 simulation Aggressive, MYRO, opened by s02; closes trailing_stop at 95 %
  ('40000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000004', '30000000-0000-4000-8000-000000000002',
   null, null, null, null, null, null,
   null, null, false, 0.015596875, 2.562, null, null, '6 days 07:59:09.438'),
  -- p03: w3 simulation Conservative, WIF, opened by s03; closes stop_loss at -16 %
  ('40000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000003',
   null, null, null, null, null, null,
   null, null, false, 0.784, 3.217, null, null, '5 days 21:57:26.783'),
  -- p04: w4 live Default, MYRO, opened by s04; closes stop_loss at -12 %
  ('40000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000004', '30000000-0000-4000-8000-000000000004',
   null, null, null, null, null, null,
   null, '{"stop_loss_percent": 10}', false, 0.03146, 2.689, null, null, '5 days 09:28:02.311'),
  -- p05: w5 live Aggressive, BONK, opened by s05; closes manual at 25 %
  ('40000000-0000-4000-8000-000000000005', '10000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000005',
   null, null, null, null, null, null,
   null, null, false, 0.000024985, 3.17, null, null, '4 days 17:58:59.83'),
  -- p06: w4 live Default, WIF, opened by s06; closes manual at 15.2 %
  ('40000000-0000-4000-8000-000000000006', '10000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000006',
   null, null, null, null, null, null,
   null, null, false, 0.76545, 2.39, null, null, '2 days 19:56:44.61'),
  -- p07: w1 simulation Default, MYRO, opened by s07; open, 8 % at 0.02132514
  ('40000000-0000-4000-8000-000000000007', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004', '30000000-0000-4000-8000-000000000007',
   0.0197455, 25322.225317161, '1 day 13:58:17.253', null,
   0.02132514, '00:00:35',
   0.0224, null, false, 0.01955, 2.747, 2.747, 1, '1 day 13:58:17.253'),
  -- p08: w2 simulation Aggressive, BONK, opened by s08; open, 8.8 % at 0.0000269005824
  ('40000000-0000-4000-8000-000000000008', '10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000008',
   0.0000247248, 20222610.49634, '2 days 01:59:30.246', null,
   0.0000269005824, '00:00:35',
   0.0000288, null, false, 0.00002448, 2.754, 2.754, 1, '2 days 01:59:30.246'),
  -- p09: w4 live Default, BONK, opened by s09; open, 5.0804 % at 0.0000269005824
  ('40000000-0000-4000-8000-000000000009', '10000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000009',
   0.0000256, 19531250, '1 day 01:57:59.672', 'b8QUgRxEKEuZ5xtBqgzLnbvvRohUgWyTNKapi1R16xi7TfnEYM5Hhs7pjA9kx7KrHjcBtsJgzwkzcupRYPsQomGg',
   0.0000269005824, '00:00:35',
   0.0000288, '{"trailing_stop_percent": 5, "trailing_activation_multiplier": 1.1}', true, 0.000025019, 3.144, 9.328, 2.3222, '1 day 01:58:05.856'),
  -- p10: w5 live Aggressive, JTO, opened by s10; open, -4.2969 % at 0.49
  ('40000000-0000-4000-8000-000000000010', '10000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-000000000003', '30000000-0000-4000-8000-000000000010',
   0.512, 976.5625, '17:59:17.201', 'qBV8748gfs6MsEjJSHCHD5ds17SdV4eTw3r3pLkbz7GUzfFXyREsSnuuJrZQs88pVbQJmM9Rx6GaDsfchr3FLHjC',
   0.49, '00:00:35',
   0.5175, '{"stop_loss_percent": 4}', false, 0.50419, 2.615, 8.799, 1.549, '17:59:23.385'),
  -- p11: w3 simulation Conservative, JTO, opened by hand; open, -2 % at 0.49
  ('40000000-0000-4000-8000-000000000011', '10000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000003', null,
   0.5, 800, '24 days 03:12:00', null,
   0.49, '00:00:35',
   0.575, null, false, null, null, null, null, '24 days 03:07:00'),
  -- p12: w5 live Aggressive, WIF, opened by hand; open, 1.5 % at 0.812
  ('40000000-0000-4000-8000-000000000012', '10000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-000000000002', null,
   0.8, 312.5, '20 days 05:40:00', 'Aygc1nHFG26Vp1TNf4z4NEsU3yCJUtyH58JBDZvz3E5V5y62VdWQz346oreCw6LWKSET2cDdALiszhb69DNZhNUm',
   0.812, '00:00:35',
   0.935, null, false, null, null, null, null, '20 days 05:35:00')
) as v (id, wallet_id, token_id, signal_id, entry_price, entry_amount, entry_ago, entry_tx_signature,
         current_price, price_seen_ago, peak_price, override, trailing_stop_armed, leader_price_usd,
         decision_delay_seconds, fill_delay_seconds, slippage_vs_leader_percent, created_ago)
join walltrack.wallets wl on wl.id = v.wallet_id::uuid
cross join seed_clock c;

-- The outcome of s01-s10, written once: processed, priced in USD, the token analysis used, the
-- position opened.
update walltrack.signals s
set token_id = tk.id,
    position_created = true,
    position_id = v.position_id::uuid,
    price_usd = s.price * v.sol_usd_price,
    sol_usd_price = v.sol_usd_price,
    price_source = 'jupiter',
    processed_at = c.at - v.processed_ago::interval,
    processing_duration_ms = v.processing_ms
from (values
  ('30000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000001', 198.4, '6 days 19:58:38.145', 742),  -- s01 opened p01
  ('30000000-0000-4000-8000-000000000002', '40000000-0000-4000-8000-000000000002', 201.25, '6 days 07:59:09.438', 688),  -- s02 opened p02
  ('30000000-0000-4000-8000-000000000003', '40000000-0000-4000-8000-000000000003', 196, '5 days 21:57:26.783', 815),  -- s03 opened p03
  ('30000000-0000-4000-8000-000000000004', '40000000-0000-4000-8000-000000000004', 193.6, '5 days 09:28:02.311', 731),  -- s04 opened p04
  ('30000000-0000-4000-8000-000000000005', '40000000-0000-4000-8000-000000000005', 190, '4 days 17:58:59.83', 904),  -- s05 opened p05
  ('30000000-0000-4000-8000-000000000006', '40000000-0000-4000-8000-000000000006', 189, '2 days 19:56:44.61', 659),  -- s06 opened p06
  ('30000000-0000-4000-8000-000000000007', '40000000-0000-4000-8000-000000000007', 195.5, '1 day 13:58:17.253', 702),  -- s07 opened p07
  ('30000000-0000-4000-8000-000000000008', '40000000-0000-4000-8000-000000000008', 192, '2 days 01:59:30.246', 767),  -- s08 opened p08
  ('30000000-0000-4000-8000-000000000009', '40000000-0000-4000-8000-000000000009', 197, '1 day 01:58:05.856', 826),  -- s09 opened p09
  ('30000000-0000-4000-8000-000000000010', '40000000-0000-4000-8000-000000000010', 198.5, '17:59:23.385', 713)   -- s10 opened p10
) as v (id, position_id, sol_usd_price, processed_ago, processing_ms)
cross join seed_clock c
join walltrack.tokens tk on true
where s.id = v.id::uuid
  and tk.address = s.token_address;

-- The pending orders are due at 'infinity': seeded orders on real mints are never executed (a live
-- one would sell real tokens the moment a trading key is set); they show the executor's queue only.
-- Orders: 18. o01-o06 are the executed entries of the closed positions p01-p06 and o07-o12 their
-- executed exits (12 executed). o13 and o14 are live exits that failed 3 times out of 3 and were
-- re-sent as o10 and o11 (2 failed). o15-o18 are exits of open positions waiting in the executor's
-- queue with 0-2 retries spent (4 pending). Wallet, token and mode come from the position; an
-- entry spends SOL for the token, an exit the reverse. Simulation fills carry no transaction.
insert into walltrack.orders (
  id, wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out, amount_in,
  amount_out_expected, amount_out, price_usd, value_usd, slippage_requested_percent,
  slippage_actual_percent, status, jupiter_quote_id, jupiter_route, tx_signature, block_number,
  priority_fee_lamports, requested_at, submitted_at, executed_at, retry_count, max_retries,
  next_retry_at, error_code, error_message, created_at
)
select
  v.id::uuid, p.wallet_id, p.token_id, p.id, v.signal_id::uuid, v.order_type, p.mode,
  case when v.order_type = 'entry' then walltrack.wsol_mint() else tk.address end,
  case when v.order_type = 'entry' then tk.address else walltrack.wsol_mint() end,
  v.amount_in, v.amount_out_expected, v.amount_out, v.price_usd, v.value_usd,
  v.slippage_requested_percent, v.slippage_actual_percent, v.status, v.jupiter_quote_id,
  v.jupiter_route::jsonb, v.tx_signature, v.block_number, v.priority_fee_lamports,
  c.at - v.requested_ago::interval, c.at - v.submitted_ago::interval,
  c.at - v.executed_ago::interval, v.retry_count, 3, case when v.status = 'pending' then 'infinity'::timestamptz else c.at - v.next_retry_ago::interval end,
  v.error_code, v.error_message, c.at - v.requested_ago::interval
from (values
  -- o01: simulation entry of p01: 2.52016129 SOL -> 20204123.06348 BONK at 0.000024747424
  ('50000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001', 'entry',
   2.52016129, 20406164.29411, 20204123.06348, 0.000024747424, 500.00000000011847552, 3, 0.9901,
   'executed', null, null, null, null, null,
   '6 days 19:58:38.145', '6 days 19:58:38.145', '6 days 19:58:38.145', 0,
   null, null, null),
  -- o02: simulation entry of p02: 2.48447205 SOL -> 31740.300858377 MYRO at 0.01575284375
  ('50000000-0000-4000-8000-000000000002', '40000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000002', 'entry',
   2.48447205, 32057.703866961, 31740.300858377, 0.01575284375, 500.00000000000375959375, 3, 0.9901,
   'executed', null, null, null, null, null,
   '6 days 07:59:09.438', '6 days 07:59:09.438', '6 days 07:59:09.438', 0,
   null, null, null),
  -- o03: simulation entry of p03: 2.551020408 SOL -> 631.440695 WIF at 0.79184
  ('50000000-0000-4000-8000-000000000003', '40000000-0000-4000-8000-000000000003', '30000000-0000-4000-8000-000000000003', 'entry',
   2.551020408, 637.755102, 631.440695, 0.79184, 499.9999999288, 3, 0.9901,
   'executed', null, null, null, null, null,
   '5 days 21:57:26.783', '5 days 21:57:26.783', '5 days 21:57:26.783', 0,
   null, null, null),
  -- o04: live entry of p04: 2.582644628 SOL -> 15625 MYRO at 0.032
  ('50000000-0000-4000-8000-000000000004', '40000000-0000-4000-8000-000000000004', '30000000-0000-4000-8000-000000000004', 'entry',
   2.582644628, 15820.3125, 15625, 0.032, 500, 3, 1.2346,
   'executed',
   '[{"percent": 100, "swapInfo": {"ammKey": "ZGcXDgPSKrYeyvXPVCzFNkLLsEEvKVbN1oFA82hbWsNZ", "label": "Raydium CLMM", "inputMint": "So11111111111111111111111111111111111111112", "outputMint": "HhJpBhRRn4g56VsyLuT8DL5Bv31HkXqsrahTTUCZeZg4", "inAmount": "2582644628", "outAmount": "15820312500000"}}]', 'e00902c7-57ee-4bab-9cb9-9be449b64a08', 'suXFgFfH7VdxtCNaDnPgUuUEWjjYMFDQpgmfxcX5qCg55VG9Vm6eg1PeEYDKR7awh4SvroT29HqQE3TzLac9LpzH', 451153717, 10000,
   '5 days 09:28:02.311', '5 days 09:28:01.699', '5 days 09:27:56.127', 0,
   null, null, null),
  -- o05: live entry of p05: 2.631578947 SOL -> 19531250 BONK at 0.0000256
  ('50000000-0000-4000-8000-000000000005', '40000000-0000-4000-8000-000000000005', '30000000-0000-4000-8000-000000000005', 'entry',
   2.631578947, 19714843.75, 19531250, 0.0000256, 500, 3, 0.9312,
   'executed',
   '[{"percent": 100, "swapInfo": {"ammKey": "su8cdgXwJyMEbVaFvDsjHUwy7igrF1dCtGtKFMJEfqRw", "label": "Raydium CLMM", "inputMint": "So11111111111111111111111111111111111111112", "outputMint": "DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263", "inAmount": "2631578947", "outAmount": "1971484375000"}}]', 'faecbd38-12bd-41e3-a0c3-2a3a6b0a18e8', 'x8AU9X8Gsw9UeL8taA7rK9r7qpUo3aQY8C5w2mM6FTPAWxfH4zbZyZJ4TaapZ71fuAX22aZ2YDUZ9gDZL2tcEWDD', 451293073, 10000,
   '4 days 17:58:59.83', '4 days 17:58:59.218', '4 days 17:58:53.646', 0,
   null, null, null),
  -- o06: live entry of p06: 2.645502646 SOL -> 640 WIF at 0.78125
  ('50000000-0000-4000-8000-000000000006', '40000000-0000-4000-8000-000000000006', '30000000-0000-4000-8000-000000000006', 'entry',
   2.645502646, 644.544, 640, 0.78125, 500, 3, 0.705,
   'executed',
   '[{"percent": 100, "swapInfo": {"ammKey": "R4d29ZGqzUZuQjehJR5ctrPFkycMHK4f6byUkW3JWfMU", "label": "Raydium CLMM", "inputMint": "So11111111111111111111111111111111111111112", "outputMint": "EKpQGSJtjMFqKZ9KQanSqYXRcF8fBopzLHYxdM65zcjm", "inAmount": "2645502646", "outAmount": "644544000"}}]', 'c1d3fcff-5790-426e-bbba-6bf47d2caf82', 'eqjoXLTJwPQronBwoCJZf4rFszVFHNEVRo1w4CPNRAbmVFFuHySjFyyyERAJRCR625KXeGvSx8TUjPwuspxCEoBM', 451707411, 10000,
   '2 days 19:56:44.61', '2 days 19:56:43.998', '2 days 19:56:38.426', 0,
   null, null, null),
  -- o07: simulation exit_trailing_stop of p01: 20204123.06348 BONK at 0.00003167670272 = $640.0000000001516486656
  ('50000000-0000-4000-8000-000000000007', '40000000-0000-4000-8000-000000000001', null, 'exit_trailing_stop',
   20204123.06348, 3.248566063, 3.216080402, 0.00003167670272, 640.0000000001516486656, 3, 1,
   'executed', null, null, null, null, null,
   '6 days 02:00:07', '6 days 02:00:06.93', '6 days 02:00:06.488', 0,
   null, null, null),
  -- o08: simulation exit_trailing_stop of p02: 31740.300858377 MYRO at 0.0307180453125 = $975.0000000000073312078125
  ('50000000-0000-4000-8000-000000000008', '40000000-0000-4000-8000-000000000002', null, 'exit_trailing_stop',
   31740.300858377, 5.050505051, 5, 0.0307180453125, 975.0000000000073312078125, 3, 1,
   'executed', null, null, null, null, null,
   '5 days 11:00:22', '5 days 11:00:21.93', '5 days 11:00:21.502', 0,
   null, null, null),
  -- o09: simulation exit_stop_loss of p03: 631.440695 WIF at 0.6651456 = $419.999999940192
  ('50000000-0000-4000-8000-000000000009', '40000000-0000-4000-8000-000000000003', null, 'exit_stop_loss',
   631.440695, 2.256608639, 2.234042553, 0.6651456, 419.999999940192, 3, 1,
   'executed', null, null, null, null, null,
   '4 days 04:00:41', '4 days 04:00:40.93', '4 days 04:00:40.534', 0,
   null, null, null),
  -- o10: live exit_stop_loss of p04: 15625 MYRO at 0.02816 = $440
  ('50000000-0000-4000-8000-000000000010', '40000000-0000-4000-8000-000000000004', null, 'exit_stop_loss',
   15625, 2.396216216, 2.378378378, 0.02816, 440, 5, 0.7444,
   'executed',
   '[{"percent": 100, "swapInfo": {"ammKey": "ZGcXDgPSKrYeyvXPVCzFNkLLsEEvKVbN1oFA82hbWsNZ", "label": "Raydium CLMM", "inputMint": "HhJpBhRRn4g56VsyLuT8DL5Bv31HkXqsrahTTUCZeZg4", "outputMint": "So11111111111111111111111111111111111111112", "inAmount": "15625000000000", "outAmount": "2396216216"}}]', '0a097c97-f646-4ab1-84f7-8edec3baea9e', 'dTCxb5X4NkpSEPjuUYdyKA8CB6XTCyh6zzSU7ynuYdFeuDqMZyckFDf4KTJpDbzYtECGa9tgv5g3LFSGJaGDV1zr', 451547327, 10000,
   '3 days 13:44:00', '3 days 13:43:59.36', '3 days 13:43:52.087', 0,
   null, null, null),
  -- o11: live exit_manual of p05: 19531250 BONK at 0.000032 = $625
  ('50000000-0000-4000-8000-000000000011', '40000000-0000-4000-8000-000000000005', null, 'exit_manual',
   19531250, 3.300524934, 3.280839895, 0.000032, 625, 3, 0.5964,
   'executed',
   '[{"percent": 100, "swapInfo": {"ammKey": "su8cdgXwJyMEbVaFvDsjHUwy7igrF1dCtGtKFMJEfqRw", "label": "Raydium CLMM", "inputMint": "DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263", "outputMint": "So11111111111111111111111111111111111111112", "inAmount": "1953125000000", "outAmount": "3300524934"}}]', '92b1d3f2-ca02-4e01-b45f-57125051c1cc', 'ZHZNNo8SQx8Lvei8pJDuGrrjwb5WNN1tSEd5EMyKxNigCvfzGVMbirsyAdE8mHpiPJ2CwFfafoJFtVtMmiiZPXbw', 451798423, 50000,
   '2 days 09:50:00', '2 days 09:49:59.36', '2 days 09:49:53.726', 0,
   null, null, null),
  -- o12: live exit_manual of p06: 640 WIF at 0.9 = $576
  ('50000000-0000-4000-8000-000000000012', '40000000-0000-4000-8000-000000000006', null, 'exit_manual',
   640, 2.950530612, 2.93877551, 0.9, 576, 3, 0.3984,
   'executed',
   '[{"percent": 100, "swapInfo": {"ammKey": "R4d29ZGqzUZuQjehJR5ctrPFkycMHK4f6byUkW3JWfMU", "label": "Raydium CLMM", "inputMint": "EKpQGSJtjMFqKZ9KQanSqYXRcF8fBopzLHYxdM65zcjm", "outputMint": "So11111111111111111111111111111111111111112", "inAmount": "640000000", "outAmount": "2950530612"}}]', 'b1fee08f-59a5-4982-9fc9-cc019474031b', 'EgrbSoL3hGGMoLibho3oRr4LvQB6SvqUNizwbVL3req9N7TqYkrYB8BMn6VAuX4UAjJh4vmET9ajh4CkGVdo8zo3', 452048920, 10000,
   '1 day 06:00:00', '1 day 05:59:59.36', '1 day 05:59:55.162', 0,
   null, null, null),
  -- o13: live exit_stop_loss of p04 failed (slippage_exceeded), re-sent as o10
  ('50000000-0000-4000-8000-000000000013', '40000000-0000-4000-8000-000000000004', null, 'exit_stop_loss',
   15625, 2.415540541, null, null, 446.875, 3, null,
   'failed',
   '[{"percent": 100, "swapInfo": {"ammKey": "ZGcXDgPSKrYeyvXPVCzFNkLLsEEvKVbN1oFA82hbWsNZ", "label": "Raydium CLMM", "inputMint": "HhJpBhRRn4g56VsyLuT8DL5Bv31HkXqsrahTTUCZeZg4", "outputMint": "So11111111111111111111111111111111111111112", "inAmount": "15625000000000", "outAmount": "2415540541"}}]', '74c9df6a-119a-4d70-85fd-451af1d69ed6', null, null, 10000,
   '3 days 14:00:03', '3 days 13:48:51', null, 3,
   null, 'slippage_exceeded',
   'Transaction simulation failed: Error processing Instruction 3: custom program error: 0x1771 (SlippageToleranceExceeded); gave up after 3 attempts at 3% slippage'),
  -- o14: live exit_manual of p05 failed (transaction_expired), re-sent as o11
  ('50000000-0000-4000-8000-000000000014', '40000000-0000-4000-8000-000000000005', null, 'exit_manual',
   19531250, 3.301345144, null, null, 628.90625, 3, null,
   'failed',
   '[{"percent": 100, "swapInfo": {"ammKey": "su8cdgXwJyMEbVaFvDsjHUwy7igrF1dCtGtKFMJEfqRw", "label": "Raydium CLMM", "inputMint": "DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263", "outputMint": "So11111111111111111111111111111111111111112", "inAmount": "1953125000000", "outAmount": "3301345144"}}]', '795e8229-b271-4aa0-8428-bb2d0f88080b', null, null, 10000,
   '2 days 10:00:00', '2 days 09:53:12', null, 3,
   null, 'transaction_expired',
   'Transaction expired: block height exceeded before confirmation; gave up after 3 attempts'),
  -- o15: simulation exit_manual of p07 pending, 1 retry spent
  ('50000000-0000-4000-8000-000000000015', '40000000-0000-4000-8000-000000000007', null, 'exit_manual',
   25322.225317161, 2.7, null, null, 540.00000000000272754, 3, null,
   'pending', null, null, null, null, null,
   '00:06:02', '00:06:01.9', null, 1,
   '00:00:12', 'price_unavailable',
   'No MYRO price: Jupiter Price v3 omitted the mint and DexScreener timed out'),
  -- o16: simulation exit_manual of p08 pending, 0 retries spent
  ('50000000-0000-4000-8000-000000000016', '40000000-0000-4000-8000-000000000008', null, 'exit_manual',
   20222610.49634, 2.72, null, null, 543.999999999899068416, 3, null,
   'pending', null, null, null, null, null,
   '00:00:41', null, null, 0,
   null, null, null),
  -- o17: live exit_trailing_stop of p09 pending, 2 retries spent
  ('50000000-0000-4000-8000-000000000017', '40000000-0000-4000-8000-000000000009', null, 'exit_trailing_stop',
   19531250, 2.62701, null, null, 525.402, 3, null,
   'pending',
   '[{"percent": 100, "swapInfo": {"ammKey": "su8cdgXwJyMEbVaFvDsjHUwy7igrF1dCtGtKFMJEfqRw", "label": "Raydium CLMM", "inputMint": "DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263", "outputMint": "So11111111111111111111111111111111111111112", "inAmount": "1953125000000", "outAmount": "2627010000"}}]', 'b394fb36-4f42-4a5a-a4fd-ae65fe3b890b', null, null, 10000,
   '00:09:14', '00:02:30', null, 2,
   '00:00:20', 'rate_limited',
   'Jupiter /swap answered 429 Too Many Requests'),
  -- o18: live exit_stop_loss of p10 pending, 1 retry spent
  ('50000000-0000-4000-8000-000000000018', '40000000-0000-4000-8000-000000000010', null, 'exit_stop_loss',
   976.5625, 2.392578125, null, null, 478.515625, 3, null,
   'pending', null, null, null, null, 10000,
   '00:03:05', '00:03:04.6', null, 1,
   '00:00:05', 'timeout',
   'Jupiter /quote timed out after 10 s')
) as v (id, position_id, signal_id, order_type, amount_in, amount_out_expected, amount_out, price_usd,
         value_usd, slippage_requested_percent, slippage_actual_percent, status, jupiter_route,
         jupiter_quote_id, tx_signature, block_number, priority_fee_lamports, requested_ago,
         submitted_ago, executed_ago, retry_count, next_retry_ago, error_code, error_message)
join walltrack.positions p on p.id = v.position_id::uuid
join walltrack.tokens tk on tk.id = p.token_id
cross join seed_clock c
-- Entries before exits: the fill triggers apply each executed order to its position in this order.
order by v.order_type <> 'entry', v.id;

-- p01-p06 close on their executed exits, exactly as the orders imply: everything sold, realized
-- PnL = proceeds - amount sold x entry price, exit price = proceeds / amount sold, closed at the
-- last fill with that fill's reason.
update walltrack.positions p
set current_amount = p.entry_amount - x.sold,
    exit_amount = x.sold,
    exit_price = trim_scale(x.proceeds / x.sold),
    realized_pnl_usd = x.proceeds - x.sold * p.entry_price,
    current_price = x.last_price,
    price_updated_at = x.last_fill_at,
    exit_reason = replace(x.last_type, 'exit_', ''),
    closed_at = x.last_fill_at,
    status = 'closed'
from (
  select o.position_id,
         sum(o.amount_in) as sold,
         sum(o.amount_in * o.price_usd) as proceeds,
         (array_agg(o.price_usd order by o.executed_at desc))[1] as last_price,
         (array_agg(o.order_type order by o.executed_at desc))[1] as last_type,
         max(o.executed_at) as last_fill_at
  from walltrack.orders o
  where o.order_type <> 'entry'
    and o.status = 'executed'
  group by o.position_id
) x
where p.id = x.position_id
  and x.sold = p.entry_amount;

-- What p01-p06 saw while open, set once they are closed (inserted with it, the exit triggers would
-- have acted on it when their entry filled): the highest price, and whether the trailing stop armed.
update walltrack.positions p
set peak_price = v.peak_price, trailing_stop_armed = v.armed
from (values
  ('40000000-0000-4000-8000-000000000001', 0.0000376, true),
  ('40000000-0000-4000-8000-000000000002', 0.04, true),
  ('40000000-0000-4000-8000-000000000003', 0.83, false),
  ('40000000-0000-4000-8000-000000000004', 0.0334, false),
  ('40000000-0000-4000-8000-000000000005', 0.0000336, false),
  ('40000000-0000-4000-8000-000000000006', 0.92, false)
) as v (id, peak_price, armed)
where p.id = v.id::uuid;

-- Performance: one row per wallet, computed by the nightly refresh itself (ADR-003) from each
-- wallet's closed positions (p01-p06), so the seed and the refresh can never disagree.
select walltrack.refresh_performance();

-- Circuit breaker: one activation/deactivation pair. After the second stop loss in a row (p03,
-- then p04, whose first live stop order o13 failed) the operator paused new entries by hand
-- 3 days 12 h ago; config.circuit_breaker_unlock_minutes (720) unlocked it 12 h later. The metrics are those
-- of the moment, over the 4 positions closed by then (p01-p04): equity $10,475.00 against a
-- peak of $10,615.00, 50 % wins, 2 losses in a row; the day's realized PnL is summed from the
-- positions, since which closes share the activation's UTC day depends on the hour the seed runs.
-- Thresholds are config's. While it was active s16-s18 were filtered circuit_breaker
-- (new_positions_blocked = 3) and no position opened; the 3 positions open at activation
-- (p05, p11, p12) kept their exits (ADR-004).
insert into walltrack.circuit_breaker_events (
  id, event_type, trigger_reason, activation_event_id, current_drawdown_percent, current_win_rate,
  consecutive_losses, daily_realized_pnl_usd, max_drawdown_threshold, min_win_rate_threshold,
  consecutive_loss_threshold, daily_loss_limit_threshold, new_positions_blocked,
  open_positions_at_activation, unlock_at, deactivated_at, created_at
)
select
  v.id::uuid, v.event_type, v.trigger_reason, v.activation_event_id::uuid, v.drawdown_percent,
  v.win_rate, v.consecutive_losses,
  (select coalesce(sum(p.realized_pnl_usd), 0)
     from walltrack.positions p
    where p.status = 'closed'
      and p.closed_at <= c.at - v.event_ago::interval
      and p.closed_at >= date_trunc('day', c.at - v.event_ago::interval, 'UTC')),
  cfg.max_drawdown_percent, cfg.min_win_rate_percent, cfg.max_consecutive_losses,
  cfg.daily_loss_limit_usd, v.new_positions_blocked, v.open_positions_at_activation,
  c.at - v.unlock_ago::interval, c.at - v.deactivated_ago::interval, c.at - v.event_ago::interval
from (values
  ('70000000-0000-4000-8000-000000000001', 'activated', 'manual', null,
   1.3189, 50, 2, 3, 3, '3 days 00:00:00', '3 days 00:00:00', '3 days 12:00:00'),
  ('70000000-0000-4000-8000-000000000002', 'deactivated', 'unlock_time_reached', '70000000-0000-4000-8000-000000000001',
   1.3189, 50, 2, 0, null, null, null, '3 days 00:00:00')
) as v (id, event_type, trigger_reason, activation_event_id, drawdown_percent, win_rate,
        consecutive_losses, new_positions_blocked, open_positions_at_activation, unlock_ago,
        deactivated_ago, event_ago)
cross join seed_clock c
cross join walltrack.config cfg;

drop table seed_clock;
