import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { families } from '../../server/src/families/registry';
import { runawayShell } from '../helpers/runawayShell';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist/cli.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-cli-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

const good =
  '<?xml version="1.0"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
  '<ServerList><HostEntry><HostName>a</HostName></HostEntry></ServerList>\n</AnyConnectProfile>\n';
const bad =
  '<?xml version="1.0"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
  '<ClientInitialization>\n    <AutoUpdate>yes</AutoUpdate>\n  </ClientInitialization>\n</AnyConnectProfile>\n';
fs.mkdirSync(path.join(work, 'tree/nested'), { recursive: true });
fs.writeFileSync(path.join(work, 'tree/good.xml'), good);
fs.writeFileSync(path.join(work, 'tree/nested/bad.xml'), bad);
fs.writeFileSync(path.join(work, 'tree/pom.xml'), '<project/>');
fs.writeFileSync(path.join(work, 'tree/notes.txt'), bad);
/** A file with an explicit mode (the umask would otherwise decide it). */
function write(file: string, text: string, mode = 0o755): string {
  const full = path.join(work, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  fs.chmodSync(full, mode);
  return file;
}
write('tree/scripts/OnConnect_routes.sh', '#!/bin/sh\nip route add 10.1.0.0/16 dev tun0\n');
write('tree/scripts/OnDisconnect_routes.sh', '#!/bin/sh\nip route del 10.1.0.0/16\n');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

suite('hooksmith lint, end to end', () => {
  test('text: one line per problem with 1-based positions, then a summary; exit 1 on errors', () => {
    const r = run('lint', 'tree');
    assert.equal(r.status, 1, r.stderr);
    assert.equal(
      r.stdout,
      `${path.join('tree', 'nested', 'bad.xml')}:4:17: error HS206 <AutoUpdate>: "yes" is not one of: true, false.\n1 ` +
        `problem (1 error, 0 warnings, 0 notes) in 2 profiles and 2 hooks\n`,
    );
  });

  test('folders yield only profiles and hooks: other XML and other files are skipped', () => {
    const r = run('lint', '--format', 'json', 'tree');
    const files = new Set(JSON.parse(r.stdout).diagnostics.map((d: { file: string }) => d.file));
    assert.deepEqual([...files], [path.join('tree', 'nested', 'bad.xml')]);
  });

  test('exit 0 and "No problems" on a clean profile', () => {
    const r = run('lint', 'tree/good.xml');
    assert.equal(r.status, 0);
    assert.equal(r.stdout, 'No problems in 1 profile\n');
  });

  test('json: the documented shape', () => {
    const r = run('lint', '--format', 'json', 'tree/nested/bad.xml');
    assert.equal(r.status, 1);
    assert.deepEqual(JSON.parse(r.stdout), {
      diagnostics: [
        {
          file: 'tree/nested/bad.xml',
          line: 4,
          column: 17,
          endLine: 4,
          endColumn: 20,
          severity: 'error',
          code: 'HS206',
          source: 'hooksmith',
          message: '<AutoUpdate>: "yes" is not one of: true, false.',
        },
      ],
    });
  });

  test('sarif: 2.1.0 with rules, levels, relative locations and regions', () => {
    const r = run('lint', '--format=sarif', 'tree');
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    const [runLog] = log.runs;
    assert.equal(runLog.tool.driver.name, 'hooksmith');
    const result = runLog.results[0];
    assert.equal(result.ruleId, 'HS206');
    assert.equal(runLog.tool.driver.rules[result.ruleIndex].id, 'HS206');
    assert.match(runLog.tool.driver.rules[result.ruleIndex].helpUri, /docs\/rules\/HS206\.md$/);
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations[0].physicalLocation, {
      artifactLocation: { uri: 'tree/nested/bad.xml', uriBaseId: 'SRCROOT' },
      region: { startLine: 4, startColumn: 17, endLine: 4, endColumn: 20 },
    });
  });

  test('an explicit non-profile file is linted and told it is not a profile', () => {
    const r = run('lint', 'tree/pom.xml');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /HS200 The root element is <project>/);
  });

  test('exit 2 with a message on an unreadable path, after linting the rest', () => {
    const r = run('lint', 'tree/good.xml', 'missing.xml');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read missing\.xml: no such file or folder/);
    assert.equal(r.stdout, '0 problems in 1 profile; 1 path not read (see the messages)\n');
    assert.doesNotMatch(r.stdout, /No problems/);
  });

  test('exit 2 with usage on a usage error', () => {
    const r = run('lint', '--format', 'xml', 'tree');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--format must be one of text, json, sarif/);
    assert.match(r.stderr, /Usage: hooksmith lint/);
  });

  test('a file over --max-size-mb is reported, not read whole', () => {
    fs.writeFileSync(path.join(work, 'huge.xml'), good.replace('<ServerList>', ' '.repeat(1_200_000) + '<ServerList>'));
    const r = run('lint', '--format', 'json', '--max-size-mb', '1', 'huge.xml');
    const [d] = JSON.parse(r.stdout).diagnostics;
    assert.equal(d.code, 'HS111');
    assert.deepEqual([d.line, d.column, d.endLine, d.endColumn], [1, 1, 1, 22]);
    assert.equal(r.status, 0);
  });

  test('a UTF-8 BOM does not shift columns', () => {
    fs.writeFileSync(path.join(work, 'bom.xml'), '\uFEFF' + bad.replace(/\n/g, '\r\n'));
    const [d] = JSON.parse(run('lint', '--format', 'json', 'bom.xml').stdout).diagnostics;
    assert.deepEqual([d.line, d.column], [4, 17]);
  });

  test('UTF-16 files, with or without a byte-order mark, are read as text', () => {
    fs.writeFileSync(path.join(work, 'utf16.xml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bad, 'utf16le')]));
    fs.writeFileSync(path.join(work, 'utf16-nobom.xml'), Buffer.from(bad, 'utf16le'));
    for (const name of ['utf16.xml', 'utf16-nobom.xml']) {
      const [d] = JSON.parse(run('lint', '--format', 'json', name).stdout).diagnostics;
      assert.deepEqual([d.code, d.line, d.column], ['HS206', 4, 17], name);
    }
  });

  test('--version prints the package version', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.equal(run('--version').stdout.trim(), version);
  });
});

suite('hooksmith lint on hook scripts', () => {
  const misnamed = write('misnamed/onconnect_routes.sh', '#!/bin/sh\nlogger "VPN up"\n');
  write('fw/shorewall/shorewall.conf', 'STARTUP_ENABLED=Yes\n', 0o644);
  const start = write('fw/shorewall/start', '#\n# /etc/shorewall/start\n#\nrun_iptables -A INPUT -i tun0 -j ACCEPT\nexit 0\n', 0o644);
  write('fw/shorewall/stop', 'logger "firewall stopping"\n', 0o644);
  write('tree/README.md', 'Profiles for the VPN.\n', 0o644);
  write('utf/shorewall/started', 'logger "Grüße 🔥"; exit 1\n', 0o644);

  test('a folder with a misnamed hook: one warning on its first line, exit 0', () => {
    const r = run('lint', 'misnamed');
    assert.equal(r.status, 0, r.stderr);
    const [line, summary] = r.stdout.split('\n');
    assert.match(
      line,
      new RegExp(
        String.raw`^misnamed[\\/]onconnect_routes\.sh:1:1: warning HS401 onconnect_routes\.sh ` +
          String.raw`starts with onconnect; .* Rename it to OnConnect_routes\.sh\.$`,
      ),
    );
    assert.equal(summary, '1 problem (0 errors, 1 warning, 0 notes) in 1 hook');
  });

  test('a Shorewall folder with exit in start: HS440 at the exit, the other hooks clean, exit 1', () => {
    const r = run('lint', 'fw');
    assert.equal(r.status, 1);
    assert.equal(
      r.stdout,
      `${start}:5:1: error HS440 exit here ends the whole generated firewall script, not just this hook: use ` +
        `return.\n1 problem (1 error, 0 warnings, 0 notes) in 2 hooks\n`,
    );
  });

  test('json: a content finding has 1-based lines and UTF-16 columns', () => {
    const r = run('lint', '--format', 'json', 'utf');
    assert.equal(r.status, 1);
    const [d] = JSON.parse(r.stdout).diagnostics;
    // `logger "Grüße 🔥"; ` is 19 UTF-16 units: the emoji counts two.
    assert.deepEqual(
      { file: d.file, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, code: d.code },
      { file: path.join('utf', 'shorewall', 'started'), line: 1, column: 20, endLine: 1, endColumn: 24, code: 'HS440' },
    );
  });

  test('sarif: hook findings carry their rule and a relative location', () => {
    const [runLog] = JSON.parse(run('lint', '--format', 'sarif', 'fw').stdout).runs;
    assert.deepEqual(
      runLog.results.map((r: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => [
        r.ruleId,
        r.locations[0].physicalLocation.artifactLocation.uri,
      ]),
      [['HS440', 'fw/shorewall/start']],
    );
  });

  test('explicit files: a hook is linted as a hook; a file that is neither gets a note that leaves the exit status alone', () => {
    const r = run('lint', 'tree/good.xml', misnamed, 'tree/README.md');
    assert.equal(r.status, 0);
    assert.equal(r.stderr, `hooksmith: skipped tree/README.md: not a profile, hook script, config or hook test spec Hooksmith knows\n`);
    assert.match(r.stdout, /HS401/);
    assert.match(r.stdout, /in 1 profile and 1 hook\n$/);
  });

  test('exit status: 1 for an error in a hook (not executable), 2 for an unreadable path, 0 with nothing to lint', () => {
    write('noexec/OnConnect_routes.sh', '#!/bin/sh\nlogger up\n', 0o644);
    const noexec = run('lint', 'noexec');
    assert.equal(noexec.status, 1);
    assert.match(noexec.stdout, /error HS405 OnConnect_routes\.sh is not executable/);
    const missing = run('lint', misnamed, 'missing-hook');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read missing-hook: no such file or folder/);
    const nothing = run('lint', 'tree/README.md');
    assert.equal(nothing.status, 0);
    assert.equal(nothing.stdout, 'No problems in 0 profiles and 0 hooks\n');
  });

  test('a hook with a UTF-8 BOM before #! is an error (HS409), exit 1', () => {
    write('bom/OnConnect_routes.sh', '\uFEFF#!/bin/sh\nlogger up\n');
    const r = run('lint', 'bom');
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /^bom[\\/]OnConnect_routes\.sh:1:1: error HS409 A UTF-8 byte-order mark comes before #!/);
    assert.doesNotMatch(r.stdout, /HS406/);
  });

  test('--family GLOB=ID lints a folder kept outside the usual place as that family', () => {
    write('deploy/firewall/start', 'exit 1\n', 0o644);
    assert.equal(run('lint', 'deploy').stdout, 'No problems in 0 profiles and 0 hooks\n');
    const r = run('lint', '--family', '**/firewall=shorewall', 'deploy');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^deploy[\\/]firewall[\\/]start:1:1: error HS440 /);
    assert.match(
      run('lint', '--family', 'x=pf', 'deploy').stderr,
      new RegExp(`--family takes GLOB=ID with ID one of ${families.map((f) => f.id).join(', ')}, not 'x=pf'`),
    );
  });
});

suite('hooksmith lint runs ShellCheck, as the editor does', () => {
  // [[ ]] under #!/bin/sh: the editor shows SC3010; a CI run must too.
  const hook = write('sc/OnConnect_test.sh', '#!/bin/sh\nif [[ -n "$CISCO_VPN_USERNAME" ]]; then logger up; fi\n');
  const sc3010 = /In POSIX sh, \[\[ \]\] is undefined/;

  test('text: the finding with its SC code, its position and its wiki link, counted in the summary', () => {
    const r = run('lint', 'sc');
    assert.equal(r.status, 0, r.stderr);
    const [line, summary] = r.stdout.split('\n');
    assert.match(line, new RegExp(`^${hook.replace(/[/.]/g, '\\$&')}:2:4: warning SC3010 `));
    assert.match(line, sc3010);
    assert.match(line, / <https:\/\/www\.shellcheck\.net\/wiki\/SC3010>$/);
    assert.equal(summary, '1 problem (0 errors, 1 warning, 0 notes) in 1 hook');
  });

  test('json and sarif: the code, source and wiki link', () => {
    const [d] = JSON.parse(run('lint', '--format', 'json', 'sc').stdout).diagnostics;
    assert.deepEqual(
      { code: d.code, source: d.source, url: d.url, line: d.line, column: d.column },
      { code: 'SC3010', source: 'shellcheck', url: 'https://www.shellcheck.net/wiki/SC3010', line: 2, column: 4 },
    );
    const [runLog] = JSON.parse(run('lint', '--format', 'sarif', 'sc').stdout).runs;
    const [result] = runLog.results;
    assert.equal(result.ruleId, 'SC3010');
    assert.equal(runLog.tool.driver.rules[result.ruleIndex].id, 'SC3010');
    assert.equal(runLog.tool.driver.rules[result.ruleIndex].helpUri, 'https://www.shellcheck.net/wiki/SC3010');
  });

  test('--shellcheck off runs none; a PATH runs that executable; one that is not there is exit 2, never "No problems"', () => {
    assert.equal(run('lint', '--shellcheck', 'off', 'sc').stdout, 'No problems in 1 hook\n');
    assert.match(run('lint', '--shellcheck=/usr/bin/shellcheck', 'sc').stdout, /SC3010/);
    const missing = run('lint', '--shellcheck', path.join(work, 'no-shellcheck'), 'sc');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /ShellCheck on .*no-shellcheck: no ShellCheck executable there/);
    assert.doesNotMatch(missing.stdout, /No problems/);
  });

  test("auto without ShellCheck on PATH: a note on stderr, Hooksmith's findings, exit status unchanged", () => {
    const r = spawnSync(process.execPath, [cli, 'lint', 'sc'], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, PATH: path.join(work, 'empty-path') },
    });
    assert.equal(r.status, 0);
    assert.equal(r.stdout, 'No problems in 1 hook\n');
    assert.match(r.stderr, /ShellCheck is not on PATH/);
  });

  test('many hooks are checked (in parallel), each with its own findings in file order; CRLF gives HS407 and no SC1017', () => {
    for (let i = 0; i < 6; i++) write(`many/${i}/OnConnect_${i}.sh`, `#!/bin/sh\necho $${i}\n`);
    write('many/9/OnConnect_crlf.sh', '#!/bin/sh\r\nlogger up\r\n');
    const r = run('lint', '--format', 'json', 'many');
    const found = JSON.parse(r.stdout).diagnostics.map((d: { file: string; code: string }) => `${path.basename(d.file)} ${d.code}`);
    assert.deepEqual(found, [...Array.from({ length: 6 }, (_, i) => `OnConnect_${i}.sh SC2086`), 'OnConnect_crlf.sh HS407']);
  });
});

suite('hooksmith lint on a hook the shell parser would never finish', () => {
  test('one HS460 on its first line, and the next hook in the folder still gets its findings', () => {
    const runaway = write('runaway/OnConnect_a.sh', `#!/bin/sh\n${runawayShell(64)}`);
    const routes = write('runaway2/OnConnect_b.sh', '#!/bin/sh\nip route add 10.1.0.0/16 dev tun0\n');
    const r = run('lint', '--shellcheck', 'off', 'runaway', 'runaway2');
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(
      lines[0],
      new RegExp(`^${runaway}:1:1: error HS460 Shell syntax error: the shell parser gave up on this file after [0-9,]+ steps`),
    );
    assert.match(lines[1], new RegExp(`^${routes}:2:1: warning HS452 `));
    assert.equal(lines[2], '2 problems (1 error, 1 warning, 0 notes) in 2 hooks');
  });
});
