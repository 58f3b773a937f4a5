-- The Solana domains accept only base58 (no 0, O, I or l) of the right length: solana_address
-- 32-44 characters, solana_signature 64-88. Bad values fail with SQLSTATE 23514 naming the
-- domain's check, whether cast directly or written to a column of the domain type.
begin;
create extension if not exists pgtap with schema extensions;
select plan(34);

-- solana_address

select throws_ok(
  format('select %L::walltrack.solana_address', bad),
  '23514',
  'value for domain walltrack.solana_address violates check constraint "solana_address_base58"',
  format('solana_address rejects %s', why)
)
from (values
  ('', 'an empty string'),
  (repeat('1', 31), '31 characters'),
  (repeat('1', 45), '45 characters'),
  ('0' || repeat('1', 43), 'the digit 0'),
  ('O' || repeat('1', 43), 'a capital O'),
  ('I' || repeat('1', 43), 'a capital I'),
  ('l' || repeat('1', 43), 'a lowercase l'),
  ('+' || repeat('1', 43), 'a + (base64, not base58)'),
  ('/' || repeat('1', 43), 'a / (base64, not base58)'),
  (' ' || repeat('1', 43), 'a leading space'),
  (repeat('1', 43) || E'\n', 'a trailing newline'),
  ('0x52908400098527886E0F7030069857D2E4169EE7', 'an Ethereum address')
) as t(bad, why)
order by why;

select lives_ok(
  format('select %L::walltrack.solana_address', good),
  format('solana_address accepts %s', why)
)
from (values
  (repeat('1', 32), '32 characters'),
  (repeat('z', 44), '44 characters'),
  ('So11111111111111111111111111111111111111112', 'the wrapped SOL mint'),
  ('EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', 'the USDC mint'),
  ('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijk', 'every base58 character up to k'),
  ('mnopqrstuvwxyz123456789ABCDEFGHJ', 'every base58 character from m')
) as t(good, why)
order by why;

-- solana_signature

select throws_ok(
  format('select %L::walltrack.solana_signature', bad),
  '23514',
  'value for domain walltrack.solana_signature violates check constraint "solana_signature_base58"',
  format('solana_signature rejects %s', why)
)
from (values
  ('', 'an empty string'),
  (repeat('1', 63), '63 characters'),
  (repeat('1', 89), '89 characters'),
  ('0' || repeat('1', 87), 'the digit 0'),
  ('O' || repeat('1', 87), 'a capital O'),
  ('I' || repeat('1', 87), 'a capital I'),
  ('l' || repeat('1', 87), 'a lowercase l'),
  ('=' || repeat('1', 87), 'an = (base64 padding)')
) as t(bad, why)
order by why;

select lives_ok(
  format('select %L::walltrack.solana_signature', good),
  format('solana_signature accepts %s', why)
)
from (values
  (repeat('1', 64), '64 characters'),
  (repeat('z', 88), '88 characters'),
  ('5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW',
   'a real transaction signature')
) as t(good, why)
order by why;

-- The columns carry the domains: a bad address or signature cannot be stored.

select throws_ok(
  $$insert into walltrack.wallets (address, exit_strategy_id)
    select 'TestWa11etO111111111111111111111', id from walltrack.exit_strategies where name = 'Default'$$,
  '23514',
  'value for domain walltrack.solana_address violates check constraint "solana_address_base58"',
  'wallets.address refuses an address with a capital O'
);

select throws_ok(
  $$insert into walltrack.tokens (address) values ('TestToken')$$,
  '23514',
  'value for domain walltrack.solana_address violates check constraint "solana_address_base58"',
  'tokens.address refuses a too-short address'
);

insert into walltrack.wallets (id, address, exit_strategy_id)
select 'c0ffee00-0000-4000-8000-00000000a001', 'TestWa11etA111111111111111111111', id from walltrack.exit_strategies where name = 'Default';

select throws_ok(
  $$insert into walltrack.signals
      (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
       amount_in, amount_out, raw_payload)
    values ('c0ffee00-0000-4000-8000-00000000a001', 'TestTokenA1111111111111111111111', 'not-a-signature', 'BUY',
            'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 1, 1000, '{}')$$,
  '23514',
  'value for domain walltrack.solana_signature violates check constraint "solana_signature_base58"',
  'signals.transaction_signature refuses a non-base58 signature'
);

select throws_ok(
  $$insert into walltrack.signals
      (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
       amount_in, amount_out, raw_payload)
    values ('c0ffee00-0000-4000-8000-00000000a001', 'TestTokenA1111111111111111111111', 'TestSignatureA11111111111111111111111111111111111111111111111111',
            'BUY',
            'So1111111111111111111111111111111111111111O', 'TestTokenA1111111111111111111111', 1, 1000, '{}')$$,
  '23514',
  'value for domain walltrack.solana_address violates check constraint "solana_address_base58"',
  'signals.token_in refuses an address with a capital O'
);

select lives_ok(
  $$insert into walltrack.signals
      (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
       amount_in, amount_out, raw_payload)
    values ('c0ffee00-0000-4000-8000-00000000a001', 'TestTokenA1111111111111111111111', 'TestSignatureA11111111111111111111111111111111111111111111111111',
            'BUY',
            'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 1, 1000, '{}')$$,
  'the same signal with valid addresses and signature is stored'
);

select * from finish();
rollback;
