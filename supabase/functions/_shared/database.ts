// The functions' one Postgres client, over SUPABASE_DB_URL (injected by the platform, by
// `supabase start` and by the embedded stack). Numerics arrive as strings: amounts stay exact.
import postgres from "postgres";

export function connectDatabase(url: string | undefined, max = 4) {
  if (!url) throw new Error("SUPABASE_DB_URL is not set");
  return postgres(url, { max, idle_timeout: 20, connect_timeout: 10, onnotice: () => {} });
}
