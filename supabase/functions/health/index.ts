// GET /functions/v1/health: is WallTrack's database reachable, migrated, configured and is
// pg_cron running? 200 when all is well, 503 otherwise. Anyone may ask whether it is up (ADR-012):
// an anonymous caller gets only {"status"}; the details (which part is not well) go only to a
// caller holding a server-side secret, since they describe the internals.
import { connectDatabase } from "../_shared/database.ts";
import { checkHealth } from "../_shared/health.ts";
import { json, jsonError } from "../_shared/http.ts";
import { serverSecretCheck } from "../_shared/internal-auth.ts";

const authorize = serverSecretCheck(Deno.env.toObject());
const sql = connectDatabase(Deno.env.get("SUPABASE_DB_URL"), 1);

Deno.serve(async (request) => {
  if (request.method !== "GET") return jsonError(405, `method ${request.method} not allowed: use GET`);
  const health = await checkHealth(sql);
  const status = health.status === "ok" ? 200 : 503;
  return json(status, (await authorize(request)).ok ? health : { status: health.status });
});
