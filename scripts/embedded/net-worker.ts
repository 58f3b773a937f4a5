// The pg_net stand-in's worker: claims queued requests from net.http_request_queue, sends them
// and records each outcome in net._http_response, as pg_net's background worker does (a request
// is taken off the queue when claimed, so delivery is at most once, like pg_net's). Like it, it
// forgets responses older than pg_net.ttl (6 hours unless set): nothing may count on a response
// being kept longer than that.
import type { Sql, TransactionSql } from "postgres";

type QueuedRequest = {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
  timeout_milliseconds: number;
};

type RecordedResponse = {
  id: string;
  status_code: number | null;
  content_type: string | null;
  headers: Record<string, string> | null;
  content: string | null;
  timed_out: boolean;
  error_msg: string | null;
};

export async function drainHttpQueue(sql: Sql, send: typeof fetch = fetch, batchSize = 50): Promise<number> {
  const requests = await sql<QueuedRequest[]>`
    delete from net.http_request_queue
     where id in (select id from net.http_request_queue order by id limit ${batchSize} for update skip locked)
    returning id, method, url, headers, body, timeout_milliseconds`;
  if (requests.length === 0) return 0;
  const responses = await Promise.all(requests.map((request) => deliver(request, send)));
  await sql`
    insert into net._http_response ${sql(responses.map((r) => ({ ...r, headers: r.headers && sql.json(r.headers) })))}
    on conflict (id) do nothing`;
  return requests.length;
}

async function deliver(request: QueuedRequest, send: typeof fetch): Promise<RecordedResponse> {
  try {
    const response = await send(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ? new Uint8Array(request.body) : undefined,
      signal: AbortSignal.timeout(request.timeout_milliseconds),
    });
    return {
      id: request.id,
      status_code: response.status,
      content_type: response.headers.get("content-type"),
      headers: Object.fromEntries(response.headers.entries()),
      content: await response.text(),
      timed_out: false,
      error_msg: null,
    };
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    return {
      id: request.id,
      status_code: null,
      content_type: null,
      headers: null,
      content: null,
      timed_out: timedOut,
      error_msg: timedOut ? `timed out after ${request.timeout_milliseconds} ms` : String(error),
    };
  }
}

// pg_net's worker deletes expired responses as it goes (src/core.c, delete_expired_responses), with
// pg_net.ttl read from the server's settings.
export async function forgetExpiredResponses(sql: Sql | TransactionSql): Promise<number> {
  const forgotten = await sql`
    delete from net._http_response
     where created < now() - coalesce(nullif(current_setting('pg_net.ttl', true), ''), '6 hours')::interval`;
  return forgotten.count;
}
