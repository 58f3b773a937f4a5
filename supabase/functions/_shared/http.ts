// JSON responses: every answer, error or not, is a JSON body with the right content type.
export function json(status: number, body: unknown, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export function jsonError(status: number, error: string, details?: unknown): Response {
  return json(status, details === undefined ? { error } : { error, details });
}
