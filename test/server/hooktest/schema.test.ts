import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { checkSpec } from '../../../server/src/hooktest/check';
import { hooktestSchema, schemaPath } from '../../../server/src/hooktest/schema';

const root = path.resolve(__dirname, '../../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
// ajv comes with @vscode/vsce (a dev dependency): the schema is checked by a real JSON-schema validator.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv = require('ajv') as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } };
const validate = new Ajv({ allErrors: true, strict: false }).compile(hooktestSchema());

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-schema-'));
fs.mkdirSync(path.join(dir, 'scripts'), { recursive: true });
const file = path.join(dir, 'a.hooktest.yaml');

const good = `tests:
  - name: connect and disconnect
    family: anyconnect
    scripts: scripts
    events: [connect, disconnect]
    isolation: sandbox
    timeout: 5s
    matrix:
      - { name: alice, env: { CISCO_VPN_USERNAME: alice } }
    expect:
      exit: 0
      restored: true
      durationUnder: 2000
      connect:
        commands: { contains: [ip route add 192.168.100.0/24 *], inOrder: [[logger, '*'], ip *] }
        stdout: [/up/, text]
        state: { routes: { present: ['* dev tun0'] }, files: [created /etc/x] }
  - name: start
    family: shorewall
    command: start
    confdir: scripts
    expect:
      started: { exit: 0 }
`;

test('schemas/hooktest.schema.json is the schema generated from the spec model and the families (npm run sync:manifest)', () => {
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(root, schemaPath), 'utf8')), hooktestSchema());
});

test('the schema and the checker agree: a spec the checker accepts validates; each mistake it reports the schema refuses too', () => {
  assert.deepEqual(checkSpec(good, file).findings, []);
  assert.ok(validate(parse(good)), JSON.stringify(validate.errors));
  const mistakes: [string, string, string][] = [
    ['HS801', '    timeout: 5s\n', '    timeout: 5s\n    colour: blue\n'],
    ['HS801', '      exit: 0\n', '      exit: 0\n      exti: 0\n'],
    ['HS802', '      exit: 0\n', '      exit: zero\n'],
    ['HS802', 'timeout: 5s', 'timeout: soon'],
    ['HS803', 'family: anyconnect', 'family: strongswan'],
    ['HS804', 'events: [connect, disconnect]', 'events: [connect, disconect]'],
    ['HS804', '      started: { exit: 0 }', '      connect: { exit: 0 }'],
    ['HS807', '    family: shorewall\n    command: start\n', '    family: shorewall\n'],
  ];
  for (const [code, from, to] of mistakes) {
    const text = good.replace(from, to);
    assert.notEqual(text, good, from);
    assert.deepEqual(
      checkSpec(text, file).findings.map((f) => f.code),
      [code],
      to,
    );
    assert.equal(validate(parse(text)), false, `the schema accepts what the checker reports as ${code}: ${to}`);
  }
});

test('the schema is shipped and offered to the YAML extension for spec files', () => {
  assert.ok(pkg.files.includes('schemas/*.json'));
  const [entry] = pkg.contributes.yamlValidation;
  assert.equal(path.normalize(entry.url), path.normalize(`./${schemaPath}`));
  assert.deepEqual(entry.fileMatch, ['*.hooktest.yaml', '*.hooktest.yml', 'hooksmith.test.yaml', 'hooksmith.test.yml']);
});
