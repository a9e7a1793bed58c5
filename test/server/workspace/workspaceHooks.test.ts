import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe as suite, test } from 'node:test';
import { Diagnostic } from 'vscode-languageserver';
import { loadShellParser } from '../../../server/src/shell/parser';
import { WorkspaceHooks } from '../../../server/src/workspace/workspaceHooks';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-wshooks-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

function write(root: string, file: string, text = '#!/bin/sh\nlogger up\n', mode = 0o755): string {
  const full = path.join(root, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  fs.chmodSync(full, mode);
  return full;
}

/** A WorkspaceHooks over a new folder, with what it shows per URI (the latest publish wins). */
function setup(name: string, files: readonly string[]) {
  const root = path.join(work, name);
  for (const f of files) write(root, f);
  const shown = new Map<string, Diagnostic[]>();
  const open = new Set<string>();
  const hooks = new WorkspaceHooks({
    publish: (uri, diagnostics) => void shown.set(uri, diagnostics),
    isOpen: (file) => open.has(file),
    mappingsFor: async () => ({}),
    ready: loadShellParser,
    log: () => undefined,
  });
  const codes = (file: string): unknown[] | undefined => shown.get(pathToFileURL(path.join(root, file)).toString())?.map((d) => d.code);
  return { root, hooks, shown, open, codes };
}

suite('workspace hooks in the language server', () => {
  test('the first scan shows findings of hooks with problems, and only those', async () => {
    const { root, hooks, shown, codes } = setup('first', ['vpn/onconnect_routes.sh', 'ok/OnConnect_ok.sh', 'node_modules/x/onconnect.js']);
    await hooks.scanAll([root]);
    assert.deepEqual(codes('vpn/onconnect_routes.sh'), ['HS401']);
    assert.equal(shown.size, 1, 'clean hooks are not published (no empty sets for every clean file)');
  });

  test('opening hands over to the document; closing shows the file from disk again', async () => {
    const { root, hooks, open, codes } = setup('handover', ['vpn/onconnect_routes.sh']);
    await hooks.scanAll([root]);
    const file = path.join(root, 'vpn/onconnect_routes.sh');
    open.add(file);
    hooks.opened(file);
    assert.deepEqual(codes('vpn/onconnect_routes.sh'), []);
    await hooks.pathChanged(file); // a save while open: the open file stays with the document
    assert.deepEqual(codes('vpn/onconnect_routes.sh'), []);
    open.delete(file);
    await hooks.closed(file);
    assert.deepEqual(codes('vpn/onconnect_routes.sh'), ['HS401']);
  });

  test('file events: a new hook, a new sibling (HS404), a rename that fixes it, a removed folder', async () => {
    const { root, hooks, codes } = setup('events', ['script/OnConnect_a.sh']);
    await hooks.scanAll([root]);
    assert.equal(codes('script/OnConnect_a.sh'), undefined);

    await hooks.pathChanged(write(root, 'script/OnConnect_b.sh'));
    assert.deepEqual(codes('script/OnConnect_a.sh'), ['HS404'], 'the sibling is re-linted too');
    assert.deepEqual(codes('script/OnConnect_b.sh'), ['HS404']);

    const from = path.join(root, 'script/OnConnect_b.sh');
    fs.renameSync(from, path.join(root, 'script/OnDisconnect_b.sh'));
    await Promise.all([hooks.pathChanged(from), hooks.pathChanged(path.join(root, 'script/OnDisconnect_b.sh'))]);
    assert.deepEqual([codes('script/OnConnect_a.sh'), codes('script/OnConnect_b.sh')], [[], []]);

    write(root, 'gone/onconnect_x.sh');
    await hooks.pathChanged(path.join(root, 'gone'));
    assert.deepEqual(codes('gone/onconnect_x.sh'), ['HS401'], 'a folder created with hooks in it is walked');
    fs.rmSync(path.join(root, 'gone'), { recursive: true });
    await hooks.pathChanged(path.join(root, 'gone'));
    assert.deepEqual(codes('gone/onconnect_x.sh'), [], 'a removed folder takes its findings with it');
  });

  test('a root given with a trailing separator still takes events for files at its top', async () => {
    const { root, hooks, codes } = setup('trailing', []);
    await hooks.scanAll([root + path.sep]);
    await hooks.pathChanged(write(root, 'onconnect.sh'));
    assert.deepEqual(codes('onconnect.sh'), ['HS401']);
  });

  test('events outside the workspace or in skipped folders are ignored', async () => {
    const { root, hooks, shown } = setup('ignored', ['.gitignore']);
    fs.writeFileSync(path.join(root, '.gitignore'), 'build\n');
    await hooks.scanAll([root]);
    for (const file of ['node_modules/a/onconnect.js', 'build/onconnect.sh', '.cache/onconnect.sh'])
      await hooks.pathChanged(write(root, file));
    await hooks.pathChanged(write(work, 'elsewhere/onconnect.sh'));
    assert.equal(shown.size, 0);
  });
});
