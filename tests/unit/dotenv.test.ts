import { expect, test } from "vitest";
import { functionEnvironment, parseDotenv } from "../../scripts/embedded/dotenv.ts";

test("parses KEY=VALUE lines, comments, export, quotes and inline comments", () => {
  const text = [
    "# a comment",
    "",
    "PLAIN=value",
    "export EXPORTED=yes",
    'DOUBLE="two words # not a comment"',
    "SINGLE='it''s raw \\n'",
    'ESCAPED="line1\\nline2"',
    "INLINE=kept # dropped",
    "EMPTY=",
  ].join("\n");
  expect(parseDotenv(text)).toEqual({
    PLAIN: "value",
    EXPORTED: "yes",
    DOUBLE: "two words # not a comment",
    SINGLE: "it''s raw \\n",
    ESCAPED: "line1\nline2",
    INLINE: "kept",
    EMPTY: "",
  });
});

test("a line that is not KEY=VALUE is an error that quotes it", () => {
  expect(() => parseDotenv("GOOD=1\nthis is wrong")).toThrow('not a KEY=VALUE line in .env: "this is wrong"');
});

test("the process environment overrides the file, the file overrides injected defaults", () => {
  const env = functionEnvironment(
    { HELIUS_WEBHOOK_SECRET: "from-file", RUGCHECK_API_URL: "http://file" },
    { RUGCHECK_API_URL: "http://process", UNRELATED: "x" },
    { SUPABASE_DB_URL: "postgresql://injected", HELIUS_WEBHOOK_SECRET: "injected" },
  );
  expect(env).toEqual({
    SUPABASE_DB_URL: "postgresql://injected",
    HELIUS_WEBHOOK_SECRET: "from-file",
    RUGCHECK_API_URL: "http://process",
  });
});
