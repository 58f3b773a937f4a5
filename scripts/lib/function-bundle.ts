// Resolves the edge functions the way the Supabase CLI bundles and serves them, and measures what
// each one would deploy. The CLI mounts only supabase/functions, passes its deno.json as the
// import map and sets DENO_NO_PACKAGE_JSON=1 (no package.json, no node_modules beside it), so npm
// specifiers must resolve through Deno's own cache; running from the repository root would hide a
// config that only works with the repository's node_modules. Hence: an isolated copy, nothing else.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";
import { build, Parser } from "@deno/eszip";
import { bin, repoRoot } from "./paths.ts";
import { run } from "./run.ts";

// Supabase refuses a function whose upload is over 20 MB (docs: "Maximum Function Size", 20 MB
// after bundling with the CLI; the CLI prints the figure it checks as "script size").
export const SIZE_LIMIT_BYTES = 20_000_000;

// What `supabase functions deploy` builds and uploads, read from the CLI (pkg/function/bundle.go,
// batch.go) and the edge runtime's bundler (crates/deno_facade/eszip): an eszip holding each module
// of the function's graph, transpiled, with its source map, plus every file of every npm package of
// the graph's npm snapshot (whole package folders, kept as opaque data for a virtual node_modules);
// then the magic "EZBR" and that eszip brotli-compressed at the Go library's default quality (6).
export type FunctionSize = {
  name: string;
  modules: string[]; // the function's own modules in its eszip (file: specifiers, the import map aside)
  npmPackages: number;
  eszipBytes: number; // the eszip of those modules
  npmBytes: number; // every file of every npm package of the graph
  bytes: number; // eszipBytes + npmBytes: the bundle before compression
  uploadBytes: number; // "EZBR" + brotli of the bundle: what the CLI uploads and Supabase checks
};

const UPLOAD_MAGIC = "EZBR";
const CLI_BROTLI_QUALITY = 6;

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

// The eszip of the function's own modules, built from the same entry point and import map by
// Deno's eszip library: npm specifiers stay references, as in the edge runtime's eszip.
async function moduleEszip(isolated: Isolated, name: string): Promise<{ bytes: Uint8Array; modules: string[] }> {
  const root = pathToFileURL(path.join(isolated.dir, name, "index.ts")).href;
  const importMap = pathToFileURL(path.join(isolated.dir, "deno.json")).href;
  const bytes = await build([root], async (specifier) => {
    if (!specifier.startsWith("file:")) throw new Error(`${name}: ${specifier} is neither local nor npm; count it before deploying`);
    return { kind: "module", specifier, headers: {}, content: readFileSync(new URL(specifier), "utf8") };
  }, importMap);
  const parser = await Parser.createInstance();
  const specifiers: string[] = await parser.parseBytes(bytes);
  return { bytes, modules: specifiers.filter((s) => s !== importMap).sort() };
}

// The function's module graph as Deno resolves it from the copy (`deno info --json`).
export type DenoGraph = {
  roots: string[];
  modules: { specifier: string; kind?: string; dependencies?: { code?: { specifier: string }; type?: { specifier: string } }[] }[];
  npmPackages: Record<string, unknown>;
};

export function denoInfo(isolated: Isolated, name: string): DenoGraph {
  const result = deno(["info", "--json", "--config", "deno.json", `${name}/index.ts`], isolated.dir);
  if (result.status !== 0) throw new Error(`deno info ${name}: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout);
}

// The graph's npm packages, each one's folder in Deno's cache.
function npmPackageFolders(isolated: Isolated, name: string): string[] {
  const cache = JSON.parse(deno(["info", "--json"], isolated.dir).stdout).npmCache as string;
  return Object.keys(denoInfo(isolated, name).npmPackages).map((id) => {
    const [pkg, version] = splitPackageId(id);
    return path.join(cache, "registry.npmjs.org", pkg, version);
  });
}

// The deployable size of one function, built as the CLI builds it. Left out: the per-entry
// headers and checksums of the eszip and the virtual file system's index (tens of bytes a file).
export async function measureFunction(isolated: Isolated, name: string): Promise<FunctionSize> {
  const { bytes: eszip, modules } = await moduleEszip(isolated, name);
  const folders = npmPackageFolders(isolated, name);
  // Optional builds for other platforms are in the snapshot but never fetched: nothing to count.
  const files = folders.filter((folder) => existsSync(folder)).flatMap((folder) => filesUnder(folder).sort());
  const npm = files.map((file) => readFileSync(file));
  const npmBytes = npm.reduce((sum, content) => sum + content.length, 0);
  const compressed = brotliCompressSync(Buffer.concat([eszip, ...npm]), { params: { [constants.BROTLI_PARAM_QUALITY]: CLI_BROTLI_QUALITY } });
  return { name, modules, npmPackages: folders.length, eszipBytes: eszip.length, npmBytes,
           bytes: eszip.length + npmBytes, uploadBytes: UPLOAD_MAGIC.length + compressed.length };
}

export async function measureAll(isolated: Isolated): Promise<FunctionSize[]> {
  const sizes: FunctionSize[] = [];
  for (const name of isolated.functions) sizes.push(await measureFunction(isolated, name));
  return sizes;
}

// A function over the limit, or one whose measure came out empty (nothing was counted).
export const oversized = (sizes: FunctionSize[]) =>
  sizes.filter((size) => size.bytes >= SIZE_LIMIT_BYTES || size.uploadBytes >= SIZE_LIMIT_BYTES || size.npmBytes === 0 && size.eszipBytes === 0);

export const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(2);
