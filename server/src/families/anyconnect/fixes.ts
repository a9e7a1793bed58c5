import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FixData } from '../../diagnostics';
import { isShellHook } from './content';
import { AnyConnectEvent, conventionalName } from './naming';
import { interpreter, shebang, shellInterpreters } from '../common/fileChecks';
import { listFolder, pathExists, readText } from '../../fileKinds';
import type { Fix, FixContext, Fixer } from '../../lsp/codeActions';
import { localPathOf } from '../../lsp/localPath';
import { makeExecutable } from '../../lsp/makeExecutable';
import type { FileOperation } from '../../lsp/fileOperations';
import { isCommandLine, isFileName } from '../../lsp/fixData';
import { disconnectHookText, scriptTemplate } from './templates';
import { createEdit, textEdit } from '../../lsp/workspaceEdits';
import { isDirectory } from '../../fileKinds';

type CreateScript = Extract<FixData, { kind: 'create-script' }>;
type Undo = Extract<FixData, { kind: 'undo' }>;

/** The fixers as rule records hold them, each reading its FixData (declarations: the records may be read before this module has run). */
export function undoFixer(...[doc, , data, ctx]: Parameters<Fixer>): ReturnType<Fixer> {
  return data?.kind === 'undo' ? undoFix(doc, data, ctx) : undefined;
}

export function createScriptFixer(...[doc, , data, ctx]: Parameters<Fixer>): ReturnType<Fixer> {
  return data?.kind === 'create-script' ? createScriptFix(doc, data, ctx) : undefined;
}

/** HS304: the script a profile names, from a template, in script/ beside the profile (or beside it). */
export function createScriptFix(profile: TextDocument, data: CreateScript, ctx: FixContext): Fix | undefined {
  const file = localPathOf(profile.uri);
  if (file === undefined) return undefined;
  const base = path.dirname(file);
  const target = scriptTarget(file, data.name);
  if (pathExists(target)) return undefined;
  const title = `Create ${path.relative(base, target).split(path.sep).join('/')} from a template`;
  // A client that cannot create files in a WorkspaceEdit has the server create it (fileOperations.ts).
  if (!ctx.support.create)
    return { title, command: Command.create(title, ctx.commands.createScript, profile.uri, data.name, data.event), preferred: false };
  const uri = pathToFileURL(target).toString();
  const template = scriptTemplate(data.name, data.event);
  // Not preferred: the reference may be the typo, and a new file would hide it.
  return { title, edit: createEdit(uri, template.text), command: openCreated(ctx, uri, template.executable), preferred: false };
}

/** After the fix's edit created it: the server sets the execute bit when asked and has the client show the file. */
function openCreated(ctx: FixContext, uri: string, executable: boolean): Command {
  return Command.create('Open the new file', ctx.commands.openCreated, uri, executable);
}

/** Where HS304's fix puts a script the profile names: script/ or scripts/ beside the profile, else beside it. */
export function scriptTarget(profileFile: string, name: string): string {
  return path.join(scriptFolder(path.dirname(profileFile)), name);
}

function scriptFolder(base: string): string {
  const sub = ['script', 'scripts'].map((s) => path.join(base, s)).find(isDirectory);
  return sub ?? base;
}

/** HS452: the undo command, appended to the folder's OnDisconnect hook or in a new one. */
export function undoFix(onConnect: TextDocument, data: Undo, ctx: FixContext): Fix | undefined {
  const file = localPathOf(onConnect.uri);
  if (file === undefined) return undefined;
  const dir = path.dirname(file);
  const hook = firstDisconnectHook(dir, ctx);
  return hook ? appendUndo(onConnect, hook, data.command, ctx) : createUndoHook(onConnect, file, data.command, ctx);
}

interface Sibling {
  readonly name: string;
  readonly uri: string;
  readonly text: string;
  readonly version: number | null;
}

/** Cisco's client runs the first OnDisconnect* file by name; Windows scripts and other languages are left alone. */
function firstDisconnectHook(dir: string, ctx: FixContext): Sibling | undefined {
  for (const name of listFolder(dir)
    .filter((n) => n.startsWith('OnDisconnect'))
    .sort()) {
    const file = path.join(dir, name);
    const uri = pathToFileURL(file).toString();
    const open = ctx.openDocument(uri);
    const text = open?.getText() ?? readText(file);
    if (text !== undefined && isShellHook({ path: file, text, mode: undefined, siblings: [], readSibling: () => undefined })) {
      return { name, uri, text, version: open?.version ?? null };
    }
  }
  return undefined;
}

function appendUndo(onConnect: TextDocument, hook: Sibling, command: string, ctx: FixContext): Fix {
  const eol = hook.text.includes('\r\n') ? '\r\n' : '\n';
  const at = insertionOffset(hook.text);
  const lead = at > 0 && !/\n$/.test(hook.text.slice(0, at)) ? eol : '';
  const position = TextDocument.create(hook.uri, 'shellscript', 0, hook.text).positionAt(at);
  const edit = textEdit(ctx.support, hook.uri, hook.version, [TextEdit.insert(position, `${lead}${command}${eol}`)]);
  // Re-lint the OnConnect hook once the edit is in: its warning goes when the undo is there.
  const validate = Command.create('Validate', ctx.commands.validate, onConnect.uri);
  return { title: `Add "${command}" to ${hook.name}`, edit, command: validate, preferred: true };
}

/** The end of the file, or the start of a last line `exit` / `exit 0`, which would skip anything after it. */
export function insertionOffset(text: string): number {
  const m = /(^|\n)[ \t]*exit([ \t]+0)?[ \t]*(#[^\n]*)?\s*$/.exec(text);
  return m ? m.index + m[1].length : text.length;
}

function createUndoHook(onConnect: TextDocument, file: string, command: string, ctx: FixContext): Fix | undefined {
  const plan = undoHookPlan(file, onConnect.getText(), command);
  if (!plan) return undefined;
  const title = `Create ${plan.name} with "${command}"`;
  // A client that cannot create files in a WorkspaceEdit has the server create it (createUndoHookOnDisk).
  if (!ctx.support.create)
    return { title, command: Command.create(title, ctx.commands.createScript, onConnect.uri, plan.name, 'undo', command), preferred: true };
  const uri = pathToFileURL(plan.target).toString();
  return { title, edit: createEdit(uri, plan.text), command: openCreated(ctx, uri, true), preferred: true };
}

/**
 * HS452's new OnDisconnect hook beside an OnConnect hook: its name, path and text (the OnConnect hook's shell); none if that name is taken.
 */
function undoHookPlan(file: string, onConnectText: string, command: string): { name: string; target: string; text: string } | undefined {
  const connectName = path.basename(file);
  const name = conventionalName(connectName)?.replace(/^OnConnect/, 'OnDisconnect');
  if (!name?.startsWith('OnDisconnect')) return undefined;
  const target = path.join(path.dirname(file), name);
  if (pathExists(target)) return undefined;
  const line = shebang(onConnectText);
  const first = line !== undefined && shellInterpreters.has(interpreter(line)) ? `#!${line}` : '#!/bin/sh';
  return { name, target, text: disconnectHookText(first, connectName, command) };
}

/** The family's createScript command: HS452's counterpart when the fix says 'undo', else HS304's script. */
export function createOnDisk(args: readonly unknown[]): FileOperation {
  return args[2] === 'undo' ? createUndoHookOnDisk(args[0], args[1], args[3]) : createScriptOnDisk(args[0], args[1], args[2]);
}

/**
 * HS452's OnDisconnect counterpart, with the undo command, for a client that cannot create files; the name must be the one the fix offered.
 */
export function createUndoHookOnDisk(hookUri: unknown, name: unknown, command: unknown): FileOperation {
  const file = typeof hookUri === 'string' ? localPathOf(hookUri) : undefined;
  if (file === undefined || !isFileName(name) || !isCommandLine(command)) {
    return { changed: false, reason: 'Expected an OnConnect hook file: URI, a plain file name and a one-line command.' };
  }
  const plan = undoHookPlan(file, readText(file) ?? '', command);
  if (plan?.name !== name) {
    return {
      changed: false,
      reason: pathExists(path.join(path.dirname(file), name))
        ? `${name} exists already; it was left alone.`
        : `${name} is not the OnDisconnect counterpart of ${path.basename(file)}.`,
    };
  }
  return writeNewScript(plan.target, plan.text, true, `Created ${name} with "${command}".`);
}

/** HS304's script, from its template, where the code action said; never over an existing file. */
export function createScriptOnDisk(profileUri: unknown, name: unknown, event: unknown): FileOperation {
  const profile = typeof profileUri === 'string' ? localPathOf(profileUri) : undefined;
  if (profile === undefined || !isFileName(name) || (event !== 'OnConnect' && event !== 'OnDisconnect')) {
    return { changed: false, reason: 'Expected a profile file: URI, a plain file name and OnConnect or OnDisconnect.' };
  }
  const target = scriptTarget(profile, name);
  const template = scriptTemplate(name, event as AnyConnectEvent);
  const shown = path.relative(path.dirname(profile), target).split(path.sep).join('/');
  return writeNewScript(target, template.text, template.executable, `Created ${shown} from a template.`);
}

/** Writes a new file (never over one that exists, even one made meanwhile), executable when asked. */
function writeNewScript(target: string, text: string, executable: boolean, message: string): FileOperation {
  const name = path.basename(target);
  try {
    fs.writeFileSync(target, text, { flag: 'wx', mode: 0o644 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      changed: false,
      reason: code === 'EEXIST' ? `${name} exists already; it was left alone.` : `Cannot create ${name}: ${(e as Error).message}.`,
    };
  }
  if (executable) makeExecutable(target);
  return { changed: true, uri: pathToFileURL(target).toString(), message };
}
