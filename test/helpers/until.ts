import * as assert from 'node:assert/strict';

/**
 * Polls `done` every 20 ms until it holds, for events no API reports (a process we did not spawn
 * dying, a folder removed by another process); fails after 1,000 polls, saying what it waited for.
 */
export async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting: ${what}`);
}
