// Helpers for the simulation tests: hooks written to a temp folder, every spawned group tracked.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach } from 'node:test';
import { survivorsOf } from '../../helpers/processGroups';

/** A folder for this test file's hooks, removed at the end; after each test no spawned group may have a living member. */
export function simulationSandbox() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-simulate-'));
  const groups: number[] = [];
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    const left = await Promise.all(groups.splice(0).map((g) => survivorsOf(g)));
    assert.deepEqual(left.flat(), [], 'no process of the test is left');
  });
  return {
    dir,
    /** Writes a hook (LF unless the text says otherwise) and returns its path. */
    hook(name: string, lines: string[], mode = 0o755): string {
      const file = path.join(dir, name);
      fs.writeFileSync(file, lines.join('\n') + '\n', { mode });
      return file;
    },
    /** Pass as onSpawn: remembers the group for the after-test check. */
    track: (pgid: number): void => void groups.push(pgid),
  };
}
