import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureText, fuzz, FuzzTarget, summary } from './harness';

/** Cases per target in `npm test`; `npm run fuzz` runs 100,000 with a random seed. */
export const shortRunCases = 2000;

/** Declares the short, fixed-seed run of one target as a test; a target whose cases are heavy (files on disk) runs fewer. */
export function shortRun<I>(target: FuzzTarget<I>, seed: number, cases = shortRunCases): void {
  test(`fuzz: ${target.name} (${cases.toLocaleString('en-US')} cases, seed ${seed})`, async (t) => {
    const report = await fuzz(target, { numRuns: cases, seed });
    t.diagnostic(summary(report));
    assert.equal(report.failure, undefined, failureText(report));
    assert.equal(report.cases, cases);
  });
}
