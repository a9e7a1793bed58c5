import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { processTable } from '../../../server/src/simulate/group';
import { until } from '../../helpers/until';

const module = path.resolve(__dirname, '../../../server/src/simulate/tempFolder.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-tempfolder-test-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/**
 * A node process (with its own TMPDIR) that makes `made` owned temp folders, disposes `disposed` of
 * them, prints "ready" and then waits (`stay`) or ends its script.
 */
function owner(tmp: string, made: number, disposed: number, stay: boolean): ChildProcess {
  const script = `
    const { ownedTempFolder } = require(${JSON.stringify(module)});
    const folders = Array.from({ length: ${made} }, (_, i) => ownedTempFolder('hooksmith-test' + i + '-'));
    folders.slice(0, ${disposed}).forEach((f) => f.dispose());
    process.stdout.write('ready\\n');
    if (${stay}) setInterval(() => undefined, 60_000);`;
  return spawn(process.execPath, ['-e', script], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'inherit'] });
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`the owner exited (${code}) before it was ready`)));
  });
}

function privateTmp(name: string): string {
  const tmp = path.join(scratch, name);
  fs.mkdirSync(tmp);
  return tmp;
}

suite('owned temp folders', () => {
  test('after a SIGKILL of their process, its folders are removed, by one janitor for all of them', async () => {
    const tmp = privateTmp('killed');
    const child = owner(tmp, 3, 1, true);
    after(() => child.kill('SIGKILL')); // when an assertion fails first
    await ready(child);
    assert.equal(fs.readdirSync(tmp).length, 2, 'one of three was disposed at once');
    const janitors = (processTable() ?? []).filter((p) => p.living && p.ppid === child.pid);
    assert.equal(janitors.length, 1, 'one janitor process, not one per folder');
    child.kill('SIGKILL');
    await until(() => fs.readdirSync(tmp).length === 0, 'the folders left were removed');
    await until(() => !(processTable() ?? []).some((p) => p.living && p.pid === janitors[0].pid), 'the janitor ended');
  });

  test('a process that ends on its own is not held up by the janitor, which removes what was left', async () => {
    const tmp = privateTmp('ended');
    const child = owner(tmp, 2, 0, false);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await ready(child);
    assert.equal(await exited, 0);
    await until(() => fs.readdirSync(tmp).length === 0, 'the folders never disposed were removed');
  });
});
