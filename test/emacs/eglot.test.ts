import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe as suite, test } from 'node:test';
import { lastJsonLine, runEditor } from '../helpers/editorProcess';
import { installOffline, pack, root } from '../helpers/packed';
import { readmeBlock } from '../helpers/readmeBlock';

// Emacs with eglot as a third real client (Debian's emacs-nox 28 and elpa-eglot, installed by
// scripts/ensure-test-deps.mjs), set up with the README's recipe word for word and the installed
// package's hooksmith-language-server on PATH.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-emacs-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));
const driver = path.join(root, 'test/emacs/eglot-driver.el');

function write(rel: string, text: string, mode = 0o644): string {
  const file = path.join(work, 'project', rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
  return file;
}

const profile = write(
  'vpn/profile.xml',
  '<?xml version="1.0"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
    '<ClientInitialization>\n    <AutoUpdate>yes</AutoUpdate>\n  </ClientInitialization>\n</AnyConnectProfile>\n',
);
write('fw/shorewall/shorewall.conf', 'STARTUP_ENABLED=Yes\n');
const hook = write('fw/shorewall/start', '# start\nif ! modprobe xt_recent; then\n  exit 1\nfi\n');
const inClient = (body: string): string =>
  `<?xml version="1.0"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ` +
  `<ClientInitialization>\n    ${body}\n  </ClientInitialization>\n</AnyConnectProfile>\n`;
const valueCase = write('case/profile.xml', inClient('<AutoUpdate>True</AutoUpdate>'));
const lowerCase = write('hooks/onconnect_up.sh', '#!/bin/sh\nlogger up\n', 0o755);

interface EmacsDiagnostic {
  line: number;
  column: number;
  type: string;
  text: string;
}
interface EmacsResult {
  emacs: string;
  error: string | null;
  files: {
    path: string;
    mode: string;
    managed: boolean;
    appeared: boolean;
    diagnostics: EmacsDiagnostic[];
    fix: { offered: string[]; gone: boolean; text: string } | null;
  }[];
}

suite('Emacs eglot as the client (batch), set up as the README says', () => {
  let result: EmacsResult;
  before(async () => {
    const bin = installOffline(pack(work).tarball, path.join(work, 'global'));
    const init = path.join(work, 'init.el');
    fs.writeFileSync(init, readmeBlock('Emacs (eglot)', 'elisp'));
    spawnSync('git', ['init', '-q', path.join(work, 'project')]); // eglot's project root
    const plan = {
      timeoutMs: 20_000,
      files: [
        { path: profile, expect: 'HS206' },
        { path: hook, expect: 'HS440' },
        { path: valueCase, expect: 'HS206', fix: 'Replace True with true' },
        { path: lowerCase, expect: 'HS401', fix: 'Rename to OnConnect_up.sh' },
      ],
    };
    const env = {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      HOME: work,
      HOOKSMITH_EMACS_INIT: init,
      HOOKSMITH_EMACS_PLAN: JSON.stringify(plan),
    };
    const run = await runEditor('emacs', ['--batch', '--no-init-file', '-l', driver], {
      cwd: path.join(work, 'project'),
      env,
      timeoutMs: 60_000,
      missing: 'Debian: apt-get install emacs-nox elpa-eglot',
    });
    result = lastJsonLine<EmacsResult>(run, 'emacs');
    assert.equal(result.error, null, `the elisp driver failed: ${result.error}`);
  });

  test('a profile opens in nxml-mode under eglot and the wrong value is flagged where it is', () => {
    const [r] = result.files;
    assert.equal(r.mode, 'nxml-mode');
    assert.equal(r.managed, true);
    assert.ok(r.appeared, JSON.stringify(r.diagnostics));
    const d = r.diagnostics.find((x) => x.text.includes('[HS206]'));
    assert.deepEqual([d?.line, d?.column, d?.type], [4, 16, 'eglot-error']);
    assert.match(d?.text ?? '', /^hooksmith \[HS206\]: <AutoUpdate>: "yes" is not one of: true, false\.$/);
  });

  test('a Shorewall hook without an extension opens in sh-mode (the recipe maps it) and gets HS440 at the exit', () => {
    const r = result.files[1];
    assert.equal(r.mode, 'sh-mode');
    assert.equal(r.managed, true);
    assert.ok(r.appeared, JSON.stringify(r.diagnostics));
    const d = r.diagnostics.find((x) => x.text.includes('[HS440]'));
    assert.deepEqual([d?.line, d?.column], [3, 2]);
  });

  test('a quick fix picked from M-x eglot-code-actions rewrites "True" to "true" in the buffer, and the error goes', () => {
    const r = result.files[2];
    assert.ok(r.appeared, JSON.stringify(r.diagnostics));
    assert.ok(r.fix, 'the fix ran');
    assert.ok(r.fix.offered.includes('Replace True with true'), JSON.stringify(r.fix.offered));
    assert.equal(r.fix.text, inClient('<AutoUpdate>true</AutoUpdate>'));
    assert.equal(r.fix.gone, true, 'HS206 went');
  });

  test('the rename fix, a command the server carries out (eglot announces no resource operations), renames the hook on disk', () => {
    const r = result.files[3];
    assert.equal(r.mode, 'sh-mode');
    assert.ok(r.appeared, JSON.stringify(r.diagnostics));
    assert.ok(r.fix?.offered.includes('Rename to OnConnect_up.sh'), JSON.stringify(r.fix));
    assert.deepEqual(fs.readdirSync(path.dirname(lowerCase)), ['OnConnect_up.sh']);
    assert.equal(fs.readFileSync(path.join(path.dirname(lowerCase), 'OnConnect_up.sh'), 'utf8'), '#!/bin/sh\nlogger up\n');
    assert.equal(r.fix?.gone, true, 'the name finding went');
  });
});
