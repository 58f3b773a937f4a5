// The functions' one Postgres client, over SUPABASE_DB_URL (injected by the platform, by
// `supabase start` and by the embedded stack). Numerics arrive as strings: amounts stay exact.
// Settings for hosted functions: many short-lived isolates share the database, so each keeps a
// pool of at most 2 connections, and prepared statements are off because Supabase's transaction
// pooler (Supavisor, port 6543), the URL to give hosted functions, may run each statement on a
// different server connection where a statement prepared earlier does not exist.
import postgres from "postgres";

export const MAX_CONNECTIONS = 2;

export function connectDatabase(url: string | undefined, max = MAX_CONNECTIONS) {
  if (!url) throw new Error("SUPABASE_DB_URL is not set");
  if (!Number.isInteger(max) || max < 1 || max > MAX_CONNECTIONS) {
    throw new Error(`a function's pool holds 1 to ${MAX_CONNECTIONS} connections, not ${max}`);
  }
  return postgres(url, { max, prepare: false, idle_timeout: 20, connect_timeout: 10, onnotice: () => {} });
}
