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

// ADR-012: no function relies on the gateway's JWT check (the anon key passes it); each checks its
// own secret, or (health) shows anonymous callers nothing internal.
test("the project's config.toml turns verify_jwt off for every function, which checks its caller itself", () => {
  const settings = verifyJwtSettings(readFileSync(new URL("../../supabase/config.toml", import.meta.url), "utf8"));
  for (const name of ["health", "helius-webhook", "signal-processor", "order-executor", "price-monitor", "helius-sync", "capture-reconciler", "notification-dispatcher"]) {
    expect(requiresJwt(settings, name), name).toBe(false);
  }
});
