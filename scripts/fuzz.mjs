// `npm run fuzz`: the long run of every fuzz target (test/fuzz/targets), after `build.mjs --tests`.
// Options: --runs N (cases per target, default 100000), --seed S (default random, printed first),
// --target NAME (a part of a target's name). Prints a table; exit status 1 when a target failed.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { targets } = require('../out/test/fuzz/targets/index.js');
const { formatTable, fuzz, failureText, summary } = require('../out/test/fuzz/harness.js');

const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, target: { type: 'string' } } });
const runs = Number(values.runs ?? 100000);
const seed = values.seed === undefined ? (Math.random() * 2 ** 31) | 0 : Number(values.seed);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed S] [--target NAME]');
  process.exit(2);
}
const chosen = targets.filter((t) => !values.target || t.name.includes(values.target));
console.log(
  `fuzz: seed ${seed}, ${runs.toLocaleString('en-US')} cases per target (repeat with: npm run fuzz -- --seed ${seed} --runs ${runs})`,
);

const reports = [];
for (const target of chosen) {
  const started = Date.now();
  const progress = (cases) =>
    process.stderr.write(`  ${target.name}: ${cases.toLocaleString('en-US')} cases, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  const report = await fuzz(target, { numRuns: runs, seed, progress });
  console.log(`${summary(report)} [${((Date.now() - started) / 1000).toFixed(0)} s]`);
  console.log(`  slowest input: ${report.slowest}`);
  if (report.failure) {
    console.log(failureText(report));
    const file = join(tmpdir(), `hooksmith-fuzz-${target.name.replace(/\W+/g, '-')}-${seed}.json`);
    writeFileSync(file, JSON.stringify(report.failure, null, 1));
    console.log(`  the failing inputs (first met and smallest): ${file}`);
  }
  reports.push(report);
}
console.log(formatTable(reports));
process.exitCode = reports.some((r) => r.failure) ? 1 : 0;
