import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { anyconnectEnv } from '../../../../server/src/families/anyconnect/env';
import { scriptTemplate } from '../../../../server/src/families/anyconnect/templates';
import { codes } from '../../../helpers/findings';
import { lintInMemory, needsShellParser } from '../../../helpers/hooks';

needsShellParser();

const dir = '/opt/cisco/secureclient/vpn/script';

suite('script templates', () => {
  test('a shell template lists the environment, logs, and passes every hook rule', () => {
    for (const [name, event] of [
      ['OnConnect_new.sh', 'OnConnect'],
      ['OnDisconnect_new.bash', 'OnDisconnect'],
    ] as const) {
      const t = scriptTemplate(name, event);
      assert.equal(t.executable, true);
      assert.match(t.text, name.endsWith('.bash') ? /^#!\/bin\/bash\n/ : /^#!\/bin\/sh\n/);
      for (const v of anyconnectEnv) assert.match(t.text, new RegExp(`^#\\s+${v.name}\\s`, 'm'), v.name);
      assert.match(t.text, /^logger /m);
      assert.deepEqual(codes(lintInMemory({ path: `${dir}/${name}`, source: t.text })), [], name);
    }
  });

  test('Windows names get their own language, with CRLF and no execute bit', () => {
    const vbs = scriptTemplate('OnConnect_script.vbs', 'OnConnect');
    assert.equal(vbs.executable, false);
    assert.match(vbs.text, /^' OnConnect_script\.vbs: /);
    assert.match(vbs.text, /\r\nSet objShell = CreateObject\("WScript\.Shell"\)\r\nobjShell\.LogEvent /);
    assert.match(scriptTemplate('OnConnect_x.ps1', 'OnConnect').text, /^# OnConnect_x\.ps1: [^\n]*\r\n/);
    assert.match(scriptTemplate('OnConnect_x.BAT', 'OnConnect').text, /^@echo off\r\nrem /);
    for (const name of ['OnConnect_x.vbs', 'OnConnect_x.ps1', 'OnConnect_x.cmd'])
      assert.ok(!/[^\r]\n/.test(scriptTemplate(name, 'OnConnect').text), name);
  });

  test('a name with shell or VBScript syntax is written inert', () => {
    const t = scriptTemplate('OnConnect_$(reboot)"`x`.sh', 'OnConnect');
    assert.ok(!t.text.includes('$(reboot)') && !t.text.includes('`x`'), t.text);
    assert.match(t.text, /OnConnect___reboot___x_\.sh/);
  });
});
