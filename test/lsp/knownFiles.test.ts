import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe as suite, test } from 'node:test';
import { KnownFiles } from '../../server/src/protocol';
import { LspClient } from '../helpers/lspClient';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-known-'));
const write = (rel: string, text: string): string => {
  const file = path.join(work, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};

suite('the server tells the client which files are profiles and hooks (for menus and commands)', () => {
  let client: LspClient;
  const known: KnownFiles[] = [];
  /** The first notification that `accept` takes; fails after 10 s with what came. */
  const next = (accept: (k: KnownFiles) => boolean): Promise<KnownFiles> =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const hit = known.find(accept);
        if (hit || Date.now() - started > 10_000) clearInterval(poll);
        if (hit) resolve(hit);
        else if (Date.now() - started > 10_000) reject(new Error(`no such notification; got ${JSON.stringify(known)}`));
      }, 20);
    });

  before(async () => {
    write('firewall/shorewall.conf', 'STARTUP_ENABLED=Yes\n');
    write('vpn/OnConnect_routes.sh', '#!/bin/sh\nlogger up\n');
    client = await LspClient.start(work);
    client.settings = { shellcheck: { enable: false }, profile: { files: ['**/vpn/*.prof'] } };
    client.connection.onNotification('hooksmith/knownFiles', (k: KnownFiles) => void known.push(k));
  });
  after(async () => {
    await client.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('a hook the workspace scan found is known before it is opened', async () => {
    const file = path.join(work, 'vpn/OnConnect_routes.sh');
    const k = await next((x) => x.hooks.anyconnect?.includes(file));
    assert.deepEqual(k.hooks.shorewall, []);
  });

  test(
    'a Plain Text file beside shorewall.conf, in a folder named otherwise, is a Shorewall hook once open; a ' +
      'profile.files match is a profile',
    async () => {
      const hook = write('firewall/started', '# started\nlogger up\n');
      await client.open(pathToFileURL(hook).toString(), '# started\nlogger up\n', 1, 'plaintext');
      const profile = write('vpn/office.prof', '<root/>\n');
      await client.open(pathToFileURL(profile).toString(), '<root/>\n', 1, 'plaintext');
      const k = await next((x) => x.hooks.shorewall?.includes(hook) === true && x.profiles.includes(profile));
      assert.ok(k.hooks.anyconnect?.includes(path.join(work, 'vpn/OnConnect_routes.sh')));
      // The client switches it from Plain Text to the shell language (a run-time hook is a function body of sh).
      assert.equal(k.languages[hook], 'shellscript');
      assert.equal(k.languages[profile], undefined, 'a profile is not a hook');
    },
  );

  test('a Shorewall compile-time hook that opened as Plain Text is Perl', async () => {
    const hook = write('firewall/compile', '# compile\n1;\n');
    await client.open(pathToFileURL(hook).toString(), '# compile\n1;\n', 1, 'plaintext');
    const k = await next((x) => x.languages[hook] !== undefined);
    assert.equal(k.languages[hook], 'perl');
  });
});
