// Reads the per-function settings of supabase/config.toml that the local router honours:
// `[functions.<name>] verify_jwt = true|false` (true when absent, as on Supabase).
export function verifyJwtSettings(configToml: string): Map<string, boolean> {
  const settings = new Map<string, boolean>();
  let section: string | null = null;
  for (const rawLine of configToml.split(/\r?\n/)) {
    const line = rawLine.replace(/#.*$/, "").trim();
    const header = /^\[functions\.([A-Za-z0-9_-]+)\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    if (line.startsWith("[")) {
      section = null;
      continue;
    }
    const setting = /^verify_jwt\s*=\s*(true|false)$/.exec(line);
    if (section && setting) settings.set(section, setting[1] === "true");
  }
  return settings;
}

export function requiresJwt(settings: Map<string, boolean>, functionName: string): boolean {
  return settings.get(functionName) ?? true;
}
