// Resolves the edge functions the way the Supabase CLI bundles and serves them, and measures what
// each one would deploy. The CLI mounts only supabase/functions, passes its deno.json as the
// import map and sets DENO_NO_PACKAGE_JSON=1 (no package.json, no node_modules beside it), so npm
// specifiers must resolve through Deno's own cache; running from the repository root would hide a
// config that only works with the repository's node_modules. Hence: an isolated copy, nothing else.
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import { bin, repoRoot } from "./paths.ts";
import { run } from "./run.ts";

// Supabase refuses a function whose bundle is over 20 MB (docs: "Maximum Function Size").
export const SIZE_LIMIT_BYTES = 20_000_000;

export type FunctionSize = {
  name: string;
  modules: number; // local and remote modules in the graph
  npmPackages: number;
  bytes: number; // every module plus every file of every npm package in the graph
  brotliBytes: number; // the same bytes brotli-compressed, as the CLI compresses its eszip upload
};

export type Isolated = { dir: string; functions: string[]; cleanup: () => void };

// A copy of supabase/functions alone, without its .env (secrets stay where they are).
export function isolatedFunctions(): Isolated {
  const source = path.join(repoRoot, "supabase/functions");
  const root = mkdtempSync(path.join(os.tmpdir(), "walltrack-functions-"));
  const dir = path.join(root, "functions");
  cpSync(source, dir, { recursive: true, filter: (file) => path.basename(file) !== ".env" });
  const functions = readdirSync(dir).filter((name) => existsSync(path.join(dir, name, "index.ts"))).sort();
  return { dir, functions, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

function deno(args: string[], cwd: string) {
  // Only the CLI's variable is added; an inherited DENO_NO_PACKAGE_JSON=0 or the like is replaced.
  return run(bin("deno"), args, { cwd, env: { ...process.env, DENO_NO_PACKAGE_JSON: "1", NO_COLOR: "1" } });
}

// Resolves and type-checks every function of the copy; throws Deno's own message when one fails.
export function checkIsolated(isolated: Isolated): void {
  const result = deno(["check", "--quiet", "--config", "deno.json", ...isolated.functions.map((f) => `${f}/index.ts`)], isolated.dir);
  if (result.status !== 0) throw new Error(`${result.stdout}${result.stderr}`.trim());
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() ? [full] : [];
  });
}

// "@scope/name@1.2.3_peer@4.5.6" -> ["@scope/name", "1.2.3"]
function splitPackageId(id: string): [string, string] {
  const at = id.indexOf("@", 1);
  return [id.slice(0, at), id.slice(at + 1).split("_")[0]];
}

// The deployable size of one function: its module graph as `deno info` reports it, with each npm
// package counted whole (an eszip carries the files of the npm packages it uses, not a tree-shaken
// bundle), so the figure is an upper bound of the CLI's bundle.
export function measureFunction(isolated: Isolated, name: string): FunctionSize {
  const result = deno(["info", "--json", "--config", "deno.json", `${name}/index.ts`], isolated.dir);
  if (result.status !== 0) throw new Error(`deno info ${name}: ${result.stderr.trim()}`);
  const graph = JSON.parse(result.stdout) as {
    modules: { specifier: string; local?: string; size?: number; kind?: string }[];
    npmPackages: Record<string, unknown>;
  };
  const cache = JSON.parse(deno(["info", "--json"], isolated.dir).stdout).npmCache as string;
  const files: string[] = graph.modules.filter((m) => m.local && m.kind !== "npm").map((m) => m.local!);
  for (const id of Object.keys(graph.npmPackages)) {
    const [pkg, version] = splitPackageId(id);
    const folder = path.join(cache, "registry.npmjs.org", pkg, version);
    // Optional builds for other platforms are in the graph but never fetched: nothing to count.
    if (existsSync(folder)) files.push(...filesUnder(folder));
  }
  const bytes = files.reduce((sum, file) => sum + lstatSync(file).size, 0);
  const joined = Buffer.concat(files.map((file) => readFileSync(file)));
  const brotliBytes = brotliCompressSync(joined, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }).length;
  return { name, modules: graph.modules.filter((m) => m.kind !== "npm").length,
           npmPackages: Object.keys(graph.npmPackages).length, bytes, brotliBytes };
}

export function measureAll(isolated: Isolated): FunctionSize[] {
  return isolated.functions.map((name) => measureFunction(isolated, name));
}

export const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(2);
