// Where things are: the repository root, the git-ignored state folder of the embedded stack, and
// where a database cluster's files go.
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const stateDir = path.join(repoRoot, ".walltrack");
export const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);

// As root, PostgreSQL runs as the `postgres` user, who cannot enter root's home (mode 0700 on
// Debian) and so cannot reach a cluster inside the clone: clusters then live under
// /var/lib/walltrack/<clone>-<hash of its path>/, one folder per clone. Otherwise in .walltrack/.
export const clustersDir = process.getuid?.() === 0
  ? path.join("/var/lib/walltrack", `${path.basename(repoRoot)}-${createHash("sha256").update(repoRoot).digest("hex").slice(0, 8)}`)
  : stateDir;
