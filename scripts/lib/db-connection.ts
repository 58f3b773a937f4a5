// How the operator's tools (scripts/operator.ts, scripts/dashboard.ts) reach a database: the
// embedded stack over plain TCP, anything else over TLS with the certificate verified.
import { readFileSync } from "node:fs";
import { isIP } from "node:net";

export const EMBEDDED_DB_URL = "postgresql://postgres:postgres@127.0.0.1:54322/postgres";

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

// The embedded stack on this machine speaks plain TCP. Anything else gets TLS with the server's
// certificate verified against the CA (the system's, or --db-ca) and the host name, unless
// --db-insecure-tls says otherwise: an unverified TLS server may be anyone, and it receives the
// password. sslmode and sslrootcert in the URL are read here, not passed on to the server.
export function connectionOptions(rawUrl: string, tls: { caFile?: string; insecure?: boolean }) {
  const url = new URL(rawUrl);
  const caFile = tls.caFile ?? url.searchParams.get("sslrootcert") ?? undefined;
  url.searchParams.delete("sslmode");
  url.searchParams.delete("sslrootcert");
  if (LOCAL_HOSTS.has(url.hostname)) return { url: url.toString(), ssl: false as const };
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return {
    url: url.toString(),
    ssl: {
      rejectUnauthorized: !tls.insecure,
      host,
      servername: isIP(host) ? undefined : host,
      ...(caFile && caFile !== "system" ? { ca: readFileSync(caFile, "utf8") } : {}),
    },
  };
}
