/**
 * What a simulate command runs: the server decides, family by family, from the command's argument
 * (a menu's resource, a keybinding's args), the active editor and the workspace; when it needs the
 * user's word it answers with choices, shown here as a quick pick (or a folder dialog).
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { serverCommands } from '../../../server/src/protocol';
import type { SimulationRequest, TargetAnswer, TargetParams } from '../../../server/src/protocol';
import type { SimulationRunner } from './runner';

/** At most this many rounds of questions: a server that keeps asking is a bug, not a reason to hang. */
const maxQuestions = 8;

export function relative(file: string): string {
  return vscode.workspace.asRelativePath(
    file,
    vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1,
  );
}

/** The request a command runs, asking the user what the server asks; undefined when refused or dismissed. */
export async function targetOf(
  runner: SimulationRunner,
  command: string,
  arg: unknown,
): Promise<{ request: SimulationRequest; live: boolean } | undefined> {
  let params: TargetParams = { command, ...(await startingPoint(arg)) };
  let live = false;
  for (let round = 0; round < maxQuestions; round++) {
    const answer = (await runner.prepare(serverCommands.simulationTarget, [params])) as TargetAnswer;
    if ('request' in answer) return { request: answer.request, live };
    if ('message' in answer) {
      void vscode.window.showInformationMessage(answer.message);
      return undefined;
    }
    const picked = await ask(answer.pick);
    if (!picked) return undefined;
    const { $command, ...fields } = picked;
    if (typeof $command === 'string') {
      params = { ...params, command: $command };
      live = true; // Run Hooks for Real asked which command
    }
    params = { ...params, fields: { ...params.fields, ...fields } };
  }
  return undefined;
}

/** The command's argument (a file or folder from a menu, or a keybinding's fields) and the active file. */
async function startingPoint(arg: unknown): Promise<Omit<TargetParams, 'command'>> {
  const doc = vscode.window.activeTextEditor?.document;
  const active = doc?.uri.scheme === 'file' ? { path: doc.uri.fsPath, languageId: doc.languageId } : undefined;
  if (arg instanceof vscode.Uri) {
    if (arg.scheme !== 'file') return { active };
    const stat = await fs.promises.stat(arg.fsPath).catch(() => undefined);
    return { resource: { path: arg.fsPath, folder: stat?.isDirectory() === true }, active };
  }
  // Any field the family's request declares (a path, a choice, a list such as learn-address's operations); the server checks them.
  const fields = typeof arg === 'object' && arg !== null ? Object.fromEntries(Object.entries(arg).filter(([, v]) => isFieldValue(v))) : {};
  return { fields, active };
}

/** What a keybinding's args can give a request field: a non-empty text, true or false, or a list of texts. */
function isFieldValue(v: unknown): boolean {
  return (typeof v === 'string' && v !== '') || typeof v === 'boolean' || (Array.isArray(v) && v.every((e) => typeof e === 'string'));
}

type Pick = Extract<TargetAnswer, { pick: unknown }>['pick'];

async function ask(pick: Pick): Promise<Record<string, unknown> | undefined> {
  const browse = pick.browse
    ? { label: '$(folder-opened) Choose a folder…', description: pick.browse.title, fields: undefined }
    : undefined;
  const items = [
    ...pick.choices.map((c) => ({ label: c.label, description: c.description, fields: c.fields as Record<string, unknown> | undefined })),
    ...(browse ? [browse] : []),
  ];
  const picked =
    pick.choices.length === 0 && browse
      ? browse
      : await vscode.window.showQuickPick(items, { title: pick.title, matchOnDescription: true });
  if (!picked) return undefined;
  if (picked.fields) return picked.fields;
  const chosen = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: pick.browse?.openLabel,
    title: pick.browse?.title,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  const folder = chosen?.[0]?.fsPath;
  return folder && pick.browse ? { [pick.browse.field]: folder } : undefined;
}
