// GET /functions/v1/health: is WallTrack's database reachable, migrated, configured and is
// pg_cron running? 200 when all is well, 503 otherwise; the body says which part is not.
import { connectDatabase } from "../_shared/database.ts";
import { checkHealth } from "../_shared/health.ts";
import { json, jsonError } from "../_shared/http.ts";

const sql = connectDatabase(Deno.env.get("SUPABASE_DB_URL"), 1);

Deno.serve(async (request) => {
  if (request.method !== "GET") return jsonError(405, `method ${request.method} not allowed: use GET`);
  const health = await checkHealth(sql);
  return json(health.status === "ok" ? 200 : 503, health);
});
