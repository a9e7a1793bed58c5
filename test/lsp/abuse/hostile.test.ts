// A hostile repository, opened over a real LSP connection: FIFOs and links to /dev/zero among
// the hooks, brace bombs in its settings, a `shellcheck` of its own. Each wait has a deadline
// (a hung server fails the test, it does not hang the suite) and the server must answer after.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import {
  ExecuteCommandRequest,
  PublishDiagnosticsParams,
  ShowMessageNotification,
  ShowMessageParams,
} from 'vscode-languageserver-protocol/node';
import { LspClient } from '../../helpers/lspClient';
import type { AnyConnectRun } from '../../../server/src/families/anyconnect/request';
import type { SimulationReport } from '../../../server/src/protocol';
import { assertAnswers, rssMb, tempDir, uriOf } from './support';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function workspace(prefix: string): string {
  const dir = tempDir(prefix);
  dirs.push(dir);
  return dir;
}

function write(file: string, text: string, mode = 0o755): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  return file;
}

function mkfifo(file: string, mode = 0o644): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  assert.equal(spawnSync('mkfifo', ['-m', mode.toString(8), file]).status, 0, `mkfifo ${file}`);
  return file;
}

function symlink(target: string, file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.symlinkSync(target, file);
  return file;
}

/** A promise that fails after `ms`: a hung server shows as this failure. */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)),
  );
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

const codes = (p: PublishDiagnosticsParams): string[] => p.diagnostics.map((d) => String(d.code));

suite('LSP abuse: special files in the workspace', () => {
  test('hooks that are FIFOs or links to /dev/zero get one HS114 each from the scan; the server stays small and answers', async () => {
    const ws = workspace('special');
    mkfifo(path.join(ws, 'vpn/OnConnect_fifo.sh'));
    symlink(mkfifo(path.join(ws, 'elsewhere/pipe')), path.join(ws, 'vpn/OnConnect_link.sh'));
    symlink('/dev/zero', path.join(ws, 'vpn/OnConnect_zero.sh'));
    write(path.join(ws, 'vpn/OnConnect_real'), '#!/bin/sh\nexit 0\n', 0o644);
    const client = await LspClient.start(ws);
    try {
      const published = await within(
        20_000,
        'the scan',
        Promise.all(
          ['OnConnect_fifo.sh', 'OnConnect_link.sh', 'OnConnect_zero.sh', 'OnConnect_real'].map((n) =>
            client.diagnostics(uriOf(path.join(ws, 'vpn', n)), undefined, 20_000),
          ),
        ),
      );
      assert.deepEqual(published.slice(0, 3).map(codes), [['HS114'], ['HS114'], ['HS114']]);
      assert.match(String(published[0].diagnostics[0].message), /^OnConnect_fifo\.sh is a FIFO \(named pipe\), not a regular file/);
      assert.match(String(published[1].diagnostics[0].message), /^OnConnect_link\.sh is a FIFO \(named pipe\), not a regular file/);
      assert.match(String(published[2].diagnostics[0].message), /^OnConnect_zero\.sh is a character device, not a regular file/);
      assert.ok(codes(published[3]).includes('HS405'), 'the regular hook beside them is checked');
      await assertAnswers(client, 'after scanning special files');
      assert.ok(rssMb(client.pid) < 600, `the server holds ${rssMb(client.pid)} MB`);
    } finally {
      await client.stop();
    }
  });

  test(
    'an open OnConnect hook whose OnDisconnect sibling is a link to /dev/zero or a FIFO: validated (HS452), nothing ' + 'read from them',
    async () => {
      const ws = workspace('siblings');
      symlink('/dev/zero', path.join(ws, 'zero/OnDisconnect_undo.sh'));
      mkfifo(path.join(ws, 'fifo/OnDisconnect_undo.sh'));
      const client = await LspClient.start(ws);
      try {
        for (const folder of ['fifo', 'zero']) {
          const hook = write(path.join(ws, folder, 'OnConnect_routes.sh'), '#!/bin/sh\nip route add 10.1.0.0/16 dev "$TUNDEV"\n');
          const uri = uriOf(hook);
          const validated = client.diagnostics(uri, (ds) => ds.some((d) => d.code === 'HS452'), 15_000);
          await client.open(uri, fs.readFileSync(hook, 'utf8'), 1, 'shellscript');
          await within(15_000, `validating ${folder}/OnConnect_routes.sh`, validated);
          await assertAnswers(client, `after validating beside ${folder}`);
        }
        assert.ok(rssMb(client.pid) < 600, `the server holds ${rssMb(client.pid)} MB`);
      } finally {
        await client.stop();
      }
    },
  );

  test('simulating a FIFO: the report says not run, and the server answers afterwards', async () => {
    const ws = workspace('simulate');
    const pipe = mkfifo(path.join(ws, 'OnConnect_pipe.sh'), 0o755);
    const client = await LspClient.start(ws, undefined, true, { initializationOptions: { workspaceTrusted: true } });
    try {
      const report = (await within(
        15_000,
        'the simulation',
        client.connection.sendRequest(ExecuteCommandRequest.type, {
          command: 'hooksmith.server.simulate',
          arguments: [{ kind: 'anyconnect', id: 'fifo', events: ['connect'], script: pipe, timeoutMs: 5000, graceMs: 100 }],
        }),
      )) as SimulationReport;
      const [run] = report.runs as AnyConnectRun[];
      assert.equal(run.notRun?.reason, 'not-regular');
      await assertAnswers(client, 'after simulating a FIFO');
    } finally {
      await client.stop();
    }
  });
});

suite('LSP abuse: hostile settings', () => {
  test(
    'brace bombs in hooks.families and an overlong profile.files pattern: one warning each, ignored; validation and ' +
      'hover still answer',
    async () => {
      const ws = workspace('settings');
      for (let i = 0; i < 20; i++) write(path.join(ws, `misc/file${i}.txt`), 'text\n', 0o644);
      const hook = write(path.join(ws, 'vpn/OnConnect_a.sh'), '#!/bin/sh\necho "$CISCO_VPN_IP"\n');
      const bomb = '{a,b}'.repeat(25);
      const client = await LspClient.start(ws);
      const messages: ShowMessageParams[] = [];
      client.connection.onNotification(ShowMessageNotification.type, (m) => void messages.push(m));
      client.settings = {
        hooks: { families: { [bomb]: 'shorewall', [`x/${bomb}`]: 'shorewall', '**/firewall': 'shorewall' } },
        profile: { files: ['*'.repeat(600)] },
      };
      try {
        await client.configurationChanged();
        const uri = uriOf(hook);
        const validated = client.diagnostics(uri, () => true, 15_000);
        await client.open(uri, fs.readFileSync(hook, 'utf8'), 1, 'shellscript');
        await within(15_000, 'validation', validated);
        const hover = await within(10_000, 'hover', client.hover(uri, { line: 1, character: 9 }));
        assert.match(JSON.stringify(hover), /CISCO_VPN_IP/);
        const warnings = messages.map((m) => m.message);
        assert.equal(
          warnings.filter((m) =>
            /hooksmith\.hooks\.families is ignored: its braces expand to 33,554,432 patterns; at most 256 are accepted/.test(m),
          ).length,
          2,
        );
        assert.equal(warnings.filter((m) => /hooksmith\.profile\.files is ignored: the pattern is 600 characters long/.test(m)).length, 1);
        assert.equal(warnings.length, 3, 'each said once, however often the settings are read');
      } finally {
        await client.stop();
      }
    },
  );
});

suite('LSP abuse: ShellCheck in an untrusted workspace', () => {
  test(
    "only a ShellCheck on PATH outside the workspace runs: not the setting's ./shellcheck, not one found through " +
      "`.` or the workspace's bin/",
    async () => {
      const ws = workspace('shellcheck');
      const marker = path.join(ws, 'workspace-shellcheck-ran');
      const fake = `#!/bin/sh\ntouch ${marker}\necho '{"comments":[]}'\n`;
      write(path.join(ws, 'shellcheck'), fake);
      write(path.join(ws, 'bin/shellcheck'), fake);
      const hook = write(path.join(ws, 'OnConnect_x.sh'), '#!/bin/sh\necho $1\n');
      const system = (process.env.PATH ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d));
      const env = { ...process.env, PATH: ['.', '', 'bin', path.join(ws, 'bin'), ...system].join(path.delimiter) };
      const client = await LspClient.start(ws, undefined, true, { initializationOptions: { workspaceTrusted: false }, env, cwd: ws });
      client.settings = { shellcheck: { path: './shellcheck' } };
      try {
        const uri = uriOf(hook);
        const checked = client.diagnostics(uri, (ds) => ds.some((d) => d.source === 'shellcheck'), 20_000);
        await client.open(uri, fs.readFileSync(hook, 'utf8'), 1, 'shellscript');
        const published = await within(20_000, 'ShellCheck', checked);
        assert.deepEqual(
          published.diagnostics.filter((d) => d.source === 'shellcheck').map((d) => d.code),
          ['SC2086'],
          'the system ShellCheck ran',
        );
        assert.equal(fs.existsSync(marker), false, "the workspace's own shellcheck never ran");
      } finally {
        await client.stop();
      }
    },
  );
});
