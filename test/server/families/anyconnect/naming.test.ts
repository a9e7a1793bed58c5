import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { conventionalName, eventPrefix } from '../../../../server/src/families/anyconnect/naming';
import { recognizeHook } from '../../../../server/src/families/registry';
import { assertOneAt, codes, describe } from '../../../helpers/findings';
import { lintHook } from '../../../../server/src/hooks/lintHook';
import { hookFile, lintInMemory, needsShellParser } from '../../../helpers/hooks';

needsShellParser();

const dir = '/opt/cisco/secureclient/vpn/script';
const good = '#!/bin/sh\nlogger "VPN: connected"\n';

suite('AnyConnect hook recognition', () => {
  test('OnConnect / OnDisconnect in any case, and near misses', () => {
    const cases: [string, string | undefined, string | undefined][] = [
      ['OnConnect_routes.sh', 'OnConnect', 'exact'],
      ['OnDisconnect_cleanup.sh', 'OnDisconnect', 'exact'],
      ['onconnect_routes.sh', 'OnConnect', 'case'],
      ['ONDISCONNECT.sh', 'OnDisconnect', 'case'],
      ['OnConect_routes.sh', 'OnConnect', 'near-miss'],
      ['On_Connect_routes.sh', 'OnConnect', 'near-miss'],
      ['on-disconnect-x.sh', 'OnDisconnect', 'near-miss'],
      ['OnDisconect.sh', 'OnDisconnect', 'near-miss'],
      ['connect.sh', undefined, undefined],
      ['openconnect-wrapper.sh', undefined, undefined],
      ['onConnect.ts', 'OnConnect', 'case'],
      ['OpenConnect.sh', undefined, undefined],
      ['options.sh', undefined, undefined],
      ['README.md', undefined, undefined],
    ];
    for (const [name, event, kind] of cases) {
      const p = eventPrefix(name);
      assert.deepEqual([p?.event, p?.kind], [event, kind], name);
      const family = /\.ts$/.test(name) ? undefined : event; // source code of other languages is never a hook
      assert.equal(recognizeHook(`${dir}/${name}`, [name])?.hook.name, family, name);
    }
  });

  test('the conventional name keeps the rest of the name', () => {
    assert.equal(conventionalName('onconnect_routes.sh'), 'OnConnect_routes.sh');
    assert.equal(conventionalName('OnConnectroutes.sh'), 'OnConnect_routes.sh');
    assert.equal(conventionalName('On_Connect-routes.sh'), 'OnConnect_routes.sh');
    assert.equal(conventionalName('OnDisconnect.sh'), 'OnDisconnect_script.sh');
  });
});

suite('AnyConnect naming and file rules (on the first line)', () => {
  test('a correct hook raises nothing', () => {
    const findings = lintInMemory({ path: `${dir}/OnConnect_log.sh`, source: good });
    assert.deepEqual(findings, [], describe(findings));
  });

  test('HS401: wrong case, with a rename fix', () => {
    const source = '«#!/bin/sh»\nlogger x\n';
    const f = assertOneAt(lintInMemory({ path: `${dir}/onconnect_log.sh`, source }), 'HS401', source);
    assert.deepEqual(f.fix, { kind: 'rename', to: 'OnConnect_log.sh' });
  });

  test('HS401: no underscore after the prefix', () => {
    const source = '«#!/bin/sh»\nlogger x\n';
    assert.match(assertOneAt(lintInMemory({ path: `${dir}/OnConnectlog.sh`, source }), 'HS401', source).message, /OnConnect_<name>\.<ext>/);
  });

  test("HS402: a near-miss prefix is ignored by Cisco's client", () => {
    const source = '«#!/bin/sh»\nlogger x\n';
    const f = assertOneAt(lintInMemory({ path: `${dir}/OnConect_log.sh`, source }), 'HS402', source);
    assert.deepEqual(f.fix, { kind: 'rename', to: 'OnConnect_log.sh' });
  });

  test('HS403: no extension (information)', () => {
    const source = '«#!/bin/sh»\nlogger x\n';
    assert.equal(assertOneAt(lintInMemory({ path: `${dir}/OnConnect_log`, source }), 'HS403', source).severity, 'information');
  });

  test('HS404: several OnConnect* files, and which one runs', () => {
    const source = '«#!/bin/sh»\nlogger x\n';
    const findings = lintInMemory({ path: `${dir}/OnConnect_b.sh`, source, folder: { 'OnConnect_a.sh': good, 'OnDisconnect_a.sh': good } });
    assert.match(assertOneAt(findings, 'HS404', source).message, /OnConnect_a\.sh would run, not this one/);
  });

  test('HS405: the execute bit is missing', () => {
    const source = '«#!/bin/sh»\nlogger x\n';
    assert.equal(assertOneAt(lintInMemory({ path: `${dir}/OnConnect_log.sh`, source, mode: 0o644 }), 'HS405', source).severity, 'error');
  });

  test('HS406: no shebang', () => {
    const source = '«logger x»\n';
    assertOneAt(lintInMemory({ path: `${dir}/OnConnect_log.sh`, source }), 'HS406', source);
  });

  test('HS409: a byte-order mark hides the #! line: an error, with its fix data, and no HS406', () => {
    const source = '«\uFEFF#!/bin/sh»\nlogger x\n';
    const findings = lintInMemory({ path: `${dir}/OnConnect_log.sh`, source });
    const f = assertOneAt(findings, 'HS409', source);
    assert.equal(f.severity, 'error');
    assert.match(f.message, /byte-order mark comes before #!/);
    assert.deepEqual(f.fix, { kind: 'remove-bom' });
    assert.deepEqual(codes(findings), ['HS409']);
  });

  test('HS409: a byte-order mark the editor stripped from the text is found on disk', () => {
    const source = '«#!/bin/sh»\nlogger x\n';
    const file = { ...hookFile({ path: `${dir}/OnConnect_log.sh`, source }), bomOnDisk: true };
    assertOneAt(lintHook(file)?.findings ?? [], 'HS409', source);
  });

  test('HS407: CRLF line ends explain the bad interpreter', () => {
    const source = '«#!/bin/bash»\r\nlogger x\r\n';
    assert.match(
      assertOneAt(lintInMemory({ path: `${dir}/OnConnect_log.sh`, source }), 'HS407', source).message,
      /\/bin\/bash\^M: bad interpreter/,
    );
  });

  test('HS408: a Windows-only type outside the Windows script folder; none inside it', () => {
    const source = '«\' VBScript»\r\nSet o = CreateObject("WScript.Shell")\r\n';
    assertOneAt(lintInMemory({ path: `${dir}/OnConnect_drives.vbs`, source, mode: 0o644 }), 'HS408', source);
    const windows = 'C:\\ProgramData\\Cisco\\Cisco Secure Client\\VPN\\Script'.split('\\').join('/');
    assert.deepEqual(codes(lintInMemory({ path: `${windows}/OnConnect_drives.vbs`, source, mode: 0o644 })), []);
  });

  test('HS430: writable by group or others', () => {
    const source = '«#!/bin/sh»\nlogger x\n';
    assert.match(
      assertOneAt(lintInMemory({ path: `${dir}/OnConnect_log.sh`, source, mode: 0o777 }), 'HS430', source).message,
      /its group and others may write it \(mode 777\)/,
    );
  });
});
