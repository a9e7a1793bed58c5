/** libxml2's xmllint validating against bench/AnyConnectProfile.xsd: the baseline for the large profile. */
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { sample } from './stats';

export const xmllintMissing = 'xmllint not installed (apt-get install libxml2-utils)';

export type XmllintResult = { readonly installed: false } | { readonly installed: true; readonly times: number[] };

function run(args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync('xmllint', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

export function xmllintInstalled(): boolean {
  const result = run(['--version']);
  return !result.error;
}

/** Throws unless xmllint reports that `file` validates against `xsd`. */
export function assertXmllintValidates(file: string, xsd: string): void {
  const result = run(['--noout', '--schema', xsd, file]);
  if (result.error) throw result.error;
  if (result.status !== 0 || !result.stderr.includes(`${file} validates`)) {
    throw new Error(`xmllint does not validate ${file} against ${xsd} (exit ${result.status}):\n${result.stderr.slice(0, 2000)}`);
  }
}

/** Wall time of `xmllint --noout --schema xsd file`, `runs` times after one checked warm-up run. */
export function benchXmllint(file: string, xsd: string, runs = 7): XmllintResult {
  if (!xmllintInstalled()) return { installed: false };
  assertXmllintValidates(file, xsd);
  return { installed: true, times: sample(runs, () => runXmllint(file, xsd)) };
}

/** One whole `xmllint --noout --schema xsd file` process, which must succeed (a timed run). */
export function runXmllint(file: string, xsd: string): void {
  const result = run(['--noout', '--schema', xsd, file]);
  if (result.status !== 0) throw new Error(`xmllint failed on ${file}: ${result.stderr.slice(0, 500)}`);
}
