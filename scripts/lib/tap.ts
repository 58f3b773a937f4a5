// Counts pgTAP results in pg_prove --verbose output. A failing TODO test (a known bug written
// down) counts neither as passed nor as failed. A test file that died before its plan was
// complete counts its missing tests as failed, and a file with no plan at all counts as one failure.
export type TapCount = { passed: number; failed: number; failures: string[] };

export function countTap(output: string): TapCount {
  const count: TapCount = { passed: 0, failed: 0, failures: [] };
  let file: { name: string; planned: number | null; seen: number } | null = null;
  const closeFile = () => {
    if (!file) return;
    const missing = file.planned === null ? 1 : Math.max(0, file.planned - file.seen);
    if (missing > 0) {
      count.failed += missing;
      count.failures.push(`${file.name}: ${file.planned === null ? "no plan (the file died)" : `${missing} planned tests did not run`}`);
    }
    file = null;
  };
  for (const line of output.split("\n")) {
    const header = /^(\S+\.sql) \.\./.exec(line);
    if (header) {
      closeFile();
      file = { name: header[1], planned: null, seen: 0 };
      continue;
    }
    if (!file) continue;
    const plan = /^1\.\.(\d+)/.exec(line);
    if (plan) {
      file.planned = Number(plan[1]);
      continue;
    }
    const result = /^(not )?ok \d+/.exec(line);
    if (result) {
      file.seen += 1;
      if (result[1] && /#\s*TODO\b/i.test(line)) continue; // an expected failure in TAP
      if (result[1]) {
        count.failed += 1;
        count.failures.push(`${file.name}: ${line.trim()}`);
      } else {
        count.passed += 1;
      }
    }
  }
  closeFile();
  return count;
}
