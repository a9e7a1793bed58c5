import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SimulationReport } from '../../../server/src/protocol';
import { copyFixture, inPage, open, setSetting, until, within, workspaceFile } from './helpers';

// What VS Code draws, read from the workbench page through the launcher's page probe: the colours
// a theme gives the profile grammar's tokens, and the result view's webview while a run is in
// progress and with a long label. The unit tests check the scopes and the HTML; these check what
// a person sees.

/** The token inspector ("Developer: Inspect Editor Tokens and Scopes") as the page shows it. */
interface Inspected {
  readonly token: string;
  /** The colour the theme resolved for the token. */
  readonly foreground: string;
  /** TextMate scopes, most specific first. */
  readonly scopes: readonly string[];
  /** The theme rule that coloured it. */
  readonly selector: string;
}

const inspectorNow = `(() => {
  const widget = document.querySelector('.token-inspect-widget');
  const heading = widget && widget.querySelector('h2.tiw-token');
  if (!heading) return null;
  const rows = [...widget.querySelectorAll('tr')].map((tr) => [
    tr.querySelector('.tiw-metadata-key')?.textContent,
    tr.querySelector('.tiw-metadata-value')?.textContent ?? '',
  ]);
  const scopeCell = widget.querySelector('.tiw-metadata-scopes');
  return {
    token: heading.firstChild?.textContent ?? '',
    foreground: (rows.find(([key, value]) => key === 'foreground' && value.startsWith('#')) ?? [])[1] ?? '',
    scopes: scopeCell ? [...scopeCell.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent) : [],
    selector: widget.querySelector('code.tiw-theme-selector')?.firstChild?.textContent ?? '',
  };
})()`;

/** The class names of the workbench: the active colour theme's id is among them. */
const workbenchClasses = `document.querySelector('.monaco-workbench')?.className ?? ''`;

/** Puts the cursor on `text` in `line` and reads the token inspector once it describes that token. */
async function inspect(editor: vscode.TextEditor, line: number, text: string): Promise<Inspected> {
  const column = editor.document.lineAt(line).text.indexOf(text);
  assert.ok(column >= 0, `${text} on line ${line}`);
  editor.selection = new vscode.Selection(line, column + 1, line, column + 1);
  const [now] = await inPage<Inspected | null>(inspectorNow);
  if (!now) await vscode.commands.executeCommand('editor.action.inspectTMScopes');
  let last: Inspected | null = null;
  return until(async () => {
    [last] = await inPage<Inspected | null>(inspectorNow);
    return last?.token === text && last.foreground ? last : undefined;
  }, `the token inspector on ${text}`).catch((e: Error) => assert.fail(`${e.message}; it shows ${JSON.stringify(last)}`));
}

suite('What VS Code draws (read from the workbench page)', () => {
  suiteTeardown(async () => {
    await setSetting('workbench', 'colorTheme', undefined);
  });

  // Light 2026 is 1.139's default light theme; it colours `keyword` red (#cf222e), which the
  // script elements' names had as their most specific scope. Light+ and Light Modern are the
  // light themes most users have.
  for (const [theme, themeFile] of [
    ['Light 2026', /2026-light/],
    ['Light Modern', /light_modern/],
    ['Light+', /light_plus/],
  ] as const) {
    test(
      `${theme}: a script element's name is coloured as every tag name, its file name as a string, neither as a ` + `keyword or an error`,
      async () => {
        const uri = workspaceFile('colours', 'colours.xml');
        fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
        fs.writeFileSync(
          uri.fsPath,
          '<?xml version="1.0" encoding="UTF-8"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
            '<ClientInitialization>\n    <OnConnectScript>OnConnect_routes.sh</OnConnectScript>\n    <AutoUpdate ' +
            'UserControllable="false">true</AutoUpdate>\n  </ClientInitialization>\n</AnyConnectProfile>\n',
        );
        const editor = await open(uri);
        assert.equal(editor.document.languageId, 'anyconnect-profile');
        await setSetting('workbench', 'colorTheme', theme);
        await until(
          async () => (themeFile.test((await inPage<string>(workbenchClasses))[0]) ? true : undefined),
          `the workbench in ${theme}`,
        ).catch(async (e: Error) => assert.fail(`${e.message}; its classes: ${(await inPage<string>(workbenchClasses))[0]}`));

        const plainTag = await inspect(editor, 2, 'ClientInitialization');
        const scriptTag = await inspect(editor, 3, 'OnConnectScript');
        const fileName = await inspect(editor, 3, 'OnConnect_routes.sh');
        const seen = JSON.stringify({ plainTag, scriptTag, fileName });

        assert.ok(scriptTag.scopes.includes('entity.name.tag.localname.xml'), seen);
        assert.ok(!scriptTag.scopes.some((s) => /^(keyword|invalid)\b/.test(s)), `no keyword or invalid scope: ${seen}`);
        assert.equal(scriptTag.foreground, plainTag.foreground, `the same colour as <ClientInitialization>: ${seen}`);
        assert.match(scriptTag.selector, /entity\.name\.tag/, seen);
        assert.equal(fileName.scopes[0], 'string.unquoted.script-file.anyconnect-profile', seen);
        assert.match(fileName.selector, /(^|[\s,])string\b/, `coloured by the theme's string rule: ${seen}`);
        assert.notEqual(fileName.foreground, scriptTag.foreground, `the file name stands apart from the tag: ${seen}`);
        if (theme === 'Light 2026') {
          for (const t of [scriptTag, fileName])
            assert.notEqual(t.foreground.toLowerCase(), '#cf222e', `not the theme's keyword red: ${seen}`);
        }
      },
    );
  }
});

suite('The simulation result view, as the webview shows it', () => {
  const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-e2e-view-')), 'marker');
  let folder: vscode.Uri;

  suiteSetup(async () => {
    folder = copyFixture('home-office');
    await setSetting('hooksmith.simulate', 'env', { E2E_MARKER: marker });
    await setSetting('hooksmith.simulate', 'isolation', 'shims');
  });

  suiteTeardown(() => fs.rmSync(path.dirname(marker), { recursive: true, force: true }));

  /** The result view's page: its banner heading, the cards' titles, and each timeline row's label and bar boxes. */
  const viewNow = `(() => ({
    heading: document.querySelector('header.banner h1')?.textContent ?? '',
    cards: [...document.querySelectorAll('article.run h2')].map((h) => h.textContent),
    rows: [...document.querySelectorAll('svg text.label')].map((label, i) => {
      const bar = document.querySelectorAll('svg rect.bar')[i];
      const a = label.getBoundingClientRect();
      const b = bar ? bar.getBoundingClientRect() : null;
      return {
        title: label.querySelector('title')?.textContent ?? '',
        shown: label.lastChild?.textContent ?? '',
        labelLeft: a.left,
        labelRight: a.right,
        barLeft: b ? b.left : null,
        barWidth: b ? b.width : null,
      };
    }),
  }))()`;
  interface ViewNow {
    readonly heading: string;
    readonly cards: readonly string[];
    readonly rows: readonly {
      title: string;
      shown: string;
      labelLeft: number;
      labelRight: number;
      barLeft: number | null;
      barWidth: number | null;
    }[];
  }
  /** Every frame that shows a result view page (its banner). */
  const views = (): Promise<ViewNow[]> => inPage<ViewNow>(viewNow, 'header.banner');

  async function viewShowing(what: string, accept: (v: ViewNow) => boolean): Promise<ViewNow> {
    let seen: ViewNow[] = [];
    return until(async () => {
      seen = await views();
      return seen.find(accept);
    }, `the result view showing ${what}`).catch((e: Error) => assert.fail(`${e.message}; it shows ${JSON.stringify(seen)}`));
  }

  const simulateScript = (script: string): Thenable<SimulationReport | undefined> =>
    vscode.commands.executeCommand<SimulationReport | undefined>('hooksmith.simulate.fromLens', {
      kind: 'anyconnect',
      events: ['connect'],
      script,
    });

  test(
    'while a new run is in progress, the open view says it is' + ' running, not the previous result; the new result replaces it',
    async () => {
      await open(vscode.Uri.joinPath(folder, 'home-office.xml'));
      const first = await within(
        vscode.commands.executeCommand<SimulationReport | undefined>('hooksmith.simulateConnect'),
        'the first simulation',
      );
      assert.equal(first?.ok, true, JSON.stringify(first));
      await viewShowing('the first result', (v) => v.cards.some((c) => c.includes('OnConnect_office.sh')));

      const slow = path.join(folder.fsPath, 'slow', 'OnConnect_wait.sh');
      const report = simulateScript(slow);
      const pid = await until(
        () => (fs.existsSync(`${marker}.pid`) ? Number(fs.readFileSync(`${marker}.pid`, 'utf8')) || undefined : undefined),
        "the slow hook's pid",
      );
      try {
        // The hook sleeps until it is killed below: this is the view while the run is in progress.
        const running = await viewShowing('"Running"', (v) => /^Running: Simulation: /.test(v.heading));
        assert.deepEqual(running.cards, [], 'no run card of the previous result');
        const all = await views();
        assert.ok(
          !all.some((v) => v.cards.some((c) => c.includes('OnConnect_office.sh'))),
          `no frame shows the previous result: ${JSON.stringify(all)}`,
        );
      } finally {
        process.kill(-pid, 'SIGKILL'); // the hook leads its process group
        fs.rmSync(`${marker}.pid`, { force: true });
      }
      const ended = await within(report, "the slow simulation's report");
      assert.deepEqual(
        ended?.runs.map((r) => path.basename(r.script)),
        ['OnConnect_wait.sh'],
      );
      await viewShowing('the new result', (v) => !/^Running/.test(v.heading) && v.cards.some((c) => c.includes('OnConnect_wait.sh')));
    },
  );

  test('a long hook name is cut in the timeline (whole in its tooltip) and its label ends left of its bar', async () => {
    const name = 'OnConnect_site_to_site_backup_route_for_the_regional_office_network.sh';
    const hook = workspaceFile('home-office', 'long', name);
    fs.mkdirSync(path.dirname(hook.fsPath), { recursive: true });
    fs.writeFileSync(hook.fsPath, '#!/bin/sh\nlogger -t vpn "long name"\n', { mode: 0o755 });
    const report = await within(simulateScript(hook.fsPath), 'the simulation');
    assert.equal(report?.ok, true, JSON.stringify(report));
    const view = await viewShowing('the long label', (v) => v.rows.some((r) => r.title === `connect (${name})`));
    const [row] = view.rows;
    assert.equal(view.rows.length, 1, JSON.stringify(view.rows));
    assert.ok(row.shown.includes('…') && row.shown.length < row.title.length, `the label is cut: ${JSON.stringify(row)}`);
    assert.ok(row.barLeft !== null && row.barWidth !== null && row.barWidth > 0, `the row has its bar: ${JSON.stringify(row)}`);
    assert.ok(row.labelRight <= row.barLeft, `the label ends at ${row.labelRight} px, left of its bar at ${row.barLeft} px`);
  });
});
