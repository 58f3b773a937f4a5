import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { requiresJwt, verifyJwtSettings } from "../../scripts/embedded/function-settings.ts";

test("reads verify_jwt per function and defaults to true", () => {
  const settings = verifyJwtSettings(`
[api]
verify_jwt = false   # not a function section

[functions.helius-webhook]
verify_jwt = false # Helius signs with its own secret

[functions.order-executor]
verify_jwt = true
`);
  expect(requiresJwt(settings, "helius-webhook")).toBe(false);
  expect(requiresJwt(settings, "order-executor")).toBe(true);
  expect(requiresJwt(settings, "health")).toBe(true);
  expect(settings.has("api")).toBe(false);
});

test("the project's config.toml parses", () => {
  const settings = verifyJwtSettings(readFileSync(new URL("../../supabase/config.toml", import.meta.url), "utf8"));
  expect(requiresJwt(settings, "health")).toBe(true);
});
