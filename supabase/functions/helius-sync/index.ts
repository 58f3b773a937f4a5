// POST /functions/v1/helius-sync: pushes the watchlist to the global Helius webhook when a wallet
// is pending (pg_cron every 5 minutes through walltrack.sync_helius_addresses).
import { connectDatabase } from "../_shared/database.ts";
import { syncHeliusAddresses } from "../_shared/helius-sync.ts";
import { jobHandler } from "../_shared/job.ts";
import { readSettings } from "../_shared/settings.ts";

const settings = readSettings(Deno.env.toObject());
const sql = connectDatabase(Deno.env.get("SUPABASE_DB_URL"), 2);

// ADR-012: only a caller holding a server-side secret (pg_cron sends the Vault service_role_key).
Deno.serve(jobHandler("helius-sync", Deno.env.toObject(), () => syncHeliusAddresses(sql, settings), "sync failed; the next run will try again"));
