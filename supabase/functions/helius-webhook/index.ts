// POST /functions/v1/helius-webhook: Helius delivers enhanced transactions of the watched wallets.
// validate the delivery -> classify each transaction on its own -> record the signals and the
// refused transactions (one SQL statement) -> 200 with the counts -> process in the background.
// A malformed delivery as a whole is a 4xx that writes nothing; a database failure answers 503 so
// that Helius retries (the sweeper processes anything left over).
import type { JSONValue } from "postgres";
import { connectDatabase } from "../_shared/database.ts";
import { json, jsonError } from "../_shared/http.ts";
import { processSignals, runInBackground } from "../_shared/process-signals.ts";
import { readSettings } from "../_shared/settings.ts";
import { buildSignalBatch } from "../_shared/signal-batch.ts";
import { readWebhookRequest } from "../_shared/webhook-request.ts";

const settings = readSettings(Deno.env.toObject());
const sql = connectDatabase(Deno.env.get("SUPABASE_DB_URL"));

Deno.serve(async (request) => {
  const receivedAt = new Date();
  const delivery = await readWebhookRequest(request, settings.heliusWebhookSecret, settings.webhookMaxBodyBytes);
  if (!delivery.ok) return jsonError(delivery.status, delivery.error, delivery.details);

  const { batch, rejected, failed } = buildSignalBatch(delivery.raw, receivedAt, delivery.storable);
  let recorded: { recorded: string[]; watched: number; duplicates: number };
  try {
    [{ recorded }] = await sql`
      select walltrack.record_signals(${sql.json(batch as unknown as JSONValue)}) as recorded,
             walltrack.record_rejected_transactions(${sql.json(rejected as unknown as JSONValue)}) as rejected`;
  } catch (error) {
    console.error(`helius-webhook: recording failed: ${error instanceof Error ? error.message : error}`);
    return jsonError(503, "the batch could not be recorded; retry later");
  }
  if (recorded.recorded.length > 0) {
    runInBackground(processSignals(sql, settings, recorded.recorded), "helius-webhook: processing");
  }
  return json(200, {
    transactions: delivery.raw.length,
    failed_transactions_skipped: failed,
    transactions_refused: rejected.rejections.length,
    signals_recorded: recorded.recorded.length,
    duplicates: recorded.duplicates,
  });
});
