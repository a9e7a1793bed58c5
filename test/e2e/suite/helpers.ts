import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const extensionId = 'hooksmith.hooksmith';

/** A line for the run's output: the console, and the launcher's report file when there is one. */
export function note(line: string): void {
  console.log(`    ${line}`);
  const report = process.env.HOOKSMITH_E2E_REPORT;
  if (report) fs.appendFileSync(report, `    ${line}\n`);
}

/** The workspace folder the launcher opened: a fresh copy of test/e2e/workspace. */
export function workspaceFile(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the launcher must open the fixture workspace');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

export function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

/** Hooksmith's own diagnostics (ShellCheck's, when it is installed, sit beside them). */
export function hooksmithDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'hooksmith');
}

/** [code, startLine, startCharacter, endLine, endCharacter], 0-based as VS Code counts. */
export type Placed = [string | number | undefined, number, number, number, number];
export const placed = (diagnostics: readonly vscode.Diagnostic[]): Placed[] =>
  diagnostics
    .map((d): Placed => [codeOf(d), d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character])
    .sort((a, b) => a[1] - b[1] || a[2] - b[2]);

/**
 * Resolves with the document's Hooksmith diagnostics once `accept` holds for them, checking now and
 * on every onDidChangeDiagnostics for the URI; rejects at the deadline with what was there.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const now = hooksmithDiagnostics(uri);
      if (!accept(now)) return false;
      finish();
      resolve(now);
      return true;
    };
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      finish();
      reject(
        new Error(
          `${what}: not seen within ${timeoutMs} ms for ${path.basename(uri.fsPath)}; diagnostics now: ` +
            `${JSON.stringify(placed(hooksmithDiagnostics(uri)))}`,
        ),
      );
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      listener.dispose();
    };
    check();
  });
}

/** Resolves when the condition holds (a value, or a promise of one), re-checking every few ms; rejects at the deadline. */
export async function until<T>(probe: () => T | undefined | Thenable<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves with the next configuration change that affects `section`; rejects at the deadline. */
export function configurationChanged(section: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(section)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve();
    });
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`no configuration change of ${section} within ${timeoutMs} ms`));
    }, timeoutMs);
  });
}

export async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

export async function replace(uri: vscode.Uri, range: vscode.Range, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, range, text);
  assert.equal(await vscode.workspace.applyEdit(edit), true, 'VS Code refused the edit');
}

/**
 * The capabilities the bundled server announces, asked the way any LSP client asks: it starts
 * dist/server.js over stdio with the extension host's own Node, sends initialize, and stops it.
 */
export async function serverCapabilities(extensionPath: string): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [path.join(extensionPath, 'dist', 'server.js'), '--stdio'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  try {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null },
    });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const result = await new Promise<{ capabilities: Record<string, unknown> }>((resolve, reject) => {
      let buffer = Buffer.alloc(0);
      const timer = setTimeout(() => reject(new Error('the server did not answer initialize within 10 s')), 10_000);
      child.once('exit', (code) => reject(new Error(`the server exited (${code}) before answering initialize`)));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const headerEnd = buffer.indexOf('\r\n\r\n');
          if (headerEnd < 0) return;
          const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1]);
          if (buffer.length < headerEnd + 4 + length) return;
          const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString());
          buffer = buffer.subarray(headerEnd + 4 + length);
          if (message.id === 1) {
            clearTimeout(timer);
            resolve(message.result);
            return;
          }
        }
      });
    });
    return result.capabilities;
  } finally {
    child.kill();
  }
}

/**
 * Copies test/e2e/fixtures/<name> into the workspace (modes kept: hooks stay executable). Fixtures
 * with OnConnect* files live outside the workspace fixture: there they would activate the extension
 * at startup (workspaceContains), before the first test can see it inactive.
 */
export function copyFixture(name: string): vscode.Uri {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `${extensionId} is not loaded`);
  const target = workspaceFile(name);
  fs.cpSync(path.join(extension.extensionPath, 'test', 'e2e', 'fixtures', name), target.fsPath, { recursive: true });
  return target;
}

/** The promise's value, or a rejection naming `what` at the deadline. */
export function within<T>(promise: Thenable<T>, what: string, timeoutMs = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([Promise.resolve(promise), deadline]).finally(() => clearTimeout(timer));
}

/** Sets a workspace setting and resolves once VS Code has applied it (undefined removes it). */
export async function setSetting(section: string, key: string, value: unknown): Promise<void> {
  // VS Code reports no change when the value is already there.
  if (JSON.stringify(vscode.workspace.getConfiguration(section).inspect(key)?.workspaceValue) === JSON.stringify(value)) return;
  const changed = configurationChanged(`${section}.${key}`);
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Workspace);
  await changed;
}

/**
 * What the workbench shows, as VS Code rendered it: `expression` (JavaScript, its value must be
 * JSON) evaluated in the workbench page, or in every frame holding the CSS selector `frame` (a
 * webview's content is such a frame). One value per frame.
 */
export async function inPage<T>(expression: string, frame?: string): Promise<T[]> {
  const url = process.env.HOOKSMITH_E2E_PAGE;
  assert.ok(url, 'the launcher must offer the page probe (HOOKSMITH_E2E_PAGE)');
  const res = await fetch(url, { method: 'POST', body: JSON.stringify({ expression, frame }) });
  const body = (await res.json()) as { values?: T[]; error?: string };
  if (!res.ok || !body.values) throw new Error(`the page probe failed: ${body.error ?? res.status}`);
  return body.values;
}
