// The functions' one Postgres client, over SUPABASE_DB_URL (injected by the platform, by
// `supabase start` and by the embedded stack). Numerics arrive as strings: amounts stay exact.
// Settings for hosted functions: many short-lived isolates share the database, so each keeps a
// pool of at most 2 connections, and prepared statements are off because Supabase's transaction
// pooler (Supavisor, port 6543), the URL to give hosted functions, may run each statement on a
// different server connection where a statement prepared earlier does not exist.
// SUPABASE_DB_URL cannot be changed on a hosted project (the SUPABASE_ prefix is reserved), so the
// pooler's URL comes as WALLTRACK_DB_POOLER_URL (`supabase secrets set`); without it, SUPABASE_DB_URL.
import postgres from "postgres";

export const MAX_CONNECTIONS = 2;

const poolerUrl = () =>
  (globalThis as { Deno?: { env: { get(name: string): string | undefined } } }).Deno?.env.get("WALLTRACK_DB_POOLER_URL");

export function connectDatabase(url: string | undefined, max = MAX_CONNECTIONS, pooler = poolerUrl()) {
  url = pooler || url;
  if (!url) throw new Error("SUPABASE_DB_URL is not set");
  if (!Number.isInteger(max) || max < 1 || max > MAX_CONNECTIONS) {
    throw new Error(`a function's pool holds 1 to ${MAX_CONNECTIONS} connections, not ${max}`);
  }
  return postgres(url, { max, prepare: false, idle_timeout: 20, connect_timeout: 10, onnotice: () => {} });
}
