// Parses a dotenv file the way `supabase functions serve --env-file` reads one: KEY=VALUE lines,
// `#` comments, optional `export `, single or double quotes (double quotes expand \n).
export function parseDotenv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new Error(`not a KEY=VALUE line in .env: ${JSON.stringify(rawLine)}`);
    const [, key, rest] = match;
    values[key] = unquote(rest);
  }
  return values;
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
    const inner = value.slice(1, value.lastIndexOf(quote));
    return quote === '"' ? inner.replace(/\\n/g, "\n").replace(/\\"/g, '"') : inner;
  }
  const comment = value.search(/\s#/);
  return (comment >= 0 ? value.slice(0, comment) : value).trim();
}

// The function environment: the file's values, overridden by the process environment.
export function functionEnvironment(
  fileValues: Record<string, string>,
  processEnv: Record<string, string | undefined>,
  injected: Record<string, string>,
): Record<string, string> {
  const merged: Record<string, string> = { ...injected, ...fileValues };
  for (const key of Object.keys(merged)) {
    const override = processEnv[key];
    if (override !== undefined) merged[key] = override;
  }
  return merged;
}
