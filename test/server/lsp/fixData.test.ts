import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { readFixData } from '../../../server/src/lsp/fixData';

suite('fix data from the client', () => {
  test('what the rules send is read back', () => {
    const sent = [
      { kind: 'rename', to: 'OnConnect_up.sh' },
      { kind: 'replace', with: 'run_iptables' },
      { kind: 'replace', with: '%i' },
      { kind: 'undo', command: 'ip route del 10.8.0.0/16', event: 'OnDisconnect' },
      { kind: 'create-script', name: 'OnConnect_new.sh', event: 'OnConnect' },
    ];
    for (const data of sent) assert.deepEqual(readFixData(data), data);
  });

  test('paths, line breaks, code and unknown kinds are refused', () => {
    const refused = [
      undefined,
      'rename',
      { kind: 'rename', to: '../OnConnect_up.sh' },
      { kind: 'rename', to: 'a\\b' },
      { kind: 'rename', to: '..' },
      { kind: 'replace', with: 'return; rm -rf /' },
      { kind: 'undo', command: 'ip route del x\nrm -rf /', event: 'OnDisconnect' },
      { kind: 'undo', command: 'umount /x', event: 'OnConnect' },
      { kind: 'create-script', name: '/etc/passwd', event: 'OnConnect' },
      { kind: 'create-script', name: 'OnConnect_x.sh', event: 'reconnect' },
      { kind: 'delete', to: 'x' },
    ];
    for (const data of refused) assert.equal(readFixData(data), undefined, JSON.stringify(data));
  });
});
