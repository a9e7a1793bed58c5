import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { hookFileOnDisk } from '../../../server/src/hooks/lintHook';
import { readSettings, Settings } from '../../../server/src/settings';
import { ShellcheckRunner } from '../../../server/src/shellcheck/runner';
import { groupMembers, survivorsOf, hookDocument, slowShellcheck, tempDir, waitForFile } from './support';

const dir = tempDir();
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A server stand-in: documents in a map, the settings a client would send, and what reaches the user. */
class Host {
  readonly docs = new Map<string, TextDocument>();
  readonly published: { uri: string; diagnostics: Diagnostic[]; version: number }[] = [];
  readonly logged: string[] = [];
  readonly spawned: number[] = [];
  settings: Settings = readSettings({});
  readonly runner: ShellcheckRunner;

  constructor(opts: { debounceMs?: number; timeoutMs?: number; onSpawn?: (pid: number) => void } = {}) {
    this.runner = new ShellcheckRunner(
      {
        document: (uri) => this.docs.get(uri),
        settings: async () => this.settings,
        hookFile: (doc) => hookFileOnDisk(new URL(doc.uri).pathname, doc.getText()),
        isProfile: (doc) => doc.languageId === 'anyconnect-profile',
        publish: (uri, diagnostics, version) => void this.published.push({ uri, diagnostics, version }),
        log: (message) => void this.logged.push(message),
        trusted: () => true,
        workspaceFolders: () => [],
      },
      {
        debounceMs: opts.debounceMs,
        timeoutMs: opts.timeoutMs,
        onSpawn: (_uri, pid) => {
          this.spawned.push(pid);
          opts.onSpawn?.(pid);
        },
      },
    );
  }

  configure(section: Record<string, unknown>): void {
    this.settings = readSettings(section);
  }

  /** Opens (or edits) a hook: the server's copy of the document becomes this version. */
  put(name: string, text: string, version = 1, languageId = 'shellscript'): TextDocument {
    const file = path.join(dir, name);
    const doc = TextDocument.create(hookDocument(file, text).uri, languageId, version, text);
    this.docs.set(doc.uri, doc);
    return doc;
  }

  codes(uri: string): string[] {
    return this.published
      .filter((p) => p.uri === uri)
      .flatMap((p) => p.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`));
  }
}

suite('ShellCheck runner', () => {
  test('publishes on open, for the version it checked', async () => {
    const host = new Host();
    const doc = host.put('OnConnect_open.sh', '#!/bin/sh\necho $1\n');
    assert.equal(await host.runner.trigger(doc, 'open'), 'published');
    assert.deepEqual(
      host.published.map((p) => p.version),
      [1],
    );
    assert.deepEqual(host.codes(doc.uri), ['SC2086@1:5']);
  });

  test("a newer version kills the older run's process group; only the newer result is published", async () => {
    const sub = path.join(dir, 'supersede');
    fs.mkdirSync(sub);
    const { executable, sleeperPid } = slowShellcheck(sub);
    const host = new Host();
    host.configure({ shellcheck: { path: executable } });
    const v1 = host.put('OnConnect_supersede.sh', '#!/bin/sh\n# SLOW\necho $1\n', 1);
    const first = host.runner.trigger(v1, 'open');
    await waitForFile(sleeperPid);
    const [oldGroup] = host.spawned;
    const sleeper = Number(fs.readFileSync(sleeperPid, 'utf8'));
    assert.ok(groupMembers(oldGroup).includes(sleeper), 'the old run is hanging, with a grandchild');

    const v2 = host.put('OnConnect_supersede.sh', '#!/bin/sh\necho $2\n', 2);
    const second = host.runner.trigger(v2, 'save');
    assert.equal(await first, 'superseded');
    assert.deepEqual(await survivorsOf(oldGroup), [], "the old run's whole group is gone");
    assert.equal(await second, 'published');
    assert.deepEqual(
      host.published.map((p) => p.version),
      [2],
    );
    assert.deepEqual(host.codes(v2.uri), ['SC2086@1:5']);
  });

  test('a result for a version that changed meanwhile is dropped', async () => {
    // The document changes while ShellCheck runs on version 1.
    const host: Host = new Host({ onSpawn: () => void host.put('OnConnect_stale.sh', '#!/bin/sh\necho "$1"\n', 2) });
    const doc = host.put('OnConnect_stale.sh', '#!/bin/sh\necho $1\n', 1);
    assert.equal(await host.runner.trigger(doc, 'open'), 'stale');
    assert.deepEqual(host.published, []);
  });

  test('typing runs ShellCheck once, after the pause', async () => {
    const host = new Host({ debounceMs: 50 });
    const outcomes: Promise<string>[] = [];
    for (let v = 1; v <= 3; v++)
      outcomes.push(host.runner.trigger(host.put('OnConnect_typing.sh', `#!/bin/sh\necho $${v}\n`, v), 'change'));
    assert.deepEqual(await Promise.all(outcomes), ['superseded', 'superseded', 'published']);
    assert.equal(host.spawned.length, 1);
    assert.deepEqual(
      host.published.map((p) => p.version),
      [3],
    );
  });

  test('run modes: onSave ignores typing, manual waits for the command', async () => {
    const host = new Host({ debounceMs: 0 });
    const doc = host.put('OnConnect_modes.sh', '#!/bin/sh\necho $1\n');
    host.configure({ validate: { run: 'onSave' } });
    assert.equal(await host.runner.trigger(doc, 'change'), 'skipped');
    assert.equal(await host.runner.trigger(doc, 'save'), 'published');
    host.configure({ validate: { run: 'manual' } });
    assert.equal(await host.runner.trigger(doc, 'open'), 'skipped');
    assert.equal(await host.runner.trigger(doc, 'command'), 'published');
    assert.equal(host.spawned.length, 2);
  });

  test('missing binary: one log line for all documents, no diagnostics; tried again after a configuration change', async () => {
    const host = new Host();
    const missing = path.join(dir, 'no-such-shellcheck');
    host.configure({ shellcheck: { path: missing } });
    const docs = [host.put('OnConnect_m1.sh', '#!/bin/sh\necho $1\n'), host.put('OnDisconnect_m2.sh', '#!/bin/sh\necho $1\n')];
    assert.deepEqual(await Promise.all(docs.map((d) => host.runner.trigger(d, 'open'))), ['missing', 'missing']);
    assert.deepEqual(await Promise.all(docs.map((d) => host.runner.trigger(d, 'save'))), ['missing', 'missing']);
    assert.equal(host.logged.length, 1, host.logged.join('\n'));
    assert.match(host.logged[0], /ShellCheck not found at ".*no-such-shellcheck" \(ENOENT\)/);
    assert.equal(host.spawned.length, 0);
    assert.deepEqual(host.published, []);

    host.configure({});
    const rechecked = await host.runner.configurationChanged([...host.docs.values()]);
    assert.deepEqual(rechecked, ['published', 'published']);
    assert.deepEqual(host.codes(docs[0].uri), ['SC2086@1:5']);
  });

  test('a ShellCheck that fails (an old version without json1, say) is logged once per reason', async () => {
    const broken = path.join(dir, 'broken-shellcheck');
    fs.writeFileSync(broken, '#!/bin/sh\necho "Unknown format json1" >&2\nexit 4\n', { mode: 0o755 });
    const host = new Host();
    host.configure({ shellcheck: { path: broken } });
    const docs = [host.put('OnConnect_b1.sh', '#!/bin/sh\n'), host.put('OnConnect_b2.sh', '#!/bin/sh\n')];
    for (const doc of docs) assert.equal(await host.runner.trigger(doc, 'open'), 'failed');
    assert.deepEqual(
      host.logged.map((l) => l.replace(/ on \S+:/, ':')),
      ['ShellCheck failed: Unknown format json1'],
    );
    assert.deepEqual(host.published, []);
  });

  test('disabling ShellCheck withdraws its diagnostics and runs nothing', async () => {
    const host = new Host();
    const doc = host.put('OnConnect_off.sh', '#!/bin/sh\necho $1\n');
    assert.equal(await host.runner.trigger(doc, 'open'), 'published');
    host.configure({ shellcheck: { enable: false } });
    assert.equal(await host.runner.trigger(doc, 'save'), 'skipped');
    assert.deepEqual(
      host.published.map((p) => p.diagnostics.length),
      [1, 0],
    );
    assert.equal(host.spawned.length, 1);
  });

  test('a run past the timeout is killed and logged', async () => {
    const sub = path.join(dir, 'timeout');
    fs.mkdirSync(sub);
    const { executable } = slowShellcheck(sub);
    const host = new Host({ timeoutMs: 200 });
    host.configure({ shellcheck: { path: executable } });
    const doc = host.put('OnConnect_timeout.sh', '#!/bin/sh\n# SLOW\n');
    assert.equal(await host.runner.trigger(doc, 'open'), 'timeout');
    assert.deepEqual(await survivorsOf(host.spawned[0]), []);
    assert.match(host.logged.join('\n'), /longer than 0.2 s/);
  });

  test('profiles, Perl compile-time hooks, Windows scripts and other files are not checked', async () => {
    const host = new Host();
    fs.mkdirSync(path.join(dir, 'shorewall'));
    const docs = [
      host.put('OnConnect_profile.xml', '<AnyConnectProfile/>', 1, 'anyconnect-profile'),
      host.put('shorewall/compile', 'echo $1\n'),
      host.put('OnConnect_win.vbs', 'echo $1\n'),
      host.put('notes.sh', 'echo $1\n'),
    ];
    for (const doc of docs) assert.equal(await host.runner.trigger(doc, 'open'), 'skipped', doc.uri);
    assert.equal(host.spawned.length, 0);
  });

  test('dispose kills every run (the server exits)', async () => {
    const sub = path.join(dir, 'dispose');
    fs.mkdirSync(sub);
    const { executable, sleeperPid } = slowShellcheck(sub);
    const host = new Host();
    host.configure({ shellcheck: { path: executable } });
    const outcome = host.runner.trigger(host.put('OnConnect_dispose.sh', '#!/bin/sh\n# SLOW\n'), 'open');
    await waitForFile(sleeperPid);
    host.runner.dispose();
    assert.equal(await outcome, 'superseded');
    assert.deepEqual(await survivorsOf(host.spawned[0]), []);
  });

  test('closing a document kills its run', async () => {
    const sub = path.join(dir, 'close');
    fs.mkdirSync(sub);
    const { executable, sleeperPid } = slowShellcheck(sub);
    const host = new Host();
    host.configure({ shellcheck: { path: executable } });
    const doc = host.put('OnConnect_close.sh', '#!/bin/sh\n# SLOW\n');
    const outcome = host.runner.trigger(doc, 'open');
    await waitForFile(sleeperPid);
    host.docs.delete(doc.uri);
    host.runner.cancel(doc.uri);
    assert.equal(await outcome, 'superseded');
    assert.deepEqual(await survivorsOf(host.spawned[0]), []);
  });
});
