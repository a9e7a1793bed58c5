import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { runInGroup } from '../../../server/src/shellcheck/process';
import { groupMembers, survivorsOf, slowShellcheck, tempDir, waitForFile } from './support';

const dir = tempDir();
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Starts a run that hangs with a grandchild, and resolves once both are running. */
async function hangingRun(name: string, opts: { timeoutMs: number; signal?: AbortSignal }) {
  const sub = path.join(dir, name);
  fs.mkdirSync(sub);
  const { executable, sleeperPid } = slowShellcheck(sub);
  let pgid = 0;
  const done = runInGroup({ executable, args: ['-'], input: '# SLOW\n', ...opts, onSpawn: (pid) => void (pgid = pid) });
  await waitForFile(sleeperPid);
  const sleeper = Number(fs.readFileSync(sleeperPid, 'utf8'));
  return { done, pgid, sleeper };
}

suite('ShellCheck runs in its own process group', () => {
  test('an abort kills the whole group, grandchildren included', async () => {
    const abort = new AbortController();
    const { done, pgid, sleeper } = await hangingRun('abort', { timeoutMs: 60_000, signal: abort.signal });
    assert.ok(groupMembers(pgid).includes(sleeper), 'the grandchild runs in the group');
    assert.ok(groupMembers(pgid).includes(pgid), 'the leader too');
    abort.abort();
    assert.deepEqual(await done, { kind: 'cancelled' });
    assert.deepEqual(await survivorsOf(pgid), [], 'nothing of the group is left');
  });

  test('a timeout kills the whole group', async () => {
    const started = Date.now();
    const { done, pgid } = await hangingRun('timeout', { timeoutMs: 300 });
    assert.deepEqual(await done, { kind: 'timeout' });
    assert.ok(Date.now() - started < 30_000, 'stopped at the deadline, not when sleep 60 ends');
    assert.deepEqual(await survivorsOf(pgid), []);
  });

  test('what the program leaves behind when it exits is killed too', async () => {
    const script = path.join(dir, 'leaves-a-child');
    fs.writeFileSync(script, '#!/bin/sh\nsleep 60 >/dev/null 2>&1 </dev/null &\necho started\n', { mode: 0o755 });
    let pgid = 0;
    const result = await runInGroup({ executable: script, args: [], input: '', timeoutMs: 10_000, onSpawn: (pid) => void (pgid = pid) });
    assert.equal(result.kind, 'exited');
    assert.equal(result.kind === 'exited' && result.stdout, 'started\n');
    assert.deepEqual(await survivorsOf(pgid), []);
  });

  test('the input reaches stdin, arguments are passed as they are (no shell)', async () => {
    const result = await runInGroup({
      executable: 'sh',
      args: ['-c', 'cat; printf "[%s]" "$1"', 'sh', '$HOME; echo no'],
      input: 'é😀\n',
      timeoutMs: 10_000,
    });
    assert.deepEqual(result, { kind: 'exited', code: 0, stdout: 'é😀\n[$HOME; echo no]', stderr: '' });
  });

  test('a missing or non-executable program is reported as missing', async () => {
    assert.deepEqual(await runInGroup({ executable: path.join(dir, 'nope'), args: [], input: '', timeoutMs: 10_000 }), {
      kind: 'missing',
      reason: 'ENOENT',
    });
    const plain = path.join(dir, 'not-executable');
    fs.writeFileSync(plain, '#!/bin/sh\n', { mode: 0o644 });
    assert.deepEqual(await runInGroup({ executable: plain, args: [], input: '', timeoutMs: 10_000 }), {
      kind: 'missing',
      reason: 'EACCES',
    });
  });

  test('an already aborted signal starts nothing', async () => {
    const abort = new AbortController();
    abort.abort();
    let spawned = false;
    const result = await runInGroup({
      executable: 'shellcheck',
      args: ['-'],
      input: '',
      timeoutMs: 10_000,
      signal: abort.signal,
      onSpawn: () => void (spawned = true),
    });
    assert.deepEqual([result, spawned], [{ kind: 'cancelled' }, false]);
  });
});
