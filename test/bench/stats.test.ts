// How the soak rows decide "flat": growth per 1,000 runs over the later half, robust to a stray sample.
import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { alternating, laterGrowthPer1000, theilSen } from '../../bench/stats';

/** Samples every 50 runs up to `runs`, of `at(run)`. */
function trail(runs: number, at: (run: number) => number): { run: number; value: number }[] {
  return Array.from({ length: runs / 50 + 1 }, (_, i) => ({ run: i * 50, value: at(i * 50) }));
}

suite('the soak rows judge growth after the warm-up', () => {
  test('a process that grows for 300 runs and then levels off is flat', () => {
    // RSS as measured alone: 89 MB, up 50 MB while V8 sizes its heap and malloc makes its arenas, then level, ±2 MB.
    const plateau = trail(1000, (run) => 89 + 50 * Math.min(1, run / 300) + (run % 100 === 0 ? 2 : -2));
    const growth = laterGrowthPer1000(plateau);
    assert.ok(Math.abs(growth) <= 1, `a plateau grew ${growth} MB per 1,000 runs`);
    // The same trail's first and last samples are 50 MB apart: the old before → after check called this growth.
    assert.ok(plateau[plateau.length - 1].value - plateau[0].value > 45);
  });

  test('a leak of 20 KB per run is seen at its size, warm-up or not', () => {
    const leak = trail(1000, (run) => 89 + 50 * Math.min(1, run / 300) + (run * 20) / 1024);
    assert.equal(laterGrowthPer1000(leak).toFixed(1), ((1000 * 20) / 1024).toFixed(1));
  });

  test('one stray sample does not make a flat trail grow, nor hide a leak', () => {
    const spike = trail(1000, (run) => (run === 900 ? 160 : 140));
    assert.equal(laterGrowthPer1000(spike), 0);
    const leakWithDip = trail(1000, (run) => (run === 1000 ? 100 : 100 + run / 100));
    assert.equal(laterGrowthPer1000(leakWithDip).toFixed(1), '10.0');
  });

  test('the slope is the median of the pairwise slopes', () => {
    assert.equal(theilSen([0, 1, 2, 3], [0, 2, 4, 6]), 2);
    assert.equal(theilSen([0, 1, 2], [5, 5, 5]), 0);
  });
});

suite('whole-process rows time hooksmith and its comparison in turns', () => {
  test('each run of ours is followed by one of theirs, after one warm-up of each, and the times are kept apart', () => {
    const calls: string[] = [];
    const times = alternating(
      3,
      () => calls.push('ours'),
      () => calls.push('theirs'),
    );
    assert.deepEqual(calls, ['ours', 'theirs', 'ours', 'theirs', 'ours', 'theirs', 'ours', 'theirs']);
    assert.equal(times.ours.length, 3);
    assert.equal(times.theirs?.length, 3);
  });

  test('without a comparison (not installed) only ours runs', () => {
    let runs = 0;
    const times = alternating(4, () => runs++);
    assert.equal(runs, 5);
    assert.deepEqual({ ours: times.ours.length, theirs: times.theirs }, { ours: 4, theirs: undefined });
  });
});
