// vpnc-script over stdio: scripts named by a launcher (a systemd unit, an openconnect or .sh wrapper) in
// another folder of the workspace are recognised, and so are those a launcher names once edited.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe as suite, test } from 'node:test';
import { LspClient } from '../helpers/lspClient';
import { fileWriter } from '../helpers/workspaceFiles';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-vpnc-'));
const write = fileWriter(work);

// Dispatch that forgets reconnect and attempt-reconnect: HS550 shows the file was taken for a vpnc-script.
const script = '#!/bin/sh\ncase "$reason" in\n  pre-init|connect|disconnect) ;;\n  *) exit 1 ;;\nesac\n';
const unit = '[Service]\nExecStart=/usr/sbin/openconnect --script /etc/openconnect/office-routes vpn.example.com\n';
const wrapper = '#!/bin/sh\nexec openconnect -s ../scripts/lab-routes "$@"\n';
const corpWrapper = '#!/bin/bash\nsudo openconnect --script ./corp-routes vpn.example.com\n';
const upWrapper = 'exec openconnect -s ../../scripts/up-routes vpn.example.com\n';

suite('vpnc-script launchers in another folder, over stdio', () => {
  let client: LspClient;
  before(async () => {
    write('deploy/systemd/office-vpn.service', unit, 0o644);
    write('bin/start-openconnect', wrapper);
    write('scripts/office-routes', script);
    write('scripts/lab-routes', script);
    write('scripts/later-routes', script);
    write('vpn/corp-vpn', corpWrapper);
    write('vpn/corp-routes', script);
    write('tools/bin/vpn-up.sh', upWrapper);
    write('scripts/up-routes', script);
    client = await LspClient.start(work, undefined, true, {
      initializationOptions: { workspaceTrusted: true },
      settings: { shellcheck: { enable: false }, hooks: { serverPaths: { '/etc/openconnect': 'scripts' } } },
    });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  // The scan may wire the script after it is opened: the server then validates it again, so wait for findings, not for the first publish.
  const hs550 = async (rel: string) => {
    const uri = pathToFileURL(path.join(work, rel)).toString();
    const from = client.published.length;
    await client.open(uri, script, 1, 'shellscript');
    const some = (p: { uri: string; diagnostics: unknown[] }) => p.uri === uri && p.diagnostics.length > 0;
    const { diagnostics } = client.published.slice(from).find(some) ?? (await client.diagnostics(uri, (d) => d.length > 0));
    return diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]);
  };

  test('an absolute --script in a unit, found through hooksmith.hooks.serverPaths, is a vpnc-script', async () => {
    assert.deepEqual(await hs550('scripts/office-routes'), [['HS550', 1, 0]]);
  });

  test("a relative -s in a wrapper is the wrapper's folder's: ../scripts/lab-routes", async () => {
    assert.deepEqual(await hs550('scripts/lab-routes'), [['HS550', 1, 0]]);
  });

  test('a #!/bin/bash wrapper of any name makes the script beside it that it names a vpnc-script', async () => {
    assert.deepEqual(await hs550('vpn/corp-routes'), [['HS550', 1, 0]]);
  });

  test('a wrapper named *.sh in another folder makes its --script target a vpnc-script', async () => {
    assert.deepEqual(await hs550('scripts/up-routes'), [['HS550', 1, 0]]);
  });

  test('a launcher edited to name another script makes that one a vpnc-script', async () => {
    const launcher = pathToFileURL(path.join(work, 'bin/start-openconnect')).toString();
    await client.open(launcher, wrapper, 1, 'shellscript');
    await client.forVersion(launcher, 1);
    await client.change(launcher, 2, [{ text: wrapper.replace('lab-routes', 'later-routes') }]);
    await client.forVersion(launcher, 2);
    assert.deepEqual(await hs550('scripts/later-routes'), [['HS550', 1, 0]]);
  });
});
