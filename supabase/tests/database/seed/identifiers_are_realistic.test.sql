-- Solana identifiers look and behave like real ones: transaction signatures are 88 base58
-- characters and each names one transaction (a position's entry signature is its entry order's,
-- nothing else is shared), addresses are 32-44 base58 characters and no address plays two roles.
begin;
create extension if not exists pgtap with schema extensions;
select plan(4);

create temp table signatures as
select 'signal' as source, id as row_id, transaction_signature as signature from walltrack.signals
union all
select 'order', id, tx_signature from walltrack.orders where tx_signature is not null
union all
select 'position', p.id, p.entry_tx_signature from walltrack.positions p
where p.entry_tx_signature is not null
  and not exists (select 1 from walltrack.orders o
                  where o.position_id = p.id and o.order_type = 'entry' and o.tx_signature = p.entry_tx_signature);

select is_empty(
  $$ select source, signature from signatures where signature !~ '^[1-9A-HJ-NP-Za-km-z]{88}$' $$,
  'every transaction signature is 88 base58 characters');

select is(
  (select count(distinct signature) from signatures), (select count(*) from signatures),
  'every signature names one transaction (an entry''s is shared only with its entry order)');

create temp table addresses as
select 'wallet' as role, address::text as address from walltrack.wallets
union all select 'mint', address from walltrack.tokens
union all select 'pool', pair_address from walltrack.tokens;

select is_empty(
  $$ select role, address from addresses where address !~ '^[1-9A-HJ-NP-Za-km-z]{32,44}$' $$,
  'every address is 32-44 base58 characters');

select is(
  (select count(distinct address) from addresses), (select count(*) from addresses),
  'no address plays two roles (wallet, mint, pool)');

select * from finish();
rollback;
