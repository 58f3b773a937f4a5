// The mints every part of WallTrack names: SOL as Jupiter and the token program know it (wrapped)
// and the two stable quotes. SQL has the same WSOL in walltrack.wsol_mint();
// tests/integration/mints_match_the_database.test.ts keeps the two equal.
export const WSOL_MINT = "So11111111111111111111111111111111111111112";
export const USDC_MINT = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";
export const USDT_MINT = "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB";
export const SOL_DECIMALS = 9;
