import * as fs from 'node:fs';
import * as path from 'node:path';
import { FromTask, ProvidedTask, TargetAnswer, TargetParams } from '../../protocol';
import { isDirectory } from '../../fileKinds';
import { FamilyCommand, TargetContext } from '../family';
import { ShorewallCommand, shorewallCommands, ShorewallRequest } from './request';

const maxFolders = 50;
const maxProvided = 10;

/** A Shorewall folder: named shorewall*, or holding shorewall.conf. */
function isShorewallFolder(folder: string): boolean {
  return /^shorewall/i.test(path.basename(folder)) || fs.existsSync(path.join(folder, 'shorewall.conf'));
}

/** Folders of the workspace holding shorewall.conf: the ready-made places to simulate Shorewall in. */
async function shorewallFolders(ctx: TargetContext): Promise<string[]> {
  return (await ctx.findFiles((name) => name === 'shorewall.conf', maxFolders)).map((f) => path.dirname(f)).sort();
}

/** The folder (args, a menu's resource, the active hook's folder, or a choice) and then the command (args, or a choice). */
export async function shorewallTarget(_command: FamilyCommand, params: TargetParams, ctx: TargetContext): Promise<TargetAnswer> {
  const fields = params.fields ?? {};
  const confdir = ctx.resolve(fields.confdir) ?? (await confdirOf(params, ctx));
  if (typeof confdir !== 'string') return confdir;
  const command = fields.command;
  if (typeof command === 'string' && (shorewallCommands as readonly string[]).includes(command)) {
    return { request: { kind: 'shorewall', command: command as ShorewallCommand, confdir } satisfies ShorewallRequest };
  }
  const choices = shorewallCommands.map((c) => ({ label: c, description: `shorewall ${c}`, fields: { confdir, command: c } }));
  return { pick: { title: `Hooksmith: which Shorewall command, with the hooks of ${ctx.relative(confdir)}?`, choices } };
}

async function confdirOf(params: TargetParams, ctx: TargetContext): Promise<string | TargetAnswer> {
  if (params.resource)
    return params.resource.folder || isDirectory(params.resource.path) ? params.resource.path : path.dirname(params.resource.path);
  const active = params.active?.path;
  if (active && ((await ctx.recognize(active))?.family.id === 'shorewall' || isShorewallFolder(path.dirname(active))))
    return path.dirname(active);
  const choices = (await shorewallFolders(ctx)).map((f) => ({
    label: `$(folder) ${ctx.relative(f)}`,
    description: 'holds shorewall.conf',
    fields: { confdir: f },
  }));
  const browse = { field: 'confdir', title: 'The folder holding the Shorewall hooks (CONFDIR)', openLabel: 'Simulate This Folder' };
  return { pick: { title: 'Hooksmith: simulate the Shorewall hooks of which folder?', choices, browse } };
}

/** `shorewall start` for each folder holding shorewall.conf. */
export async function shorewallTasks(ctx: TargetContext): Promise<ProvidedTask[]> {
  const root = ctx.roots[0];
  if (!root) return [];
  return (await shorewallFolders(ctx)).slice(0, maxProvided).map((confdir) => ({
    definition: { type: 'hooksmith', simulate: 'shorewall', command: 'start', confdir: path.relative(root, confdir) || '.' },
    label: `simulate shorewall start — ${ctx.relative(confdir)}`,
  }));
}

/** `"simulate": "shorewall"` with `command`, `confdir` and optionally `interface` and `then`. */
export function shorewallFromTask(
  def: Readonly<Record<string, unknown>>,
  common: Readonly<Record<string, unknown>>,
  resolve: (p: unknown) => string | undefined,
): FromTask {
  const fail = (error: string): FromTask => ({ ok: false, error: `Hooksmith task: ${error}` });
  const command = def.command;
  if (typeof command !== 'string' || !(shorewallCommands as readonly string[]).includes(command)) {
    return fail(`"command" must be one of ${shorewallCommands.join(', ')} for "simulate": "shorewall".`);
  }
  const confdir = resolve(def.confdir);
  if (!confdir) return fail('"confdir" (the folder holding the Shorewall hooks) is required for "simulate": "shorewall".');
  const iface = typeof def.interface === 'string' && def.interface ? { interface: def.interface } : {};
  if (def.then !== undefined && (typeof def.then !== 'string' || !(shorewallCommands as readonly string[]).includes(def.then))) {
    return fail(`"then" must be one of ${shorewallCommands.join(', ')} for "simulate": "shorewall".`);
  }
  const then = def.then === undefined ? {} : { then: def.then as ShorewallCommand };
  return { ok: true, request: { kind: 'shorewall', command: command as ShorewallCommand, ...then, confdir, ...iface, ...common } };
}
