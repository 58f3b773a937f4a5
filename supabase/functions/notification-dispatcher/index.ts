// POST /functions/v1/notification-dispatcher: delivers the notifications outbox to the channels
// whose credentials are set (Telegram, Discord, the signed webhook); run every minute by pg_cron
// through walltrack.dispatch_notifications, only when a delivery is due.
import { connectDatabase } from "../_shared/database.ts";
import { jobHandler } from "../_shared/job.ts";
import { dispatchNotifications, readNotifySettings } from "../_shared/notify.ts";

const settings = readNotifySettings(Deno.env.toObject());
const sql = connectDatabase(Deno.env.get("SUPABASE_DB_URL"), 2);

// ADR-012: only a caller holding a server-side secret (pg_cron sends the Vault service_role_key).
Deno.serve(jobHandler("notification-dispatcher", Deno.env.toObject(), () => dispatchNotifications(sql, settings, fetch),
  "dispatch failed; every claimed delivery is sent again once its lease expires"));
