// `npm run screenshots`: the README's pictures, taken in a real VS Code (code-server in headless
// Chromium) with the packaged extension, on the examples/ workspace. Writes docs/images/*.png.
// Nothing is saved in the workspace: an edit made for a picture is reverted, and the script checks
// that every file under examples/ is unchanged. code-server runs in its own process group, stopped as one.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startCodeServer } from './ui/codeServer.mjs';
import { ensureUiTools, repoRoot } from './ui/setup.mjs';
import { goToLine, openBrowser, openWorkbench, quickOpen, rowTexts, runCommand, selectors, until } from './ui/workbench.mjs';

const examples = join(repoRoot, 'examples');
const outDir = join(repoRoot, 'docs', 'images');
const runDir = join(repoRoot, '.vscode-test', 'runs', 'screenshots');
const subjects = JSON.parse(readFileSync(join(repoRoot, 'scripts', 'ui', 'subjects.json'), 'utf8'));

/** a: a profile with its problems underlined and the Problems panel open. */
async function profileProblems(page) {
  await quickOpen(page, 'mistakes/copied-from-the-web.xml');
  await until(page, 'squiggles in copied-from-the-web.xml', async () => (await page.locator(selectors.squiggle).count()) > 0, 90_000);
  await page.keyboard.press('Control+Shift+M');
  const rows = await until(page, 'Hooksmith rows in the Problems panel', async () => {
    const texts = await rowTexts(page, selectors.problemRow);
    return texts.some((t) => /HS206/.test(t)) && texts.some((t) => /HS204/.test(t)) ? texts : undefined;
  });
  // The mistakes start at line 8: scroll the comment header out of view (Ctrl+Down scrolls one line).
  await page
    .locator('.monaco-editor .view-lines')
    .first()
    .click({ position: { x: 5, y: 5 } });
  for (let i = 0; i < 7; i++) await page.keyboard.press('Control+ArrowDown');
  await until(page, 'line 8 at the top', async () =>
    /<AnyConnectProfile/.test(await page.locator('.monaco-editor .view-line').first().innerText()),
  );
  const clip = await union(page, ['.part.editor', '.part.panel']);
  return save(
    page,
    'profile-problems.png',
    `copied-from-the-web.xml, squiggles and the Problems panel (${rows.length} rows visible)`,
    clip,
  );
}

/** b: completion inside ClientInitialization, if the server offers it; null when no Hooksmith item appears. */
async function completion(page) {
  await runCommand(page, 'View: Close All Editors');
  await page.keyboard.press('Control+J'); // hide the panel: the completion list needs the room
  await quickOpen(page, subjects.completionProfile);
  await until(page, 'the AnyConnect Profile language', async () =>
    /AnyConnect Profile/.test(await page.locator('[id="status.editor.mode"]').innerText()),
  );
  await goToLine(page, 3); // <ClientInitialization>
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('<');
  const items = await until(
    page,
    'the completion list',
    async () => {
      const n = await page.locator(`${selectors.suggestRow} .codicon-symbol-property`).count();
      return n >= 3 ? rowTexts(page, selectors.suggestRow) : undefined;
    },
    15_000,
  ).catch(() => undefined);
  let file = null;
  if (items) {
    // Ctrl+Space on an open list shows the focused item's documentation beside it.
    await page.keyboard.press('Control+Space');
    await page
      .locator('.suggest-details-container .suggest-details')
      .waitFor({ state: 'visible', timeout: 5_000 })
      .catch(() => {});
    const editor = await union(page, ['.part.editor']);
    const list = await union(page, ['.editor-widget.suggest-widget.visible', '.suggest-details-container']);
    const clip = { ...editor, height: Math.min(editor.height, list.y + list.height + 40 - editor.y) };
    file = await save(
      page,
      'completion.png',
      `completion after "<" in ClientInitialization of corporate.xml: ${items.slice(0, 4).join(' | ')} ...`,
      clip,
    );
  }
  await page.keyboard.press('Escape');
  await runCommand(page, 'File: Revert File');
  await until(page, 'corporate.xml reverted', async () => (await page.locator('.tab.active.dirty').count()) === 0, 10_000);
  return file;
}

/** b, fallback: a Shorewall hook with its diagnostics. */
async function hookDiagnostics(page) {
  await quickOpen(page, subjects.hookWithMistakes);
  await until(page, `squiggles in ${subjects.hookWithMistakes}`, async () => (await page.locator(selectors.squiggle).count()) > 0, 30_000);
  await page.keyboard.press('Control+Shift+M');
  await until(page, 'HS440 in the Problems panel', async () => (await rowTexts(page, selectors.problemRow)).some((t) => /HS440/.test(t)));
  return save(page, 'hook-diagnostics.png', `${subjects.hookWithMistakes} with HS440 (exit) and HS443 (iptables)`);
}

/**
 * c: a simulation result. A click on the profile's "Simulate connect then disconnect" CodeLens runs
 * the seed example's hooks (a dry run: ip and logger are recorded by shims); the result view opens
 * beside the profile (the transcript in the Hooksmith Simulation output is hidden for the picture).
 */
async function simulationResult(page) {
  await runCommand(page, 'View: Close All Editors');
  await quickOpen(page, 'seed/seed-profile.xml');
  const lens = page.locator('.codelens-decoration a', { hasText: 'Simulate connect then disconnect' });
  await lens.first().waitFor({ timeout: 60_000 });
  await lens.first().click();
  const result = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await result.locator('.run.ok').nth(1).waitFor({ timeout: 60_000 }); // both hooks reported
  await page.locator('.part.panel .monaco-editor', { hasText: 'Dry run ok' }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Control+J'); // hide the transcript's panel: the result view gets the height
  await until(page, 'the panel hidden', async () => !(await page.locator('.part.panel').isVisible()));
  // The progress notification fades out once the report is in.
  await until(page, 'no notification toast', async () => (await page.locator('.notification-toast').count()) === 0, 15_000).catch(() => {});
  const clip = await union(page, ['.part.editor']);
  return save(
    page,
    'simulation-result.png',
    'seed-profile.xml: Simulate connect then disconnect from its CodeLens, and the result view',
    clip,
  );
}

/** The rectangle around the visible elements matching `parts`. */
async function union(page, parts) {
  const boxes = [];
  for (const selector of parts) {
    for (const el of await page.locator(selector).all()) {
      const box = (await el.isVisible()) ? await el.boundingBox() : null;
      if (box) boxes.push(box);
    }
  }
  if (boxes.length === 0) throw new Error(`none of ${parts.join(', ')} is visible`);
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x, y, width: right - x, height: bottom - y };
}

async function save(page, name, what, clip) {
  const file = join(outDir, name);
  await page.screenshot({ path: file, clip });
  console.log(`[screenshots] ${relative(repoRoot, file)} (${Math.round(statSync(file).size / 1024)} KB): ${what}`);
  return file;
}

function fingerprint(dir) {
  const hash = createHash('sha1');
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else hash.update(`${relative(dir, full)} ${st.mode} `).update(readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

async function main() {
  const pkg = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, stdio: 'inherit' });
  if (pkg.status !== 0) throw new Error('npm run package failed');
  const tools = ensureUiTools();
  mkdirSync(outDir, { recursive: true });
  const before = fingerprint(examples);
  const codeServer = await startCodeServer({ tools, vsix: join(repoRoot, 'hooksmith.vsix'), runDir });
  const stop = () => void codeServer.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let browser;
  try {
    browser = await openBrowser(tools, join(runDir, 'chromium'));
    const page = browser.pages()[0] ?? (await browser.newPage());
    await openWorkbench(page, codeServer.url(examples), 'mistakes');
    await page.keyboard.press('Control+B'); // hide the side bar: messages and the completion list get the width
    await until(page, 'the side bar hidden', async () => !(await page.locator('.part.sidebar').isVisible()));
    await profileProblems(page);
    if (!(await completion(page))) {
      console.log('[screenshots] no Hooksmith completion appeared: a Shorewall hook with its diagnostics instead');
      await hookDiagnostics(page);
    }
    await simulationResult(page);
  } finally {
    await browser?.close().catch(() => {});
    await codeServer.stop();
  }
  if (fingerprint(examples) !== before) throw new Error('a file under examples/ changed while taking the screenshots');
}

main().catch((e) => {
  console.error(`[screenshots] ${e.stack ?? e}`);
  process.exit(1);
});
