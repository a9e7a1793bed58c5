// The workspace scan on what a hostile repository can hold. Each test has its own deadline:
// a scan stuck on a FIFO fails here instead of hanging the suite.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { append } from '../../../server/src/append';
import { lintFolder, HookReport, scanHooks } from '../../../server/src/workspace/scan';
import { needsShellParser } from '../../helpers/hooks';

needsShellParser();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-scan-hostile-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

function mkfifo(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  assert.equal(spawnSync('mkfifo', [file]).status, 0);
  return file;
}

function symlink(target: string, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.symlinkSync(target, file);
}

async function scan(root: string, mappings = {}): Promise<Record<string, string[]>> {
  const reports: HookReport[] = [];
  await scanHooks(root, (_, found) => void append(reports, found), { mappings });
  return Object.fromEntries(reports.map((r) => [path.relative(root, r.file), r.findings.map((f) => f.code)]));
}

suite('workspace scan: special files', { timeout: 30_000 }, () => {
  test(
    'a FIFO, a link to a FIFO, a link to /dev/zero and a link to a folder with hook names: HS114 for the first ' + 'three, nothing read',
    async () => {
      const root = path.join(work, 'special');
      mkfifo(path.join(root, 'vpn/OnConnect_fifo.sh'));
      symlink(mkfifo(path.join(root, 'pipes/p')), path.join(root, 'vpn/OnDisconnect_link.sh'));
      symlink('/dev/zero', path.join(root, 'vpn/OnConnect_zero.sh'));
      symlink(path.join(root, 'pipes'), path.join(root, 'vpn/OnConnect_folder'));
      symlink(path.join(root, 'nowhere'), path.join(root, 'vpn/OnConnect_dangling.sh'));
      fs.mkdirSync(path.join(root, 'fw/shorewall'), { recursive: true });
      symlink('/dev/zero', path.join(root, 'fw/shorewall/start'));
      assert.deepEqual(await scan(root), {
        'fw/shorewall/start': ['HS114'],
        'vpn/OnConnect_fifo.sh': ['HS114'],
        'vpn/OnConnect_zero.sh': ['HS114'],
        'vpn/OnDisconnect_link.sh': ['HS114'],
      });
    },
  );

  test('a link to /dev/null masks a hook only where its runner skips such links (NetworkManager), not elsewhere', async () => {
    const root = path.join(work, 'masked');
    symlink('/dev/null', path.join(root, 'etc/NetworkManager/dispatcher.d/20-chrony'));
    symlink('/dev/null', path.join(root, 'vpn/OnConnect_masked.sh'));
    assert.deepEqual(await scan(root), { 'vpn/OnConnect_masked.sh': ['HS114'] });
  });

  test('a link to a regular hook elsewhere is checked as that file (its mode, its text), as lint and the simulator do', async () => {
    const root = path.join(work, 'linked');
    fs.mkdirSync(path.join(root, 'real'), { recursive: true });
    fs.writeFileSync(path.join(root, 'real/hook.sh'), 'logger up\n', { mode: 0o644 });
    symlink(path.join(root, 'real/hook.sh'), path.join(root, 'vpn/OnConnect_linked.sh'));
    assert.deepEqual(await scan(root), { 'vpn/OnConnect_linked.sh': ['HS405', 'HS406'] });
  });

  test('a .gitignore that is a FIFO or a link to /dev/zero is not read: the scan completes, ignoring nothing', async () => {
    for (const [name, make] of [
      ['gitignore-fifo', (f: string) => mkfifo(f)],
      ['gitignore-zero', (f: string) => symlink('/dev/zero', f)],
    ] as const) {
      const root = path.join(work, name);
      fs.mkdirSync(path.join(root, 'build'), { recursive: true });
      make(path.join(root, '.gitignore'));
      fs.writeFileSync(path.join(root, 'build/OnConnect_x.sh'), '#!/bin/sh\n', { mode: 0o755 });
      assert.deepEqual(await scan(root), { 'build/OnConnect_x.sh': [] }, name);
    }
  });

  test('the scan gives the event loop a turn for every file, recognised as a hook or not', async () => {
    const dir = path.join(work, 'many');
    fs.mkdirSync(dir, { recursive: true });
    const files = Array.from({ length: 200 }, (_, i) => `notes-${i}.txt`);
    for (const f of files) fs.writeFileSync(path.join(dir, f), 'x\n');
    let turns = 0;
    let counting = true;
    const tick = (): void => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    await lintFolder({ dir, files }, {});
    counting = false;
    assert.ok(turns >= files.length, `${turns} turns of the event loop for ${files.length} files`);
  });
});
