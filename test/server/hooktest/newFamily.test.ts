import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe as suite, test } from 'node:test';
import type { HookFamily } from '../../../server/src/families/family';
import { families } from '../../../server/src/families/registry';
import { specCompletions } from '../../../server/src/hooktest/authoring';
import { checkSpec } from '../../../server/src/hooktest/check';
import { runTests, selectInstances } from '../../../server/src/hooktest/run';
import { runHookTests } from '../../../server/src/cli/testCommand';
import { hooktestSchema } from '../../../server/src/hooktest/schema';
import { reportFormatVersion, SimulationRequest } from '../../../server/src/protocol';
import { runLaunch } from '../../../server/src/simulate/run';
import { createShims } from '../../../server/src/simulate/shims';

// A family the hook test code has never heard of, added the way CONTRIBUTING.md adds one (its
// declarations and one entry in the registry): its fields, events and hooks work in specs at once.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-newfamily-'));
const reasons = ['pre-init', 'connect', 'disconnect'];

const newFamily = {
  id: 'vpnscript',
  displayName: 'A VPN script family',
  product: 'vpnscript',
  hooks: reasons.map((r) => ({ name: `${r}.sh`, description: `Runs on ${r}.`, runModel: 'executable', runBy: [r], env: [] })),
  files: { candidates: [], markers: [], mappingExample: 'x/**' },
  recognize: () => undefined,
  lint: () => [],
  rules: [],
  recognitionDoc: '',
  simulation: {
    request: {
      kind: 'vpnscript',
      fields: [
        { name: 'reason', type: 'choice', role: 'events', values: reasons, required: true, doc: 'the reason the script runs for' },
        { name: 'folder', type: 'path', required: true, doc: 'the folder of the scripts' },
      ],
    },
    describe: (r: SimulationRequest) => String(r.reason),
    // The real runner: the hook's own process group, the shims first in PATH.
    run: async (req: SimulationRequest) => {
      // A simulator with a bug: not a SimulationError, what a user's spec cannot cause.
      if (req.reason === 'pre-init') return (undefined as unknown as { runs: string[] }).runs;
      const shims = createShims();
      try {
        const script = path.join(req.folder as string, `${String(req.reason)}.sh`);
        const { run, commands } = await runLaunch(
          { file: script, cwd: req.folder as string },
          { reason: String(req.reason), ...req.env },
          shims,
          {},
        );
        const report = {
          ...run,
          stdout: run.stdout.text,
          stderr: run.stderr.text,
          stdoutTruncated: false,
          stderrTruncated: false,
          script,
          commands,
          notIntercepted: [],
          label: String(req.reason),
          hook: `${String(req.reason)}.sh`,
          env: {},
          warnings: [],
        };
        return {
          kind: 'vpnscript',
          formatVersion: reportFormatVersion,
          isolation: { mode: 'shims' as const, reason: 'a test family' },
          runs: [report],
          skipped: [],
          notes: [],
          dryRun: true,
          ok: run.exitCode === 0,
          cancelled: false,
        };
      } finally {
        shims.dispose();
      }
    },
    cli: { words: [], usage: [], options: '', parse: () => assert.fail('not used') },
    taskKinds: [],
    target: () => assert.fail('not used'),
    tasks: async () => [],
    fromTask: () => assert.fail('not used'),
  },
} as unknown as HookFamily;

before(() => {
  (families as HookFamily[]).push(newFamily);
  fs.mkdirSync(path.join(dir, 'hooks'));
  fs.writeFileSync(
    path.join(dir, 'hooks', 'connect.sh'),
    '#!/bin/sh\necho "reason=$reason user=$USER_NAME"\nip addr add 10.9.0.2/32 dev tun0\n',
    { mode: 0o755 },
  );
});
after(() => {
  (families as HookFamily[]).splice(families.indexOf(newFamily), 1);
  fs.rmSync(dir, { recursive: true, force: true });
});

suite('a new family in hook test specs, with no edit to the hook test code', () => {
  const file = () => path.join(dir, 'new.hooktest.yaml');
  const text = `tests:
  - name: connect adds the address
    family: vpnscript
    reason: connect
    folder: hooks
    env: { USER_NAME: carol }
    expect:
      connect.sh:
        exit: 0
        stdout: reason=connect user=carol
        commands: [ip addr add 10.9.0.2/32 dev tun0]
`;

  test('its request fields, its events and its hooks are checked from its declarations', () => {
    assert.deepEqual(checkSpec(text, file()).findings, []);
    const bad = checkSpec(
      text.replace('reason: connect', 'reason: reconnect').replace('folder: hooks', 'folder: nowhere').replace('connect.sh:', 'up.sh:'),
      file(),
    );
    assert.deepEqual(
      bad.findings.map((f) => [f.code, f.message]),
      [
        ['HS804', "vpnscript has no reason 'reconnect': use pre-init, connect, disconnect."],
        ['HS805', `nowhere does not exist (looked for ${path.join(dir, 'nowhere')}).`],
        [
          'HS804',
          "vpnscript has no event 'up.sh', and it is no expectation: use an event (pre-init, connect, disconnect, " +
            'pre-init.sh, connect.sh, disconnect.sh) or exit, timedOut, killedByNextEvent, durationUnder, commands, stdout, ' +
            'stderr, state, ok, restored.',
        ],
      ],
    );
  });

  test('its tests run through its simulator, and pass or fail on what its hook did', async () => {
    const spec = checkSpec(text, file());
    const failing = checkSpec(text.replace('user=carol', 'user=dave'), file());
    const [pass, fail] = await runTests([...selectInstances(spec.tests), ...selectInstances(failing.tests)]);
    assert.equal(pass.status, 'passed', JSON.stringify(pass.failures));
    assert.equal(fail.status, 'failed');
    assert.deepEqual(
      fail.failures.map((f) => f.message),
      ['connect.sh: stdout does not match reason=connect user=dave'],
    );
  });

  test('completion and the JSON schema know it', () => {
    const labels = specCompletions(text, text.indexOf('connect.sh:')).map((c) => c.label);
    assert.ok(labels.includes('disconnect.sh') && labels.includes('connect'), labels.join(', '));
    const schema = hooktestSchema() as { definitions: Record<string, { properties: Record<string, unknown> }> };
    assert.deepEqual(
      Object.keys(schema.definitions['test-vpnscript'].properties).filter((k) => k === 'reason' || k === 'folder'),
      ['reason', 'folder'],
    );
  });

  test('a bug in its simulator errs that test with the stack and exit 3; the other tests still run and report', async () => {
    const spec = path.join(dir, 'bug.hooktest.yaml');
    const second = text
      .replace('tests:\n', '')
      .replace('connect adds the address', 'pre-init hits a bug')
      .replace('reason: connect', 'reason: pre-init');
    fs.writeFileSync(spec, text + second);
    let out = '';
    let err = '';
    const args = { command: 'test', paths: [spec], reporter: 'text', json: false, jobs: 1 } as const;
    const status = await runHookTests(
      args,
      (s) => (out += s),
      (s) => (err += s),
    );
    assert.equal(status, 3, out + err);
    assert.match(out, /PASS.*connect adds the address/);
    assert.match(
      out,
      /ERROR {2}pre-init hits a bug \(\d+ ms\)\n\s+Hooksmith failed inside this test \(a bug; please report it\): TypeError: Cannot read/,
    );
    assert.match(err, /internal error in 1 test\(s\): a bug in Hooksmith/);
  });
});
