import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe as suite, test } from 'node:test';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist/cli.js');
const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-ci-')));
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** A scratch git repository: a profile with an error, a misnamed hook (a warning) in a subfolder. */
const repo = path.join(work, 'repo');
const badProfile =
  '<?xml version="1.0"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
  '<ClientInitialization>\n    <AutoUpdate>50%</AutoUpdate>\n  </ClientInitialization>\n</AnyConnectProfile>\n';
function write(file: string, text: string, mode = 0o755): void {
  const full = path.join(repo, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  fs.chmodSync(full, mode);
}
write('vpn/profile.xml', badProfile, 0o644);
write('vpn/scripts/onconnect_routes.sh', '#!/bin/sh\nlogger up\n');
spawnSync('git', ['init', '-q', repo]);

function run(args: readonly string[], cwd = repo, nodeArgs: readonly string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, cli, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const hs206 = 'vpn/profile.xml:4:17: error: <AutoUpdate>: "50%" is not one of: true, false. [HS206]';
const hs401 = new RegExp(
  String.raw`^vpn\/scripts\/onconnect_routes\.sh:1:1: warning: onconnect_routes\.sh ` +
    String.raw`starts with onconnect; .* Rename it to OnConnect_routes\.sh\. \[HS401\]$`,
);

suite('exit statuses a CI job can tell apart', () => {
  test('--fail-on: error (the default) ignores the warning, warning counts it, 0 when nothing reaches the threshold', () => {
    assert.equal(run(['lint', 'vpn/scripts']).status, 0);
    assert.equal(run(['lint', '--fail-on', 'error', 'vpn/scripts']).status, 0);
    assert.equal(run(['lint', '--fail-on', 'warning', 'vpn/scripts']).status, 1);
    assert.equal(run(['lint', '--fail-on=note', 'vpn/scripts']).status, 1);
    assert.equal(run(['lint', 'vpn']).status, 1);
    const bad = run(['lint', '--fail-on', 'info', 'vpn']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--fail-on must be one of error, warning, note, not 'info'/);
  });

  test('a bug is 3 with a message that says so, never 1: a thrown error while linting', () => {
    // A real process whose sort throws, as a bug in the file walk would.
    const preload = path.join(work, 'throwing-sort.js');
    fs.writeFileSync(preload, "String.prototype.localeCompare = function () { throw new TypeError('broken compare'); };\n");
    const r = run(['lint', 'vpn'], repo, ['--require', preload]);
    assert.equal(r.status, 3, r.stderr);
    assert.match(
      r.stderr,
      /^hooksmith: internal error \(a bug in Hooksmith [\d.]+, not a finding; please report it\): TypeError: broken compare/,
    );
    assert.equal(r.stdout, '');
  });

  test('a bug is 3 even when it is thrown outside the lint (an uncaught exception from a timer)', () => {
    const preload = path.join(work, 'late-throw.js');
    fs.writeFileSync(preload, "setImmediate(() => { throw new RangeError('late'); });\n");
    const r = run(['lint', 'vpn'], repo, ['--require', preload]);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /internal error .*RangeError: late/);
  });
});

suite('--format gcc and the $hooksmith problem matcher', () => {
  test('gcc: file:line:column: severity: message [CODE], one line per finding, nothing else', () => {
    const r = run(['lint', '--format', 'gcc', 'vpn']);
    assert.equal(r.status, 1);
    const lines = r.stdout.split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[0], hs206);
    assert.match(lines[1], hs401);
    assert.equal(lines[2], '');
  });

  test("the problem matcher contributed in package.json reads the CLI's gcc lines as VS Code would", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const [matcher] = manifest.contributes.problemMatchers;
    assert.equal(matcher.name, 'hooksmith');
    const pattern = matcher.pattern;
    const regexp = new RegExp(pattern.regexp);
    const read = (line: string) => {
      const m = regexp.exec(line);
      assert.ok(m, `no match: ${line}`);
      return {
        file: m[pattern.file],
        line: m[pattern.line],
        column: m[pattern.column],
        severity: m[pattern.severity],
        message: m[pattern.message],
        code: m[pattern.code],
      };
    };
    const [first, second] = run(['lint', '--format', 'gcc', 'vpn']).stdout.trimEnd().split('\n').map(read);
    assert.deepEqual(first, {
      file: 'vpn/profile.xml',
      line: '4',
      column: '17',
      severity: 'error',
      message: '<AutoUpdate>: "50%" is not one of: true, false.',
      code: 'HS206',
    });
    assert.equal(second.file, 'vpn/scripts/onconnect_routes.sh');
    assert.equal(second.severity, 'warning');
    assert.equal(second.code, 'HS401');
    // The summary of the text format is not a problem; gcc has none.
    assert.equal(regexp.exec('1 problem (1 error, 0 warnings, 0 notes) in 1 profile'), null);
    // ShellCheck's findings, which the CLI prints among its own, reach the Problems panel too.
    write('sc/OnConnect_echo.sh', '#!/bin/sh\necho $1\n');
    const shellcheck = run(['lint', '--format', 'gcc', 'sc']).stdout.trimEnd().split('\n').map(read);
    fs.rmSync(path.join(repo, 'sc'), { recursive: true });
    assert.deepEqual(
      shellcheck.map((p) => [p.file, p.line, p.column, p.severity, p.code]),
      [['sc/OnConnect_echo.sh', '2', '6', 'note', 'SC2086']],
    );
  });

  test('gcc: a file name with a line break stays on its line', () => {
    write('odd/onconnect_a\nb.sh', '#!/bin/sh\n');
    const r = run(['lint', '--format', 'gcc', 'odd']);
    assert.equal(r.stdout.split('\n').length, 2);
    assert.match(r.stdout, /^odd\/onconnect_a\\nb\.sh:1:1: warning: onconnect_a\\nb\.sh starts with/);
    fs.rmSync(path.join(repo, 'odd'), { recursive: true });
  });
});

suite('--format github', () => {
  test('workflow commands with the position and the code, paths from the repository root whatever the folder', () => {
    const r = run(['lint', '--format', 'github', '.'], path.join(repo, 'vpn'));
    assert.equal(r.status, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(
      lines[0],
      '::error file=vpn/profile.xml,line=4,col=17,endLine=4,endColumn=20,title=HS206::<AutoUpdate>: "50%25" is not one of: true, false.',
    );
    assert.match(
      lines[1],
      /^::warning file=vpn\/scripts\/onconnect_routes\.sh,line=1,col=1,endLine=1,endColumn=\d+,title=HS401::onconnect_routes\.sh starts/,
    );
  });

  test('escapes % CR LF in the message, and also : and , in properties', () => {
    write('odd,x:y%/onconnect_a,b:c%d\r\ne.sh', '#!/bin/sh\n');
    const r = run(['lint', '--format', 'github', 'odd,x:y%']);
    assert.match(
      r.stdout,
      new RegExp(
        String.raw`^::warning file=odd%2Cx%3Ay%25\/onconnect_a%2Cb%3Ac%25d%0D%0Ae\.sh,line=1,col=1,endLine=1,` +
          String.raw`endColumn=\d+,title=HS401::onconnect_a,b:c%25d%0D%0Ae\.sh starts with onconnect;`,
      ),
    );
    assert.equal(r.stdout.split('\n').length, 2);
    fs.rmSync(path.join(repo, 'odd,x:y%'), { recursive: true });
  });
});

suite('--format sarif for code scanning', () => {
  test('paths relative to the git top level with originalUriBaseIds, from any folder', () => {
    for (const [cwd, target] of [
      [repo, 'vpn'],
      [path.join(repo, 'vpn'), '.'],
      [path.join(repo, 'vpn/scripts'), '../profile.xml'],
    ]) {
      const [runLog] = JSON.parse(run(['lint', '--format', 'sarif', target], cwd).stdout).runs;
      assert.deepEqual(runLog.originalUriBaseIds, { SRCROOT: { uri: pathToFileURL(repo + '/').toString() } });
      assert.deepEqual(
        runLog.results[0].locations[0].physicalLocation.artifactLocation,
        { uri: 'vpn/profile.xml', uriBaseId: 'SRCROOT' },
        cwd,
      );
    }
  });

  test('--base-dir chooses the root instead', () => {
    const [runLog] = JSON.parse(run(['lint', '--format', 'sarif', '--base-dir', 'vpn', 'vpn'], repo).stdout).runs;
    assert.deepEqual(runLog.originalUriBaseIds.SRCROOT, { uri: pathToFileURL(path.join(repo, 'vpn') + '/').toString() });
    assert.equal(runLog.results[0].locations[0].physicalLocation.artifactLocation.uri, 'profile.xml');
  });

  test('rule help links are https: the version’s pages by default, or --docs-base-url; file:// is refused', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const byDefault = JSON.parse(run(['lint', '--format', 'sarif', 'vpn']).stdout).runs[0].tool.driver;
    const rule = byDefault.rules.find((r: { id: string }) => r.id === 'HS206');
    assert.equal(rule.helpUri, `https://github.com/hooksmith/hooksmith/blob/v${version}/docs/rules/HS206.md`);
    for (const r of byDefault.rules) assert.match(r.helpUri, /^https:\/\//);
    const custom = JSON.parse(
      run(['lint', '--format', 'sarif', '--docs-base-url', 'https://docs.example.org/hooksmith/rules', 'vpn']).stdout,
    ).runs[0].tool.driver;
    assert.equal(custom.rules.find((r: { id: string }) => r.id === 'HS206').helpUri, 'https://docs.example.org/hooksmith/rules/HS206.md');
    const refused = run(['lint', '--format', 'sarif', '--docs-base-url', pathToFileURL(root).toString(), 'vpn']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /--docs-base-url must be an https:\/\/ address/);
  });

  test("ShellCheck's rules have help text with their https link too, and the level ShellCheck gives them", () => {
    write('sc/OnConnect_echo.sh', '#!/bin/sh\necho $1\n');
    const { driver } = JSON.parse(run(['lint', '--format', 'sarif', 'sc']).stdout).runs[0].tool;
    fs.rmSync(path.join(repo, 'sc'), { recursive: true });
    const rule = driver.rules.find((r: { id: string }) => r.id === 'SC2086');
    assert.equal(rule.helpUri, 'https://www.shellcheck.net/wiki/SC2086');
    assert.equal(
      rule.help.text,
      'ShellCheck SC2086: Double quote to prevent globbing and word splitting. https://www.shellcheck.net/wiki/SC2086',
    );
    assert.match(rule.help.markdown, /\[Read more\]\(https:\/\/www\.shellcheck\.net\/wiki\/SC2086\)$/);
    assert.equal(rule.defaultConfiguration.level, 'note');
  });
});

suite('--format gitlab (code quality report)', () => {
  test("GitLab's Code Climate subset: severity, check, location from the repository root, a stable unique fingerprint", () => {
    write('vpn/scripts/onconnect_b.sh', '#!/bin/sh\n');
    const first = run(['lint', '--format', 'gitlab', '.'], path.join(repo, 'vpn'));
    assert.equal(first.status, 1);
    const issues = JSON.parse(first.stdout);
    assert.deepEqual(issues[0], {
      type: 'issue',
      check_name: 'HS206',
      description: 'HS206: <AutoUpdate>: "50%" is not one of: true, false.',
      categories: ['Bug Risk'],
      severity: 'major',
      fingerprint: issues[0].fingerprint,
      location: { path: 'vpn/profile.xml', lines: { begin: 4, end: 4 } },
    });
    assert.deepEqual(
      issues.map((i: { severity: string; location: { path: string } }) => [i.severity, i.location.path]),
      [
        ['major', 'vpn/profile.xml'],
        ['minor', 'vpn/scripts/onconnect_b.sh'],
        ['minor', 'vpn/scripts/onconnect_routes.sh'],
      ],
    );
    const fingerprints = issues.map((i: { fingerprint: string }) => i.fingerprint);
    assert.equal(new Set(fingerprints).size, fingerprints.length);
    assert.deepEqual(
      JSON.parse(run(['lint', '--format', 'gitlab', 'vpn']).stdout).map((i: { fingerprint: string }) => i.fingerprint),
      fingerprints,
    );
    fs.rmSync(path.join(repo, 'vpn/scripts/onconnect_b.sh'));
  });
});
