// HS256 JWTs for the embedded stack's anon and service_role keys, signed and verified with
// WebCrypto (the same code runs in Node and Deno). Supabase's local stack uses the same scheme.
const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function hmacKey(secret: string): Promise<CryptoKey> {
  return await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

export async function signJwt(payload: Record<string, unknown>, secret: string): Promise<string> {
  const header = base64url(encoder.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
  const body = base64url(encoder.encode(JSON.stringify(payload)));
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(`${header}.${body}`));
  return `${header}.${body}.${base64url(new Uint8Array(signature))}`;
}

export type JwtCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

export async function verifyJwt(token: string, secret: string, nowSeconds = Date.now() / 1000): Promise<JwtCheck> {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "not a JWT" };
  const [header, body, signature] = parts;
  let claims: Record<string, unknown>;
  try {
    const decodedHeader = JSON.parse(new TextDecoder().decode(fromBase64url(header)));
    if (decodedHeader.alg !== "HS256") return { ok: false, reason: `unsupported alg ${decodedHeader.alg}` };
    claims = JSON.parse(new TextDecoder().decode(fromBase64url(body)));
  } catch {
    return { ok: false, reason: "malformed JWT" };
  }
  const valid = await crypto.subtle.verify(
    "HMAC",
    await hmacKey(secret),
    fromBase64url(signature),
    encoder.encode(`${header}.${body}`),
  );
  if (!valid) return { ok: false, reason: "bad signature" };
  if (typeof claims.exp === "number" && claims.exp < nowSeconds) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}

// The local stack's well-known secret (same as `supabase start`); never used by a hosted project.
export const LOCAL_JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";
const LOCAL_KEY_EXPIRY = 1983812996; // 2032-11-12, as Supabase's local demo keys

export async function localApiKeys(secret = LOCAL_JWT_SECRET): Promise<{ anonKey: string; serviceRoleKey: string }> {
  return {
    anonKey: await signJwt({ iss: "supabase-demo", role: "anon", exp: LOCAL_KEY_EXPIRY }, secret),
    serviceRoleKey: await signJwt({ iss: "supabase-demo", role: "service_role", exp: LOCAL_KEY_EXPIRY }, secret),
  };
}
