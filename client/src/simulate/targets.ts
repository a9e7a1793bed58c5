/**
 * What a command simulates: the profile or script folder for AnyConnect, the folder and command for
 * Shorewall. Taken from the command's argument (a menu's resource, a keybinding's args), else the
 * active editor, else asked for.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { looksLikeProfile } from '../../../server/src/profile/recognize';
import { shorewallCommands } from '../../../server/src/families/shorewall/request';
import type { ShorewallCommand } from '../../../server/src/families/shorewall/request';
import { profileLanguage } from '../languageClient';

export interface AnyConnectTarget {
  readonly profile?: string;
  readonly scripts?: string;
  readonly script?: string;
}

export interface ShorewallTarget {
  readonly command: ShorewallCommand;
  readonly confdir: string;
}

const hookName = /^On(Connect|Disconnect)/i;
const maxProfiles = 200;

export function relative(file: string): string {
  return vscode.workspace.asRelativePath(file, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1);
}

/** A keybinding's or test's args: `{ "profile": "vpn/corporate.xml" }`, relative to the first workspace folder. */
function fromArgs(arg: unknown, keys: readonly string[]): Record<string, string> | undefined {
  if (typeof arg !== 'object' || arg === null || arg instanceof vscode.Uri) return undefined;
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  const picked = Object.entries(arg).filter(([k, v]) => keys.includes(k) && typeof v === 'string' && v);
  if (!picked.length) return undefined;
  return Object.fromEntries(picked.map(([k, v]) => [k, k === 'command' ? v : path.resolve(base, v as string)]));
}

export async function anyConnectTarget(arg: unknown): Promise<AnyConnectTarget | undefined> {
  const given = fromArgs(arg, ['profile', 'scripts', 'script']);
  if (given) return given;
  if (arg instanceof vscode.Uri && arg.scheme === 'file') return targetOfFile(arg.fsPath);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.uri.scheme === 'file' && doc.languageId === profileLanguage) return { profile: doc.uri.fsPath };
  const hook = doc?.uri.scheme === 'file' && hookName.test(path.basename(doc.uri.fsPath)) ? path.dirname(doc.uri.fsPath) : undefined;
  const profiles = await workspaceProfiles();
  const choices: (vscode.QuickPickItem & { target: AnyConnectTarget })[] = [
    ...(hook ? [{ label: `$(folder) ${relative(hook)}`, description: 'the script folder of the open hook (Cisco\'s prefix rule picks the script)', target: { scripts: hook } }] : []),
    ...profiles.map((p) => ({ label: `$(file-code) ${relative(p)}`, description: 'profile', target: { profile: p } })),
  ];
  if (choices.length === 0) {
    void vscode.window.showInformationMessage('Hooksmith: open an AnyConnect profile or an OnConnect / OnDisconnect hook to simulate it.');
    return undefined;
  }
  if (choices.length === 1) return choices[0].target;
  return (await vscode.window.showQuickPick(choices, { title: 'Hooksmith: simulate which profile or script folder?', matchOnDescription: true }))?.target;
}

/** A resource from a menu: a profile, a hook (its folder: the prefix rule chooses), or a folder. */
async function targetOfFile(file: string): Promise<AnyConnectTarget | undefined> {
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (stat?.isDirectory()) return { scripts: file };
  if (hookName.test(path.basename(file))) return { scripts: path.dirname(file) };
  if (await isProfileFile(file)) return { profile: file };
  void vscode.window.showInformationMessage(`Hooksmith: ${path.basename(file)} is neither an AnyConnect profile nor an OnConnect / OnDisconnect hook.`);
  return undefined;
}

async function isProfileFile(file: string): Promise<boolean> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (open) return open.languageId === profileLanguage || looksLikeProfile(open.getText());
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, 'r');
    const head = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return looksLikeProfile(head.subarray(0, bytesRead).toString('utf8'));
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/** XML files of the workspace whose root is AnyConnectProfile (read by their first 8 KB only). */
export async function workspaceProfiles(): Promise<string[]> {
  const found = await vscode.workspace.findFiles('**/*.xml', '**/node_modules/**', maxProfiles);
  const files = found.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
  const checked = await Promise.all(files.map(async (f) => ((await isProfileFile(f)) ? f : undefined)));
  return checked.filter((f): f is string => f !== undefined).sort();
}

/** Folders holding shorewall.conf: the ready-made places to simulate Shorewall in. */
export async function shorewallFolders(): Promise<string[]> {
  const found = await vscode.workspace.findFiles('**/shorewall.conf', '**/node_modules/**', 50);
  return found.filter((u) => u.scheme === 'file').map((u) => path.dirname(u.fsPath)).sort();
}

function isShorewallFolder(folder: string): boolean {
  return /^shorewall/i.test(path.basename(folder)) || fs.existsSync(path.join(folder, 'shorewall.conf'));
}

export async function shorewallTarget(arg: unknown): Promise<ShorewallTarget | undefined> {
  const given = fromArgs(arg, ['command', 'confdir']);
  const confdir = given?.confdir ?? (await confdirOf(arg));
  if (!confdir) return undefined;
  const command = given?.command && (shorewallCommands as readonly string[]).includes(given.command)
    ? (given.command as ShorewallCommand)
    : await pickShorewallCommand(confdir);
  return command ? { command, confdir } : undefined;
}

async function confdirOf(arg: unknown): Promise<string | undefined> {
  if (arg instanceof vscode.Uri && arg.scheme === 'file') {
    const stat = await fs.promises.stat(arg.fsPath).catch(() => undefined);
    return stat?.isDirectory() ? arg.fsPath : path.dirname(arg.fsPath);
  }
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.uri.scheme === 'file' && isShorewallFolder(path.dirname(doc.uri.fsPath))) return path.dirname(doc.uri.fsPath);
  const folders = await shorewallFolders();
  const browse = { label: '$(folder-opened) Choose a folder…', description: 'the folder holding the hooks (CONFDIR)', folder: undefined as string | undefined };
  const choices = [...folders.map((f) => ({ label: `$(folder) ${relative(f)}`, description: 'holds shorewall.conf', folder: f as string | undefined })), browse];
  const picked = folders.length === 0 ? browse : await vscode.window.showQuickPick(choices, { title: 'Hooksmith: simulate the Shorewall hooks of which folder?' });
  if (!picked) return undefined;
  if (picked.folder) return picked.folder;
  const chosen = await vscode.window.showOpenDialog({
    canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Simulate This Folder',
    title: 'The folder holding the Shorewall hooks (CONFDIR)', defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return chosen?.[0]?.fsPath;
}

async function pickShorewallCommand(confdir: string): Promise<ShorewallCommand | undefined> {
  const items = shorewallCommands.map((command) => ({ label: command, description: `shorewall ${command}` }));
  const picked = await vscode.window.showQuickPick(items, { title: `Hooksmith: which Shorewall command, with the hooks of ${relative(confdir)}?` });
  return picked?.label;
}
