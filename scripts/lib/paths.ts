// Where things are: the repository root and the git-ignored state folder of the embedded stack.
import { fileURLToPath } from "node:url";
import path from "node:path";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const stateDir = path.join(repoRoot, ".walltrack");
export const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);
