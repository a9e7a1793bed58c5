import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe as suite, test } from 'node:test';
import { editorBin } from '../helpers/editors';
import { installOffline, pack } from '../helpers/packed';
import { readmeBlock } from '../helpers/readmeBlock';
import { startHelix, wire, type WireMessage } from './helix';

// Helix as a user runs it: Debian trixie's hx 25.01 (unpacked by scripts/ensure-editors.mjs) in a
// pseudo-terminal, its config folder holding the README's languages.toml word for word, and
// `hooksmith-language-server` on PATH as the npm package installs it. Keys are typed as a user
// types them (`]d` to the diagnostic, `space a` for code actions, Enter, `:w`); what Helix draws and
// the files on disk are what the tests check, with Helix's own log of the wire as the witness that
// the server was started and asked.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-helix-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));
const project = path.join(work, 'project');
const timeoutMs = 30_000;

function write(file: string, text: string, mode = 0o644): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
  return file;
}

const home = path.join(work, 'home');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, '.config'),
  XDG_CACHE_HOME: path.join(home, '.cache'),
  XDG_DATA_HOME: path.join(home, '.local/share'),
  // The npm package's bin, as `npm install -g` puts it on PATH, and the node its #! line looks for.
  PATH: [path.join(work, 'bin'), path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter),
};

const profileText = (value: string): string =>
  '<?xml version="1.0"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
  `<ClientInitialization>\n    <AutoUpdate>${value}</AutoUpdate>\n  </ClientInitialization>\n</AnyConnectProfile>\n`;

interface Run {
  /** The codes of the last diagnostics the server published for the file. */
  published: string[];
  /** What Helix had drawn once the cursor was on the diagnostic (`]d`). */
  drawn: string;
  /** What Helix drew after `space a`. */
  menu: string;
  /** Helix's textDocument/codeAction requests and the server's answers to them. */
  codeActions: { request: WireMessage['msg']; answer?: WireMessage['msg'] }[];
  /** What Helix answered when the server asked for its settings (workspace/configuration). */
  settings: unknown[];
}

/** A quick fix to pick: its title, whether the buffer is then written (`:w`), when it has reached the disk. */
interface Fix {
  title: string;
  save: boolean;
  done: () => boolean;
}

/**
 * Opens `file` in Helix, waits for diagnostic `code` from the server and goes to it (`]d`); with a `fix`,
 * opens the code actions (`space a`), waits for its title, picks it (Enter), writes the buffer if
 * asked (`:w`) and waits for the disk; quits with `:q!`.
 */
async function inHelix(rel: string, code: string, fix?: Fix): Promise<Run> {
  const file = path.join(project, rel);
  const uri = pathToFileURL(file).href;
  const logFile = path.join(work, `${path.basename(rel)}.log`);
  const helix = startHelix({ hx: editorBin('hx'), cwd: project, file: rel, env, logFile, timeoutMs });
  const messages = (): WireMessage[] => wire(helix.log(), 'hooksmith');
  /** The codes of the first diagnostics the server published for the file with `code` among them. */
  const published = (): string[] | undefined =>
    messages()
      .filter((m) => m.dir === '<-' && m.msg.method === 'textDocument/publishDiagnostics')
      .map((m) => m.msg.params as { uri: string; diagnostics: { code: string }[] })
      .filter((p) => p.uri === uri)
      .map((p) => p.diagnostics.map((d) => d.code))
      .find((codes) => codes.includes(code));
  try {
    await helix.until(`the server publishes ${code} for ${rel}`, () => published() !== undefined);
    // Helix shows a diagnostic's message on the cursor's line: `]d` takes the cursor there (typed
    // again until drawn, as Helix may take the first before it has the diagnostics in hand; a
    // diagnostic on the first line is drawn before any key).
    await helix.until(`Helix draws ${code} at the cursor`, () => helix.screen().includes(`(${code})`), { everyMs: 1500, type: ']d' });
    const drawn = helix.screen();
    const from = helix.mark();
    if (fix) {
      helix.type(' a');
      await helix.until(`Helix offers "${fix.title}"`, () => helix.screen(from).includes(fix.title));
      // The fix is the only action the server offers there (a test checks it), so Enter picks it.
      helix.type('\r');
      if (fix.save) helix.type(':w\r');
      await helix.until('the fix reaches the disk', fix.done);
    }
    const menu = helix.screen(from);
    helix.type(':q!\r');
    assert.equal(await helix.exited, 0, 'Helix quit cleanly');
    const all = messages();
    const codeActions = all
      .filter((m) => m.dir === '->' && m.msg.method === 'textDocument/codeAction')
      .map((m) => ({ request: m.msg, answer: all.find((a) => a.dir === '<-' && a.msg.id === m.msg.id && !a.msg.method)?.msg }));
    // Helix's answers to the server's workspace/configuration requests.
    const asked = new Set(all.filter((m) => m.dir === '<-' && m.msg.method === 'workspace/configuration').map((m) => m.msg.id));
    const settings = all.filter((m) => m.dir === '->' && asked.has(m.msg.id) && 'result' in m.msg).map((m) => m.msg.result);
    return { published: published() ?? [], drawn, menu, codeActions, settings };
  } finally {
    helix.close();
  }
}

suite("the README's Helix set-up (languages.toml as written), in Helix 25.01 in a terminal", () => {
  const profile = write(path.join(project, 'case/profile.xml'), profileText('True'));
  const misspelt = write(path.join(project, 'vpn/OnConect_x.sh'), '#!/bin/sh\nlogger up\n', 0o755);
  const renamed = path.join(project, 'vpn/OnConnect_x.sh');
  write(path.join(project, 'fw/shorewall/shorewall.conf'), 'STARTUP_ENABLED=Yes\n');
  write(path.join(project, 'fw/shorewall/start'), '# start\nif ! modprobe xt_recent; then\n  exit 1\nfi\n');
  // Set up once, on the first test's demand: if it fails, every test fails with its reason (a
  // failed before() would only cancel them, and a cancelled test is not counted as failed).
  let setUp: Promise<{ valueCase: Run; rename: Run }> | undefined;
  const runs = (): Promise<{ valueCase: Run; rename: Run }> =>
    (setUp ??= (async () => {
      fs.mkdirSync(path.join(project, '.git'), { recursive: true }); // Helix's workspace root, as in a user's clone
      write(path.join(home, '.config/helix/languages.toml'), readmeBlock('Helix', 'toml'));
      // The npm package packed from this build and installed offline: its bin on PATH, as `npm install -g` puts it.
      const installed = installOffline(pack(work).tarball, path.join(work, 'global'));
      fs.mkdirSync(path.join(work, 'bin'), { recursive: true });
      fs.symlinkSync(path.join(installed, 'hooksmith-language-server'), path.join(work, 'bin/hooksmith-language-server'));
      const valueCase = await inHelix('case/profile.xml', 'HS206', {
        title: 'Replace True with true',
        save: true,
        done: () => fs.readFileSync(profile, 'utf8').includes('>true<'),
      });
      const rename = await inHelix('vpn/OnConect_x.sh', 'HS402', {
        title: 'Rename to OnConnect_x.sh',
        save: false,
        done: () => fs.existsSync(renamed),
      });
      return { valueCase, rename };
    })());

  test('Helix starts hooksmith-language-server for a profile (xml) and a hook (bash), and answers its settings from `config`', async () => {
    const { valueCase, rename } = await runs();
    const readme = [{ profile: { dialect: 'auto' }, shellcheck: { enable: true } }];
    for (const run of [valueCase, rename]) {
      assert.ok(run.settings.length > 0, 'the server asked for its settings');
      for (const answer of run.settings) assert.deepEqual(answer, readme);
    }
    assert.deepEqual(valueCase.published, ['HS206']);
    assert.deepEqual(rename.published, ['HS402']);
  });

  test("the diagnostic reaches Helix's screen: on it, Helix shows the server's message with its code", async () => {
    const { valueCase, rename } = await runs();
    assert.match(valueCase.drawn, /"True" must be written "true"/);
    assert.match(valueCase.drawn, /\(HS206\)/);
    assert.match(rename.drawn, /looks like a misspelt OnConnect hook/);
  });

  test('space a asks the server for code actions at the diagnostic and lists its quick fix', async () => {
    const { valueCase, rename } = await runs();
    assert.ok(valueCase.codeActions.length > 0, 'Helix sent textDocument/codeAction');
    const context = valueCase.codeActions[0].request.params as { context: { diagnostics: { code: string }[] } };
    assert.deepEqual(
      context.context.diagnostics.map((d) => d.code),
      ['HS206'],
    );
    assert.match(valueCase.menu, /Replace True with true/);
    const titles = (run: Run): string[] =>
      run.codeActions.flatMap((c) => (c.answer?.result as { title: string }[] | undefined)?.map((a) => a.title) ?? []);
    assert.deepEqual(titles(valueCase), ['Replace True with true']);
    assert.deepEqual(titles(rename), ['Rename to OnConnect_x.sh']);
  });

  test('the value-case fix, picked with Enter and written with :w, is on disk', async () => {
    await runs();
    assert.equal(fs.readFileSync(profile, 'utf8'), profileText('true'));
  });

  test("the README's shorewall-hook language attaches the server to a Shorewall hook with no extension and no #! line", async () => {
    await runs(); // the set-up above, done
    const shorewall = await inHelix('fw/shorewall/start', 'HS440');
    assert.deepEqual(shorewall.published, ['HS440']);
    assert.match(shorewall.drawn, /\(HS440\)/);
  });

  test('the rename fix reaches Helix as a RenameFile (it announces documentChanges) and renames the hook on disk', async () => {
    const { rename } = await runs();
    const answer = rename.codeActions.map((c) => c.answer?.result as { title: string; edit?: { documentChanges?: { kind?: string }[] } }[]);
    const fix = answer.flat().find((a) => a?.title === 'Rename to OnConnect_x.sh');
    assert.equal(fix?.edit?.documentChanges?.[0]?.kind, 'rename', JSON.stringify(fix));
    assert.equal(fs.existsSync(misspelt), false, 'the misspelt name is gone');
    assert.equal(fs.readFileSync(renamed, 'utf8'), '#!/bin/sh\nlogger up\n');
    assert.equal(fs.statSync(renamed).mode & 0o111, 0o111, 'still executable');
  });
});
