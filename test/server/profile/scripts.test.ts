import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { lintProfile } from '../../../server/src/profile/lint';
import { scriptFoldersFor } from '../../../server/src/profile/scriptFolders';
import { nameProblem } from '../../../server/src/profile/scripts';
import { assertOneAt } from '../../helpers/findings';
import { marked } from '../../helpers/marked';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-scripts-'));
fs.mkdirSync(path.join(dir, 'scripts'));
fs.mkdirSync(path.join(dir, 'elsewhere'));
fs.writeFileSync(path.join(dir, 'scripts', 'OnConnect_routes.sh'), '#!/bin/sh\n');
fs.writeFileSync(path.join(dir, 'OnDisconnect_cleanup.sh'), '#!/bin/sh\n');
fs.writeFileSync(path.join(dir, 'elsewhere', 'OnConnect_extra.sh'), '#!/bin/sh\n');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const profilePath = path.join(dir, 'profile.xml');

function profile(body: string, enable = ''): string {
  return (
    `<AnyConnectProfile ` +
    `xmlns="http://schemas.xmlsoap.org/encoding/">\n<ClientInitialization>\n${enable}${body}\n</ClientInitialization>\n</AnyConnectProfile>`
  );
}

function lint(source: string, extra: string[] = []) {
  return lintProfile(marked(source).text, { dialect: 'seed', maxSize: 1 << 20, scriptFolders: scriptFoldersFor(profilePath, extra, dir) });
}

suite('script references', () => {
  test('scripts found beside the profile and in scripts/ raise nothing', () => {
    const source = profile(
      '<OnConnectScript>OnConnect_routes.sh</OnConnectScript><OnDisconnectScript>OnDisconnect_cleanup.sh</OnDisconnectScript>',
    );
    assert.deepEqual(lint(source), []);
  });

  test('HS301: an OnDisconnect_ script in OnConnectScript is an error on the value', () => {
    const source = profile('<OnConnectScript>«OnDisconnect_cleanup.sh»</OnConnectScript>');
    assert.equal(assertOneAt(lint(source), 'HS301', source).severity, 'error');
  });

  test('HS302: paths, .. and absolute names are refused', () => {
    for (const bad of ['../evil.sh', '/opt/cisco/secureclient/vpn/script/OnConnect_a.sh', 'sub\\OnConnect_a.vbs', 'C:OnConnect_a.vbs']) {
      const source = profile(`<OnConnectScript>«${bad}»</OnConnectScript>`);
      assertOneAt(lint(source), 'HS302', source);
    }
  });

  test('HS303: the naming convention, with the reason', () => {
    const cases: [string, RegExp][] = [
      ['onconnect_routes.sh', /prefix is written OnConnect/],
      ['OnConnectroutes.sh', /underscore/],
      ['OnConnect_routes', /extension/],
      ['routes.sh', /must start with OnConnect/],
    ];
    for (const [name, why] of cases) assert.match(nameProblem(name, 'OnConnect')?.message ?? '', why, name);
    const source = profile('<OnConnectScript>«OnConnectroutes.sh»</OnConnectScript>');
    assert.equal(assertOneAt(lint(source), 'HS303', source).severity, 'warning');
  });

  test('HS304: a missing script is a warning that lists the folders searched', () => {
    const source = profile('<OnConnectScript>«OnConnect_missing.sh»</OnConnectScript>');
    const f = assertOneAt(lint(source), 'HS304', source);
    assert.match(f.message, /scripts/);
  });

  test('the scriptFolders setting adds folders', () => {
    const source = profile('<OnConnectScript>OnConnect_extra.sh</OnConnectScript>');
    assert.equal(lint(source).filter((f) => f.code === 'HS304').length, 1);
    assert.deepEqual(lint(source, ['elsewhere']), []);
  });

  test('HS305: scripts referenced while EnableScripting is explicitly false', () => {
    const source = profile('<«OnConnectScript»>OnConnect_routes.sh</OnConnectScript>', '<EnableScripting>false</EnableScripting>\n');
    assertOneAt(lint(source), 'HS305', source);
    const on = profile('<OnConnectScript>OnConnect_routes.sh</OnConnectScript>', '<EnableScripting>true</EnableScripting>\n');
    assert.deepEqual(lint(on), []);
  });
});
