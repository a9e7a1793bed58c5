import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { families, recognizeHook } from '../../../server/src/families/registry';
import { argsFor } from '../../../server/src/shellcheck/check';
import { shellcheckPlan } from '../../../server/src/shellcheck/plan';
import { runInGroup } from '../../../server/src/shellcheck/process';
import { marked } from '../../helpers/marked';
import { diagnosticsOf, shellcheckHook } from './support';
import { wireConfigsIn } from '../../helpers/configs';
import { needsShellParser } from '../../helpers/hooks';

// A wg-quick config's hook lines are read with the shell parser when its fixtures are wired.
needsShellParser();

const shorewall = (name: string) => `/etc/shorewall/${name}`;
const codes = (ds: readonly { code?: unknown }[]) => ds.map((d) => d.code);

/** ShellCheck's codes for `input` read as `shell`, with nothing in between. */
async function rawCodes(input: string, shell: string): Promise<string[]> {
  const run = await runInGroup({ executable: 'shellcheck', args: ['--format=json1', `--shell=${shell}`, '-'], input, timeoutMs: 10_000 });
  assert.equal(run.kind, 'exited');
  return (JSON.parse(run.kind === 'exited' ? run.stdout : '') as { comments: { code: number }[] }).comments.map((c) => `SC${c.code}`);
}

const runTimeHook = '# start: open the VPN port\nlocal port=1194\nrun_iptables -A INPUT -p udp --dport "$port" -j ACCEPT\nreturn 0\n';

suite('Shorewall run-time hooks are checked as function bodies', () => {
  test('return 0 and local at the top level of a start hook raise no ShellCheck complaint', async () => {
    const { result } = await shellcheckHook(shorewall('start'), runTimeHook);
    assert.deepEqual(diagnosticsOf(result), []);
  });

  test('unwrapped, the same text draws complaints', async () => {
    // ShellCheck 0.9 says nothing about a top-level return in any dialect (koalaman/shellcheck#281),
    // so `local` shows the difference: as an ordinary sh script it is SC3043, and outside a function
    // (dash, which has local) SC2168, which the function wrapper removes.
    const asScript = diagnosticsOf((await shellcheckHook('/srv/vpn/OnConnect_fw.sh', `#!/bin/sh\n${runTimeHook}`)).result);
    assert.deepEqual(codes(asScript), ['SC3043']);
    assert.deepEqual(await rawCodes(runTimeHook, 'dash'), ['SC2168']);
    const plan = shellcheckPlan(recognizeHook(shorewall('start'), ['start'])!, shorewall('start'), runTimeHook)!;
    assert.deepEqual(await rawCodes(plan.input, 'dash'), []);
  });

  test('ShellCheck reads sh and is told about local', () => {
    const plan = shellcheckPlan(recognizeHook(shorewall('start'), ['start'])!, shorewall('start'), 'true\n')!;
    assert.deepEqual(argsFor(plan), ['--format=json1', '--shell=sh', '--exclude=SC3043', '-']);
  });

  test("findings land on the hook's own lines, not the wrapper's", async () => {
    const { text, spans } = marked('#!/bin/sh\nlogger «$1»\n');
    const { doc, result } = await shellcheckHook(shorewall('enabled'), text);
    const found = diagnosticsOf(result);
    assert.deepEqual(codes(found), ['SC2086'], 'the #! line inside the function draws nothing (HS441 covers it)');
    assert.deepEqual(found[0].range, { start: doc.positionAt(spans[0].start), end: doc.positionAt(spans[0].end) });
  });

  test('a syntax error at the end of the hook stays inside the document', async () => {
    const text = 'echo "unterminated\n';
    const { doc, result } = await shellcheckHook(shorewall('stopped'), text);
    const found = diagnosticsOf(result);
    assert.ok(
      found.some((d) => d.code === 'SC1078'),
      JSON.stringify(codes(found)),
    );
    const end = doc.positionAt(text.length);
    for (const d of found) assert.ok(d.range.end.line <= end.line, `${String(d.code)} at line ${d.range.end.line}`);
  });

  test('an empty hook is valid', async () => {
    assert.deepEqual(diagnosticsOf((await shellcheckHook(shorewall('started'), '')).result), []);
    assert.deepEqual(diagnosticsOf((await shellcheckHook(shorewall('started'), '# nothing yet')).result), []);
  });
});

suite('which hooks ShellCheck reads, and as which shell', () => {
  const planOf = (file: string, text: string, siblings: string[] = []) => {
    const recognized = recognizeHook(file, [file.split('/').pop()!, ...siblings]);
    assert.ok(recognized, file);
    return shellcheckPlan(recognized, file, text);
  };

  test('AnyConnect: the shebang decides, then the extension; sh by default', () => {
    assert.equal(planOf('/v/OnConnect_a.sh', '#!/bin/bash\n')?.shell, 'bash');
    assert.equal(planOf('/v/OnConnect_a.sh', '#!/usr/bin/env dash\n')?.shell, 'dash');
    assert.equal(planOf('/v/OnConnect_a', '#!/bin/busybox sh\n')?.shell, 'sh');
    assert.equal(planOf('/v/OnConnect_a.sh', 'echo hi\n')?.shell, 'sh');
    assert.equal(planOf('/v/OnConnect_a.bash', 'echo hi\n')?.shell, 'bash');
    assert.equal(planOf('/v/OnConnect_a.sh', '#!/bin/sh\n')?.linesBefore, 0);
  });

  test('not shell: Windows scripts, zsh, Python, Perl compile-time hooks', () => {
    for (const name of ['OnConnect_a.vbs', 'OnConnect_a.ps1', 'OnConnect_a.bat', 'OnDisconnect_a.cmd'])
      assert.equal(planOf(`/v/${name}`, 'echo hi\n'), undefined, name);
    assert.equal(planOf('/v/OnConnect_a.sh', '#!/bin/zsh\n'), undefined);
    assert.equal(planOf('/v/OnConnect_a.py', '#!/usr/bin/python3\n'), undefined);
    assert.equal(planOf('/v/OnConnect_a.py', 'print(1)\n'), undefined);
    assert.equal(planOf(shorewall('compile'), '1;\n'), undefined);
  });

  test('bash features are fine under a bash shebang and flagged under sh', async () => {
    const body = 'if [[ -n "$1" ]]; then echo "$1"; fi\n';
    assert.deepEqual(diagnosticsOf((await shellcheckHook('/v/OnConnect_a.sh', `#!/bin/bash\n${body}`)).result), []);
    assert.deepEqual(codes(diagnosticsOf((await shellcheckHook('/v/OnConnect_a.sh', `#!/bin/sh\n${body}`)).result)), ['SC3010']);
  });

  test('the realistic hooks of every family draw no ShellCheck finding', async () => {
    const fixtures = path.resolve(__dirname, '../../../../test/fixtures/hooks');
    let checked = 0;
    for (const family of families.map((f) => f.id)) {
      const configs = wireConfigsIn(path.join(fixtures, family));
      const names = fs.readdirSync(path.join(fixtures, family));
      for (const name of names.filter((n) => !configs.has(n) && n !== 'shorewall.conf')) {
        const file = path.join(fixtures, family, name);
        const mapped = { [path.join(fixtures, family)]: family }; // a family recognised by its folder layout, as lintHook.test maps it
        const recognized = recognizeHook(file, names) ?? recognizeHook(file, names, mapped);
        if (!recognized || !shellcheckPlan(recognized, file, '')) continue;
        const { result } = await shellcheckHook(
          file,
          fs.readFileSync(file, 'utf8'),
          names,
          recognizeHook(file, names) ? undefined : mapped,
        );
        assert.deepEqual(codes(diagnosticsOf(result)), [], name);
        checked++;
      }
    }
    assert.ok(checked >= 10, `${checked} hooks checked`);
  });

  test('Shorewall library and command-line hooks are read as sh, unwrapped', () => {
    const lib = planOf(shorewall('lib.private'), 'f() { :; }\n');
    assert.deepEqual([lib?.shell, lib?.linesBefore], ['sh', 0]);
    const save = planOf(shorewall('save'), 'true\n');
    assert.deepEqual([save?.shell, save?.linesBefore], ['sh', 0]);
  });
});
