// Validates a Helius webhook delivery as a whole before anything is written: method, the shared
// secret (compared in constant time), content type, body size, JSON, and the envelope (an array of
// 1 to 1,000 JSON objects). Each refusal names what was wrong. What is inside each object is
// judged transaction by transaction (signal-batch.ts): one bad transaction never refuses the rest.

import { storableText } from "./signal-batch.ts";

export const MAX_TRANSACTIONS = 1000;

export type WebhookRequest =
  // storable: no string in it holds a NUL or a lone surrogate (it can be stored as it is).
  | { ok: true; raw: Record<string, unknown>[]; storable: boolean }
  | { ok: false; status: number; error: string; details?: unknown };

// Equal-length SHA-256 digests compared without an early exit: the time does not depend on where
// the given value differs from the secret, nor on the secret's length.
export async function secretsMatch(given: string | null, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given ?? "")),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let difference = given === null ? 1 : 0;
  for (let i = 0; i < x.length; i++) difference |= x[i] ^ y[i];
  return difference === 0;
}

async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

export async function readWebhookRequest(
  request: Request,
  secret: string | null,
  maxBytes: number,
): Promise<WebhookRequest> {
  if (request.method !== "POST") return { ok: false, status: 405, error: `method ${request.method} not allowed: use POST` };
  if (!secret) return { ok: false, status: 500, error: "HELIUS_WEBHOOK_SECRET is not configured on this function" };
  if (!(await secretsMatch(request.headers.get("authorization"), secret))) {
    return { ok: false, status: 401, error: "missing or wrong Authorization header: it must be the webhook's authHeader" };
  }
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    return { ok: false, status: 415, error: `content-type must be application/json, got ${JSON.stringify(contentType)}` };
  }
  const body = await readLimited(request, maxBytes);
  if (body === null) return { ok: false, status: 413, error: `body larger than ${maxBytes} bytes` };
  let raw: unknown;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, status: 400, error: "body is not valid JSON", details: error instanceof Error ? error.message : String(error) };
  }
  if (!Array.isArray(raw)) return { ok: false, status: 400, error: "body must be a JSON array of enhanced transactions" };
  if (raw.length === 0) return { ok: false, status: 400, error: "body is an empty array: no enhanced transactions" };
  if (raw.length > MAX_TRANSACTIONS) {
    return { ok: false, status: 400, error: `body holds ${raw.length} items: at most ${MAX_TRANSACTIONS} enhanced transactions per delivery` };
  }
  const notObject = raw.findIndex((item) => item === null || typeof item !== "object" || Array.isArray(item));
  if (notObject >= 0) {
    return { ok: false, status: 400, error: `item ${notObject} of the body is not a JSON object: not a delivery of enhanced transactions` };
  }
  return { ok: true, raw, storable: storableText(text) };
}
