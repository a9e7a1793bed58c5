import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe as suite, test } from 'node:test';
import { CodeAction, CodeActionKind, Diagnostic, RenameFile } from 'vscode-languageserver-protocol/node';
import { LspClient } from '../helpers/lspClient';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-fixes-'));
const fileOf = (rel: string): string => path.join(work, rel);
const uriOf = (rel: string): string => pathToFileURL(fileOf(rel)).toString();
const read = (rel: string): string => fs.readFileSync(fileOf(rel), 'utf8');
const modeOf = (rel: string): number => fs.statSync(fileOf(rel)).mode & 0o777;
const write = (rel: string, text: string, mode = 0o755): string => {
  fs.mkdirSync(path.dirname(fileOf(rel)), { recursive: true });
  fs.writeFileSync(fileOf(rel), text);
  fs.chmodSync(fileOf(rel), mode);
  return uriOf(rel);
};

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => String(d.code));
const hasNo = (code: string) => (ds: Diagnostic[]) => !codes(ds).includes(code);

suite('quick fixes over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start(work, undefined, true, { showDocument: true });
    client.settings = { shellcheck: { enable: false } };
  });
  after(async () => {
    assert.equal(await client.stop(), 0, 'the server exits cleanly');
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** Writes and opens a file; returns its URI and its diagnostic with `code`. */
  async function openWith(
    rel: string,
    text: string,
    code: string,
    opts: { mode?: number; languageId?: string } = {},
  ): Promise<{ uri: string; d: Diagnostic }> {
    const uri = write(rel, text, opts.mode);
    await client.open(uri, text, 1, opts.languageId ?? 'shellscript');
    const { diagnostics } = await client.forVersion(uri, 1);
    const d = diagnostics.find((x) => x.code === code);
    assert.ok(d, `${rel} has ${code}; got ${codes(diagnostics).join(', ')}`);
    return { uri, d };
  }

  /** The one quick fix offered for `d`, checked for kind and preference. */
  async function theFix(uri: string, d: Diagnostic, title: RegExp, preferred = true): Promise<CodeAction> {
    const actions = await client.codeActions(uri, [d]);
    assert.equal(actions.length, 1, JSON.stringify(actions));
    const [action] = actions;
    assert.match(action.title, title);
    assert.equal(action.kind, CodeActionKind.QuickFix);
    assert.equal(action.isPreferred, preferred ? true : undefined);
    assert.deepEqual(action.diagnostics, [d]);
    return action;
  }

  test('HS401, HS402, HS420: the hook is renamed to the convention, and the warning goes', async () => {
    const cases = [
      { dir: 'rename-case', from: 'onconnect_up.sh', to: 'OnConnect_up.sh', code: 'HS401', text: '#!/bin/sh\nlogger up\n' },
      { dir: 'rename-miss', from: 'OnConect_up.sh', to: 'OnConnect_up.sh', code: 'HS402', text: '#!/bin/sh\nlogger up\n' },
      { dir: 'rename-shorewall', from: 'Start', to: 'start', code: 'HS420', text: '# start\nlogger up\n' },
    ];
    write('rename-shorewall/shorewall.conf', 'STARTUP_ENABLED=Yes\n', 0o644);
    for (const c of cases) {
      const { uri, d } = await openWith(`${c.dir}/${c.from}`, c.text, c.code, { mode: 0o755 });
      const action = await theFix(uri, d, new RegExp(`^Rename to ${c.to}$`));
      const [op] = action.edit!.documentChanges!;
      assert.ok(RenameFile.is(op));
      assert.deepEqual(op.options, { overwrite: false, ignoreIfExists: true });
      const renamed = uriOf(`${c.dir}/${c.to}`);
      const published = client.forVersion(renamed, 1);
      await client.applyCodeAction(action);
      assert.deepEqual(
        fs.readdirSync(fileOf(c.dir)).filter((n) => n !== 'shorewall.conf'),
        [c.to],
      );
      assert.equal(read(`${c.dir}/${c.to}`), c.text);
      assert.deepEqual((await published).diagnostics, [], `${c.to} is clean`);
    }
  });

  test('the rename never overwrites: no fix when the name is taken, and a skipped rename when it is taken meanwhile', async () => {
    write('taken/OnConnect_up.sh', '#!/bin/sh\nlogger original\n');
    const { uri, d } = await openWith('taken/OnConect_up.sh', '#!/bin/sh\nlogger misspelt\n', 'HS402');
    assert.deepEqual(await client.codeActions(uri, [d]), []);

    const late = await openWith('late/OnConect_up.sh', '#!/bin/sh\nlogger misspelt\n', 'HS402');
    const action = await theFix(late.uri, late.d, /^Rename to OnConnect_up\.sh$/);
    write('late/OnConnect_up.sh', '#!/bin/sh\nlogger original\n');
    await client.applyCodeAction(action);
    assert.equal(read('late/OnConnect_up.sh'), '#!/bin/sh\nlogger original\n');
    assert.equal(read('late/OnConect_up.sh'), '#!/bin/sh\nlogger misspelt\n');
  });

  test('HS405: the command sets the execute bit where read is allowed, and the error goes', async () => {
    const { uri, d } = await openWith('exec/OnConnect_up.sh', '#!/bin/sh\nlogger up\n', 'HS405', { mode: 0o640 });
    const action = await theFix(uri, d, /^Make OnConnect_up\.sh executable/);
    assert.equal(action.edit, undefined);
    assert.deepEqual(action.command?.arguments, [uri]);
    const cleared = client.diagnostics(uri, hasNo('HS405'));
    assert.deepEqual(await client.applyCodeAction(action), { changed: true, mode: '0750' });
    await cleared;
    assert.equal(modeOf('exec/OnConnect_up.sh') & 0o111, 0o110);
  });

  test('HS405: the command neither follows a symbolic link nor creates a file', async () => {
    write('exec-link/target.sh', '#!/bin/sh\n', 0o644);
    fs.symlinkSync(fileOf('exec-link/target.sh'), fileOf('exec-link/OnConnect_link.sh'));
    const refused = (await client.executeCommand('hooksmith.server.makeExecutable', uriOf('exec-link/OnConnect_link.sh'))) as {
      changed: boolean;
      reason: string;
    };
    assert.equal(refused.changed, false);
    assert.match(refused.reason, /symbolic link/);
    assert.equal(modeOf('exec-link/target.sh'), 0o644);
    const missing = (await client.executeCommand('hooksmith.server.makeExecutable', uriOf('exec-link/OnConnect_none.sh'))) as {
      changed: boolean;
    };
    assert.equal(missing.changed, false);
    assert.equal(fs.existsSync(fileOf('exec-link/OnConnect_none.sh')), false);
  });

  test('HS407: the whole document is converted to LF', async () => {
    const { uri, d } = await openWith('crlf/OnConnect_up.sh', '#!/bin/sh\r\nlogger up\r\nlogger done\r\n', 'HS407');
    const action = await theFix(uri, d, /^Convert line ends to LF$/);
    const cleared = client.diagnostics(uri, hasNo('HS407'));
    await client.applyCodeAction(action);
    assert.equal(client.documents.get(uri)!.getText(), '#!/bin/sh\nlogger up\nlogger done\n');
    await cleared;
  });

  test('HS409: a BOM in the text is deleted by an edit, and the error goes', async () => {
    // A client that keeps the BOM in the text (VS Code and Neovim strip it); none on disk yet.
    const uri = write('bom-text/OnConnect_up.sh', '#!/bin/sh\nlogger up\n');
    await client.open(uri, '\uFEFF#!/bin/sh\nlogger up\n', 1, 'shellscript');
    const d = (await client.forVersion(uri, 1)).diagnostics.find((x) => x.code === 'HS409');
    assert.ok(d, 'HS409 from the text');
    const action = await theFix(uri, d, /^Remove the byte-order mark before #!$/);
    const cleared = client.diagnostics(uri, hasNo('HS409'));
    await client.applyCodeAction(action);
    assert.equal(client.documents.get(uri)!.getText(), '#!/bin/sh\nlogger up\n');
    assert.deepEqual(codes((await cleared).diagnostics), []);
  });

  test('HS409: a BOM the editor stripped from the text (as VS Code does) is found on disk, and the command removes it there', async () => {
    const uri = write('bom-disk/OnConnect_up.sh', '\uFEFF#!/bin/sh\nlogger up\n', 0o750);
    await client.open(uri, '#!/bin/sh\nlogger up\n', 1, 'shellscript');
    const d = (await client.forVersion(uri, 1)).diagnostics.find((x) => x.code === 'HS409');
    assert.ok(d, 'HS409 from the bytes on disk');
    const action = await theFix(uri, d, /^Remove the byte-order mark before #!$/);
    assert.equal(action.edit, undefined);
    const cleared = client.diagnostics(uri, hasNo('HS409'));
    assert.deepEqual(await client.applyCodeAction(action), { changed: true });
    assert.equal(read('bom-disk/OnConnect_up.sh'), '#!/bin/sh\nlogger up\n');
    assert.equal(modeOf('bom-disk/OnConnect_up.sh'), 0o750, 'same mode');
    await cleared;
  });

  test('HS440 and HS443: exit becomes return and iptables becomes run_iptables', async () => {
    write('sw-content/shorewall.conf', 'STARTUP_ENABLED=Yes\n', 0o644);
    const text = '# start\nif ! modprobe xt_recent; then\n  exit 1\nfi\niptables -A INPUT -i tun0 -j ACCEPT\n';
    const { uri, d } = await openWith('sw-content/start', text, 'HS440', { mode: 0o644 });
    const exitFix = await theFix(uri, d, /^Replace exit with return$/);
    const next = client.forVersion(uri, 2);
    await client.applyCodeAction(exitFix);
    const hs443 = (await next).diagnostics.find((x) => x.code === 'HS443')!;
    assert.deepEqual(codes((await next).diagnostics), ['HS443']);

    const iptablesFix = await theFix(uri, hs443, /^Replace iptables with run_iptables$/);
    const clean = client.forVersion(uri, 3);
    await client.applyCodeAction(iptablesFix);
    assert.equal(
      client.documents.get(uri)!.getText(),
      '# start\nif ! modprobe xt_recent; then\n  return 1\nfi\nrun_iptables -A INPUT -i tun0 -j ACCEPT\n',
    );
    assert.deepEqual((await clean).diagnostics, []);
  });

  const profile = (scripts: string): string =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ` +
    `<ClientInitialization>${scripts}\n  </ClientInitialization>\n</AnyConnectProfile>\n`;

  test('HS304: the missing shell script is created in script/ from a template, executable, and the warning goes', async () => {
    fs.mkdirSync(fileOf('prof/script'), { recursive: true });
    const text = profile('\n    <OnConnectScript>OnConnect_new.sh</OnConnectScript>');
    const { uri, d } = await openWith('prof/vpn.xml', text, 'HS304', { languageId: 'anyconnect-profile', mode: 0o644 });
    const action = await theFix(uri, d, /^Create script\/OnConnect_new\.sh from a template$/, false);
    const shownBefore = client.shownDocuments.length;
    assert.deepEqual(await client.applyCodeAction(action), { shown: true, mode: { changed: true, mode: '0755' } });
    assert.deepEqual(
      client.shownDocuments.slice(shownBefore),
      [uriOf('prof/script/OnConnect_new.sh')],
      'the server has the client show the file its fix created, and only that one',
    );
    const created = read('prof/script/OnConnect_new.sh');
    assert.match(created, /^#!\/bin\/sh\n/);
    for (const v of ['CISCO_VPN_USERNAME', 'CISCO_VPN_SERVER', 'CISCO_VPN_IP', 'CISCO_VPN_EVENT'])
      assert.match(created, new RegExp(`^# .*${v}`, 'm'));
    assert.match(created, /^logger "VPN: OnConnect_new\.sh/m);
    assert.equal(modeOf('prof/script/OnConnect_new.sh') & 0o111, 0o111);

    const revalidated = client.diagnostics(uri, hasNo('HS304'));
    await client.executeCommand('hooksmith.server.validate', uri);
    await revalidated;
    const scriptUri = uriOf('prof/script/OnConnect_new.sh');
    await client.open(scriptUri, created, 1, 'shellscript');
    assert.deepEqual((await client.forVersion(scriptUri, 1)).diagnostics, [], 'the new script raises nothing');
  });

  test('HS304: a VBScript name gets a Windows template beside the profile, without the execute bit', async () => {
    const text = profile('\n    <OnDisconnectScript>OnDisconnect_script.vbs</OnDisconnectScript>');
    const { uri, d } = await openWith('prof-win/vpn.xml', text, 'HS304', { languageId: 'anyconnect-profile', mode: 0o644 });
    const action = await theFix(uri, d, /^Create OnDisconnect_script\.vbs from a template$/, false);
    assert.deepEqual(await client.applyCodeAction(action), { shown: true }, 'shown, and no chmod');
    assert.equal(client.shownDocuments.at(-1), uriOf('prof-win/OnDisconnect_script.vbs'));
    const created = read('prof-win/OnDisconnect_script.vbs');
    assert.match(created, /^' OnDisconnect_script\.vbs: .*\r\n/);
    assert.match(created, /^Set objShell = CreateObject\("WScript\.Shell"\)\r$/m);
    assert.ok(!/[^\r]\n/.test(created), 'CRLF throughout');
  });

  test('HS452: the undo is added to the first OnDisconnect shell hook, before its exit 0', async () => {
    write('undo/OnDisconnect_a.vbs', "' not a shell hook\r\n");
    write('undo/OnDisconnect_b.sh', '#!/bin/sh\nlogger down\nexit 0\n');
    write('undo/OnDisconnect_c.sh', '#!/bin/sh\nlogger later\n');
    const connect = '#!/bin/sh\nip route add 10.8.0.0/16 via 10.0.0.1 dev tun0\n';
    const { uri, d } = await openWith('undo/OnConnect_routes.sh', connect, 'HS452');
    const action = await theFix(uri, d, /^Add "ip route del 10\.8\.0\.0\/16" to OnDisconnect_b\.sh$/);
    const cleared = client.diagnostics(uri, (ds) => ds.length === 0);
    await client.applyCodeAction(action);
    assert.equal(read('undo/OnDisconnect_b.sh'), '#!/bin/sh\nlogger down\nip route del 10.8.0.0/16\nexit 0\n');
    assert.equal(read('undo/OnDisconnect_c.sh'), '#!/bin/sh\nlogger later\n');
    await cleared;
  });

  test('HS452: an OnDisconnect hook open in the editor gets the line in the editor, not on disk', async () => {
    const disconnect = '#!/bin/sh\nlogger down';
    const disconnectUri = write('undo-open/OnDisconnect_x.sh', disconnect);
    await client.open(disconnectUri, disconnect, 1, 'shellscript');
    const { uri, d } = await openWith('undo-open/OnConnect_x.sh', '#!/bin/sh\nmount -t cifs //fs/share /mnt/share\n', 'HS452');
    const action = await theFix(uri, d, /^Add "umount \/mnt\/share" to OnDisconnect_x\.sh$/);
    const cleared = client.diagnostics(uri, (ds) => ds.length === 0);
    await client.applyCodeAction(action);
    assert.equal(client.documents.get(disconnectUri)!.getText(), '#!/bin/sh\nlogger down\numount /mnt/share\n');
    assert.equal(read('undo-open/OnDisconnect_x.sh'), disconnect);
    await cleared;
  });

  test('HS452: without an OnDisconnect hook, one is created, executable, with the same shell', async () => {
    const connect = '#!/bin/bash\nmount -t cifs //fs/share /mnt/share -o user=jdoe\n';
    const { uri, d } = await openWith('undo-new/OnConnect_share.sh', connect, 'HS452');
    const action = await theFix(uri, d, /^Create OnDisconnect_share\.sh with "umount \/mnt\/share"$/);
    const cleared = client.diagnostics(uri, (ds) => ds.length === 0);
    await client.applyCodeAction(action);
    assert.equal(client.shownDocuments.at(-1), uriOf('undo-new/OnDisconnect_share.sh'), 'the new hook is shown');
    assert.equal(
      read('undo-new/OnDisconnect_share.sh'),
      '#!/bin/bash\n# Undoes what OnConnect_share.sh does on connect.\numount /mnt/share\n',
    );
    assert.equal(modeOf('undo-new/OnDisconnect_share.sh') & 0o111, 0o111);
    await cleared;
  });

  /** Opens `text` as `rel`, applies the one fix for `code`, and returns the document's text after it (and that `code` went). */
  async function fixed(
    rel: string,
    text: string,
    code: string,
    title: RegExp,
    opts: { mode?: number; languageId?: string } = {},
  ): Promise<string> {
    const { uri, d } = await openWith(rel, text, code, opts);
    const action = await theFix(uri, d, title);
    const after = client.forVersion(uri, 2);
    await client.applyCodeAction(action);
    assert.deepEqual(
      codes((await after).diagnostics).filter((c) => c === code),
      [],
      `${code} went`,
    );
    return client.documents.get(uri)!.getText();
  }

  const inClient = (body: string): string => profile(`\n    ${body}`);

  test('HS202 "Did you mean <LocalLanAccess>?": the start and end tags are renamed', async () => {
    const text = inClient('<LocalLanAcess UserControllable="true">true</LocalLanAcess>');
    const after = await fixed('xml-rename/vpn.xml', text, 'HS202', /^Rename <LocalLanAcess> to <LocalLanAccess>$/, {
      languageId: 'anyconnect-profile',
      mode: 0o644,
    });
    assert.equal(after, inClient('<LocalLanAccess UserControllable="true">true</LocalLanAccess>'));
  });

  test('HS206 "True" must be written "true": the value is rewritten', async () => {
    const after = await fixed('xml-case/vpn.xml', inClient('<AutoUpdate>True</AutoUpdate>'), 'HS206', /^Replace True with true$/, {
      languageId: 'anyconnect-profile',
      mode: 0o644,
    });
    assert.equal(after, inClient('<AutoUpdate>true</AutoUpdate>'));
  });

  test('HS201: the wrong namespace is replaced by the profile namespace', async () => {
    const text = profile('').replace('http://schemas.xmlsoap.org/encoding/', 'http://schemas.xmlsoap.org/encoding');
    const after = await fixed(
      'xml-ns/vpn.xml',
      text,
      'HS201',
      /^Replace http:\/\/schemas\.xmlsoap\.org\/encoding with http:\/\/schemas\.xmlsoap\.org\/encoding\/$/,
      { languageId: 'anyconnect-profile', mode: 0o644 },
    );
    assert.equal(after, profile(''));
  });

  test('HS203: an element beside the one it belongs in is moved inside it, on its own line', async () => {
    const text = inClient(
      '<AutoReconnect UserControllable="false">true</AutoReconnect>\n    ' +
        '<AutoReconnectBehavior>ReconnectAfterResume</AutoReconnectBehavior>',
    );
    const after = await fixed('xml-move/vpn.xml', text, 'HS203', /^Move <AutoReconnectBehavior> into <AutoReconnect>$/, {
      languageId: 'anyconnect-profile',
      mode: 0o644,
    });
    assert.equal(
      after,
      inClient(
        '<AutoReconnect UserControllable="false">true\n      ' +
          '<AutoReconnectBehavior>ReconnectAfterResume</AutoReconnectBehavior>\n    </AutoReconnect>',
      ),
    );
  });

  test('HS203: into a parent whose end tag has its own line, the element goes last inside it', async () => {
    const text = inClient(
      '<AutoReconnect>true\n    </AutoReconnect>\n    <AutoReconnectBehavior>DisconnectOnSuspend</AutoReconnectBehavior>',
    );
    const after = await fixed('xml-move2/vpn.xml', text, 'HS203', /^Move <AutoReconnectBehavior> into <AutoReconnect>$/, {
      languageId: 'anyconnect-profile',
      mode: 0o644,
    });
    assert.equal(
      after,
      inClient('<AutoReconnect>true\n      <AutoReconnectBehavior>DisconnectOnSuspend</AutoReconnectBehavior>\n    </AutoReconnect>'),
    );
  });

  test('HS450 "did you mean CISCO_VPN_USERNAME?": the variable is renamed', async () => {
    const after = await fixed(
      'var/OnConnect_log.sh',
      '#!/bin/sh\nlogger "user $CISCO_VPN_USER"\n',
      'HS450',
      /^Replace CISCO_VPN_USER with CISCO_VPN_USERNAME$/,
    );
    assert.equal(after, '#!/bin/sh\nlogger "user $CISCO_VPN_USERNAME"\n');
  });

  test('HS445 "Add *) return 0 ;;": the branch goes before esac, indented like the others', async () => {
    write('sw-usable/shorewall.conf', 'STARTUP_ENABLED=Yes\n', 0o644);
    const text = '# isusable\ncase $1 in\n  eth0)\n    return 0\n    ;;\n  eth1)\n    return 1\n    ;;\nesac\n';
    const after = await fixed('sw-usable/isusable', text, 'HS445', /^Add \*\) return 0 ;; before esac$/, { mode: 0o644 });
    assert.equal(after, '# isusable\ncase $1 in\n  eth0)\n    return 0\n    ;;\n  eth1)\n    return 1\n    ;;\n  *) return 0 ;;\nesac\n');
  });

  test('HS430 "Run chmod go-w": the command removes write access for group and others, and the warning goes', async () => {
    const { uri, d } = await openWith('gow/OnConnect_up.sh', '#!/bin/sh\nlogger up\n', 'HS430', { mode: 0o777 });
    const action = await theFix(uri, d, /^Remove write access for group and others \(chmod go-w\)$/);
    assert.deepEqual(action.command?.arguments, [uri]);
    const cleared = client.diagnostics(uri, hasNo('HS430'));
    assert.deepEqual(await client.applyCodeAction(action), { changed: true, mode: '0755' });
    assert.equal(modeOf('gow/OnConnect_up.sh'), 0o755);
    await cleared;
  });

  test('no action for a diagnostic without fix data, from another source, or with data that is not a plain name', async () => {
    const { uri, d } = await openWith('nofix/OnConnect_up.sh', 'logger up\n', 'HS406');
    assert.deepEqual(await client.codeActions(uri, [d]), []);
    const rename = { ...d, code: 'HS401', data: { kind: 'rename', to: 'OnConnect_up2.sh' } };
    assert.equal((await client.codeActions(uri, [rename])).length, 1, 'the control case is fixed');
    assert.deepEqual(await client.codeActions(uri, [{ ...rename, source: 'shellcheck' }]), []);
    assert.deepEqual(await client.codeActions(uri, [{ ...rename, data: { kind: 'rename', to: '../OnConnect_up.sh' } }]), []);
    assert.deepEqual(await client.codeActions(uri, [{ ...rename, data: undefined }]), []);
  });

  test(
    'a client without resource operations in WorkspaceEdits (Neovim 0.7) gets the rename, create-script and ' +
      'create-OnDisconnect fixes as commands the server carries out',
    async () => {
      // Its own workspace folder: the server's scan of the whole test folder is not this test's subject.
      fs.mkdirSync(fileOf('plain'), { recursive: true });
      const plain = await LspClient.start(fileOf('plain'), { documentChanges: false });
      try {
        plain.settings = { shellcheck: { enable: false } };
        const text = '#!/bin/sh\nlogger up\n';
        const uri = write('plain/onconnect_up.sh', text);
        await plain.open(uri, text, 1, 'shellscript');
        const d = (await plain.forVersion(uri, 1)).diagnostics.find((x) => x.code === 'HS401')!;
        const [rename, ...others] = await plain.codeActions(uri, [d]);
        assert.deepEqual(others, []);
        assert.equal(rename.title, 'Rename to OnConnect_up.sh');
        assert.equal(rename.edit, undefined);
        assert.deepEqual(rename.command?.arguments, [uri, 'OnConnect_up.sh']);
        assert.deepEqual(await plain.applyCodeAction(rename), {
          changed: true,
          uri: uriOf('plain/OnConnect_up.sh'),
          message: 'Renamed onconnect_up.sh to OnConnect_up.sh.',
        });
        assert.deepEqual(fs.readdirSync(fileOf('plain')), ['OnConnect_up.sh']);
        assert.equal(read('plain/OnConnect_up.sh'), text);

        const profileText = profile('\n    <OnConnectScript>OnConnect_new.sh</OnConnectScript>');
        const profileUri = write('plain/vpn.xml', profileText, 0o644);
        await plain.open(profileUri, profileText);
        const missing = (await plain.forVersion(profileUri, 1)).diagnostics.find((x) => x.code === 'HS304')!;
        const [create] = await plain.codeActions(profileUri, [missing]);
        assert.equal(create.title, 'Create OnConnect_new.sh from a template');
        assert.equal(create.edit, undefined);
        const cleared = plain.diagnostics(profileUri, hasNo('HS304'));
        assert.equal(((await plain.applyCodeAction(create)) as { changed: boolean }).changed, true);
        assert.match(read('plain/OnConnect_new.sh'), /^#!\/bin\/sh\n/);
        assert.equal(modeOf('plain/OnConnect_new.sh') & 0o111, 0o111);
        await cleared;
        const again = (await plain.executeCommand('hooksmith.server.createScript', profileUri, 'OnConnect_new.sh', 'OnConnect')) as {
          changed: boolean;
          reason: string;
        };
        assert.deepEqual(again, { changed: false, reason: 'OnConnect_new.sh exists already; it was left alone.' });
        const refused = (await plain.executeCommand('hooksmith.server.renameFile', uriOf('plain/OnConnect_up.sh'), '../escape.sh')) as {
          changed: boolean;
        };
        assert.equal(refused.changed, false);
        assert.ok(fs.existsSync(fileOf('plain/OnConnect_up.sh')));

        // HS452's new OnDisconnect counterpart, which a WorkspaceEdit would create, is created by the server too.
        const connect = '#!/bin/bash\nmount -t cifs //fs/share /mnt/share -o user=jdoe\n';
        const connectUri = write('plain/OnConnect_share.sh', connect);
        await plain.open(connectUri, connect, 1, 'shellscript');
        const unfinished = (await plain.forVersion(connectUri, 1)).diagnostics.find((x) => x.code === 'HS452');
        assert.ok(unfinished, 'HS452 on the mount');
        const [undo, ...more] = await plain.codeActions(connectUri, [unfinished]);
        assert.deepEqual(more, []);
        assert.equal(undo.title, 'Create OnDisconnect_share.sh with "umount /mnt/share"');
        assert.equal(undo.edit, undefined);
        const undone = plain.diagnostics(connectUri, hasNo('HS452'));
        assert.deepEqual(await plain.applyCodeAction(undo), {
          changed: true,
          uri: uriOf('plain/OnDisconnect_share.sh'),
          message: 'Created OnDisconnect_share.sh with "umount /mnt/share".',
        });
        assert.equal(
          read('plain/OnDisconnect_share.sh'),
          '#!/bin/bash\n# Undoes what OnConnect_share.sh does on connect.\numount /mnt/share\n',
        );
        assert.equal(modeOf('plain/OnDisconnect_share.sh') & 0o111, 0o111, 'executable');
        await undone;
        // Arguments come back from the client: a second run, another name, or a multi-line command change nothing.
        const createAgain = (...args: unknown[]) =>
          plain.executeCommand('hooksmith.server.createScript', connectUri, ...args) as Promise<{ changed: boolean; reason?: string }>;
        assert.deepEqual(await createAgain('OnDisconnect_share.sh', 'undo', 'umount /mnt/share'), {
          changed: false,
          reason: 'OnDisconnect_share.sh exists already; it was left alone.',
        });
        assert.deepEqual(await createAgain('OnDisconnect_other.sh', 'undo', 'umount /mnt/share'), {
          changed: false,
          reason: 'OnDisconnect_other.sh is not the OnDisconnect counterpart of OnConnect_share.sh.',
        });
        assert.equal((await createAgain('OnDisconnect_x.sh', 'undo', 'umount /mnt\nrm -rf /')).changed, false);
        assert.deepEqual(
          fs.readdirSync(fileOf('plain')).filter((n) => n.startsWith('OnDisconnect')),
          ['OnDisconnect_share.sh'],
        );
      } finally {
        assert.equal(await plain.stop(), 0);
      }
    },
  );
});
