// The Debian packages the embedded stack needs, how to tell each is there, and installing the
// missing ones where we can (root on Debian); otherwise a message that names them.
import { existsSync } from "node:fs";
import { commandExists, run } from "../lib/run.ts";

export const PG_MAJOR = 15;
export const pgBin = (name: string) => `/usr/lib/postgresql/${PG_MAJOR}/bin/${name}`;
const extensionDir = `/usr/share/postgresql/${PG_MAJOR}/extension`;

const PACKAGES: { name: string; present: () => boolean; forTests?: boolean }[] = [
  { name: `postgresql-${PG_MAJOR}`, present: () => existsSync(pgBin("postgres")) },
  { name: `postgresql-${PG_MAJOR}-cron`, present: () => existsSync(`${extensionDir}/pg_cron.control`) },
  { name: `postgresql-${PG_MAJOR}-pgtap`, present: () => existsSync(`${extensionDir}/pgtap.control`) },
  { name: `postgresql-${PG_MAJOR}-plpgsql-check`, present: () => existsSync(`${extensionDir}/plpgsql_check.control`) },
  { name: "libtap-parser-sourcehandler-pgtap-perl", present: () => commandExists("pg_prove"), forTests: true },
  // The dashboard's browser test drives Debian's chromium (playwright-core downloads no browser).
  { name: "chromium", present: () => existsSync("/usr/bin/chromium"), forTests: true },
];

export function missingPackages(includeTestTools: boolean): string[] {
  return PACKAGES.filter((p) => (includeTestTools || !p.forTests) && !p.present()).map((p) => p.name);
}

export function ensureSystemPackages(includeTestTools: boolean): void {
  const missing = missingPackages(includeTestTools);
  if (missing.length === 0) return;
  const canInstall = process.getuid?.() === 0 && commandExists("apt-get");
  if (!canInstall) {
    throw new Error(
      `missing system packages: ${missing.join(" ")}\n` +
        `install them with: sudo apt-get install -y ${missing.join(" ")}`,
    );
  }
  console.log(`installing system packages: ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-qq"], { env, stdio: "inherit" });
  const install = run("apt-get", ["install", "-y", "-qq", ...missing], { env, stdio: "inherit" });
  const stillMissing = missingPackages(includeTestTools);
  if (install.status !== 0 || stillMissing.length > 0) {
    throw new Error(`could not install system packages: ${stillMissing.join(" ")}`);
  }
}
