// The functions' URL and key reach Vault the way they do under `supabase start` and on a hosted
// project: the Supabase CLI writes them from [db.vault] (supabase/config.toml) with
// vault.create_secret and vault.update_secret, as postgres, which the strict Vault stand-in allows.
// npm test writes no secret itself: the stack under test got them from `supabase db reset`.
import { afterAll, expect, test } from "vitest";
import { migrationUp } from "../../scripts/embedded/supabase-cli.ts";
import { connect, stack } from "./stack.ts";

const sql = connect();
afterAll(() => sql.end());

const secrets = async () =>
  await sql<{ name: string; decrypted_secret: string; updated_at: Date }[]>`
    select name, decrypted_secret, updated_at from vault.decrypted_secrets
    where name in ('project_url', 'service_role_key') order by name`;

test("the CLI wrote the functions' URL and the service-role key into Vault", async () => {
  expect((await secrets()).map(({ name, decrypted_secret }) => ({ name, decrypted_secret }))).toEqual([
    { name: "project_url", decrypted_secret: stack.functionsUrl.replace(/\/functions\/v1$/, "") },
    { name: "service_role_key", decrypted_secret: stack.serviceRoleKey },
  ]);
});

test("`migration up` without the variables leaves Vault alone; with them it updates the secrets in place", async () => {
  const before = await secrets();
  migrationUp(stack.dbUrl);
  expect(await secrets()).toEqual(before);

  migrationUp(stack.dbUrl, { projectUrl: before[0].decrypted_secret, serviceRoleKey: before[1].decrypted_secret });
  const after = await secrets();
  expect(after.map(({ name, decrypted_secret }) => ({ name, decrypted_secret })))
    .toEqual(before.map(({ name, decrypted_secret }) => ({ name, decrypted_secret })));
  for (const [index, secret] of after.entries()) expect(secret.updated_at.getTime()).toBeGreaterThan(before[index].updated_at.getTime());
});
