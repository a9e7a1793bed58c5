// Drives the VS Code workbench in headless Chromium (playwright-core) the way a person does:
// Quick Open, Go to Line, the command palette, the keyboard. Every wait has a deadline.
import { chromium as playwright } from 'playwright-core';
import { chromiumArgs } from '../setup-vscode-test.mjs';

export const selectors = {
  squiggle: '.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info',
  problemRow: '.markers-panel .monaco-list-row',
  suggestRow: '.editor-widget.suggest-widget.visible .monaco-list-row',
  quickInput: '.quick-input-widget input',
};

/** Headless Chromium with a fresh profile; a 1200x760 viewport keeps the pictures small (about 200 KB) and legible. */
export async function openBrowser(tools, profileDir) {
  return playwright.launchPersistentContext(profileDir, {
    executablePath: tools.chromium,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1200, height: 760 },
    env: tools.env,
  });
}

/** Polls `fn` until it returns something truthy; throws `what` after the deadline. */
export async function until(page, what, fn, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await page.waitForTimeout(100);
  }
}

export async function openWorkbench(page, url, expectInExplorer) {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: expectInExplorer }).first().waitFor({ timeout: 60_000 });
}

/** Ctrl+P, the file's path, Enter; resolves when its tab is active. */
export async function quickOpen(page, relPath) {
  const name = relPath.split('/').pop();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = page.locator(selectors.quickInput);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(relPath);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
}

/** F1, the command's label, Enter. */
export async function runCommand(page, label) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator(selectors.quickInput);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill('>' + label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Ctrl+G to `line` (1-based); the cursor lands at its start and the line is revealed. */
export async function goToLine(page, line) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+G');
  const input = page.locator(selectors.quickInput);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
  await until(page, `the cursor on line ${line}`, async () =>
    new RegExp(`Ln ${line},`).test(await page.locator('[id="status.editor.selection"]').innerText()),
  );
}

/** The visible rows of a list, whitespace collapsed. */
export async function rowTexts(page, selector) {
  return (await page.locator(selector).allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
}
