/** In-process timing of the validator core, `lintProfile`. */
import { readFileSync } from 'node:fs';
import { Finding } from '../server/src/diagnostics';
import { lintProfile } from '../server/src/profile/lint';
import { median, p95, sample } from './stats';

const options = { dialect: 'auto', maxSize: 10 * 1024 * 1024 } as const;

/** Throws, listing the first findings, unless `text` validates with zero findings. */
export function assertValid(text: string, label: string): void {
  const findings = lintProfile(text, options);
  if (findings.length) throw new Error(`${label} does not validate cleanly (${findings.length} findings):\n${describe(findings, text)}`);
}

function describe(findings: readonly Finding[], text: string): string {
  return findings
    .slice(0, 5)
    .map((f) => `  ${f.code} at ${f.start}: ${f.message} [${JSON.stringify(text.slice(f.start, f.end))}]`)
    .join('\n');
}

export interface SmallResult {
  readonly iterations: number;
  readonly medianMs: number;
  readonly p95Ms: number;
}

/** lintProfile on the ~30 KB profile: `warmup` untimed runs, then `iterations` timed ones. */
export function benchSmall(text: string, iterations = 500, warmup = 100): SmallResult {
  assertValid(text, 'The 30 KB profile');
  sample(warmup, () => lintProfile(text, options));
  const times = sample(iterations, () => lintProfile(text, options));
  return { iterations, medianMs: median(times), p95Ms: p95(times) };
}

/** Reading and validating the large profile, `runs` times after one warm-up; returns each run's ms. */
export function benchLarge(path: string, runs = 7): number[] {
  assertValid(readFileSync(path, 'utf8'), `The large profile ${path}`);
  return sample(runs, () => lintProfile(readFileSync(path, 'utf8'), options));
}
