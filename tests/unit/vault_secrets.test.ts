// The functions' URL and key reach Vault the way the Supabase CLI writes secrets: [db.vault] in
// supabase/config.toml names them from the variables the start command sets; on the Docker stack
// the key is the running stack's and the URL is Kong's on the CLI's network, never loopback.
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import {
  DOCKER_PROJECT_URL_FROM_DB, serviceRoleKeyFromStatus, startDockerStack, vaultEnv,
} from "../../scripts/embedded/supabase-cli.ts";

function dbVaultSection(configToml: string): Record<string, string> {
  const entries: Record<string, string> = {};
  let inside = false;
  for (const raw of configToml.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, "").trim();
    if (line.startsWith("[")) {
      inside = line === "[db.vault]";
      continue;
    }
    const entry = /^([a-z_]+)\s*=\s*"(.*)"$/.exec(line);
    if (inside && entry) entries[entry[1]] = entry[2];
  }
  return entries;
}

test("config.toml's [db.vault] declares project_url and service_role_key from the variables the start command sets", () => {
  const declared = dbVaultSection(readFileSync(new URL("../../supabase/config.toml", import.meta.url), "utf8"));
  const env = vaultEnv({ projectUrl: "http://kong:8000", serviceRoleKey: "key" });
  // The CLI resolves env(NAME) from the environment, and writes a secret only when it resolves.
  const resolved = Object.fromEntries(Object.entries(declared).map(([name, value]) => {
    const variable = /^env\((.+)\)$/.exec(value)?.[1];
    return [name, variable ? env[variable] : value];
  }));
  expect(resolved).toEqual({ project_url: "http://kong:8000", service_role_key: "key" });
  expect(vaultEnv()).toEqual({});
});

test("the Docker stack's key is read from `supabase status -o env`, quoted or not; its sb_secret_ key without legacy keys", () => {
  const status = [
    'API_URL="http://127.0.0.1:54321"',
    'ANON_KEY="anon.jwt.value"',
    'SERVICE_ROLE_KEY="service.jwt.value"',
    'SECRET_KEY="sb_secret_x"',
  ].join("\n");
  expect(serviceRoleKeyFromStatus(status)).toBe("service.jwt.value");
  expect(serviceRoleKeyFromStatus("SERVICE_ROLE_KEY=plain\n")).toBe("plain");
  expect(serviceRoleKeyFromStatus('PUBLISHABLE_KEY="sb_publishable_x"\nSECRET_KEY="sb_secret_y"\n')).toBe("sb_secret_y");
  expect(() => serviceRoleKeyFromStatus('API_URL="http://127.0.0.1:54321"\n')).toThrow(/no SERVICE_ROLE_KEY/);
});

test("the database container reaches the functions through Kong on the CLI's network, not loopback", () => {
  expect(DOCKER_PROJECT_URL_FROM_DB).toBe("http://kong:8000");
  expect(DOCKER_PROJECT_URL_FROM_DB).not.toMatch(/127\.0\.0\.1|localhost/);
});

type Call = { args: string[]; env: Record<string, string> };
function fakeCli(answers: Record<string, { status: number; stdout?: string }>) {
  const calls: Call[] = [];
  const cli = (args: string[], _inherit = false, env: Record<string, string> = {}) => {
    calls.push({ args, env });
    const answer = answers[args.join(" ")] ?? { status: 0 };
    return { status: answer.status, stdout: answer.stdout ?? "", stderr: "" };
  };
  return { cli, calls };
}

test("npm start with Docker: supabase start, then migration up writing Kong's URL and the running stack's key", () => {
  const { cli, calls } = fakeCli({ "status -o env": { status: 0, stdout: 'SERVICE_ROLE_KEY="the.stack.key"\n' } });
  expect(startDockerStack(cli)).toBe(0);
  expect(calls).toEqual([
    { args: ["start"], env: {} },
    { args: ["status", "-o", "env"], env: {} },
    { args: ["migration", "up", "--include-all", "--yes"],
      env: { WALLTRACK_VAULT_PROJECT_URL: "http://kong:8000", WALLTRACK_VAULT_SERVICE_ROLE_KEY: "the.stack.key" } },
  ]);
});

test("a failed supabase start stops there, with its exit status", () => {
  const { cli, calls } = fakeCli({ start: { status: 3 } });
  expect(startDockerStack(cli)).toBe(3);
  expect(calls.map((call) => call.args)).toEqual([["start"]]);
});
