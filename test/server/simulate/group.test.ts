import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe as suite, test } from 'node:test';
import { groupHasLiving, groupMembers, processInfo, signalGroup } from '../../../server/src/simulate/group';
import { survivorsOf } from '../../helpers/processGroups';
import { until } from '../../helpers/until';

/** Starts `bash -c script` as a group leader; resolves with it and the first line it prints. */
async function leader(script: string): Promise<{ pgid: number; line: string }> {
  const child = spawn('bash', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  while (!out.includes('\n')) await once(child.stdout, 'data');
  return { pgid: child.pid ?? 0, line: out.split('\n')[0] };
}

suite('process groups from /proc', () => {
  test('a group whose leader lives has living members, the leader among them', async () => {
    const { pgid } = await leader('echo up; exec sleep 60');
    try {
      assert.equal(groupHasLiving(pgid), true);
      assert.deepEqual(groupMembers(pgid), [pgid]);
    } finally {
      signalGroup(pgid, 'SIGKILL');
      assert.deepEqual(await survivorsOf(pgid), []);
    }
  });

  test('a group whose leader has exited still lives through a member', async () => {
    const { pgid, line } = await leader('sleep 60 >/dev/null 2>&1 & echo $!');
    const member = Number(line);
    try {
      await until(() => processInfo(pgid)?.living !== true, 'the leader is gone');
      assert.equal(groupHasLiving(pgid), true, 'found by the scan, the leader being gone');
      assert.deepEqual(groupMembers(pgid), [member]);
    } finally {
      signalGroup(pgid, 'SIGKILL');
      assert.deepEqual(await survivorsOf(pgid), []);
    }
  });

  test('a group holding only an unreaped zombie has no living member, though the group id still answers', async () => {
    // set -m gives the job a group of its own; its parent then becomes `sleep`, which never reaps it.
    const { pgid: parent, line } = await leader('set -m; sleep 0.01 & echo $!; exec sleep 60');
    const job = Number(line);
    try {
      await until(() => processInfo(job)?.living === false, 'the job is dead');
      assert.equal(processInfo(job)?.pgrp, job, 'the job leads its own group');
      assert.doesNotThrow(() => process.kill(-job, 0), 'kill(-pgid, 0) still succeeds');
      assert.equal(groupHasLiving(job), false);
      assert.deepEqual(groupMembers(job), []);
    } finally {
      signalGroup(parent, 'SIGKILL');
      assert.deepEqual(await survivorsOf(parent), []);
    }
  });
});
