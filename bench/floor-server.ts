// The floor of the webhook-ingest benchmark: an empty Deno.serve handler plus one `select 1` round
// trip, on the same runtime, driver and database as the real function. Never deployed.
import postgres from "postgres";

const sql = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 4, onnotice: () => {} });
const port = Number(Deno.env.get("FLOOR_PORT") ?? "54379");

Deno.serve({ hostname: "127.0.0.1", port, onListen: () => console.log(`floor on ${port}`) }, async (request) => {
  await request.arrayBuffer();
  await sql`select 1`;
  return new Response("{}", { headers: { "content-type": "application/json" } });
});
