import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe as suite, test } from 'node:test';
import { lastJsonLine, runEditor } from '../helpers/editorProcess';
import { installOffline, pack, root } from '../helpers/packed';

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
  '<?xml version="1.0"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' + '<ClientInitialization>\n    <AutoUpdate>yes</AutoUpdate>\n  </ClientInitialization>\n</AnyConnectProfile>\n',
);
write('fw/shorewall/shorewall.conf', 'STARTUP_ENABLED=Yes\n');
const hook = write('fw/shorewall/start', '# start\nif ! modprobe xt_recent; then\n  exit 1\nfi\n');

interface EmacsDiagnostic {
  line: number;
  column: number;
  type: string;
  text: string;
}
interface EmacsResult {
  emacs: string;
  error: string | null;
  files: { path: string; mode: string; managed: boolean; appeared: boolean; diagnostics: EmacsDiagnostic[] }[];
}

/** The elisp block under "### Emacs (eglot)" in the README. */
function recipe(): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf('\n### Emacs (eglot)\n');
  assert.ok(at >= 0, 'the README has an eglot section');
  const block = /```elisp\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block, 'an elisp block under it');
  return block[1];
}

suite('Emacs eglot as the client (batch), set up as the README says', () => {
  let result: EmacsResult;
  before(async () => {
    const bin = installOffline(pack(work).tarball, path.join(work, 'global'));
    const init = path.join(work, 'init.el');
    fs.writeFileSync(init, recipe());
    spawnSync('git', ['init', '-q', path.join(work, 'project')]); // eglot's project root
    const plan = { timeoutMs: 20_000, files: [{ path: profile, expect: 'HS206' }, { path: hook, expect: 'HS440' }] };
    const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, HOME: work, HOOKSMITH_EMACS_INIT: init, HOOKSMITH_EMACS_PLAN: JSON.stringify(plan) };
    const run = await runEditor('emacs', ['--batch', '--no-init-file', '-l', driver], { cwd: path.join(work, 'project'), env, timeoutMs: 60_000, missing: 'Debian: apt-get install emacs-nox elpa-eglot' });
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
});
