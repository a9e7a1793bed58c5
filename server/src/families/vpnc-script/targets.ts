import * as path from 'node:path';
import { FromTask, ProvidedTask, TargetAnswer, TargetChoice, TargetParams } from '../../protocol';
import { isDirectory } from '../../fileKinds';
import { FamilyCommand, TargetContext } from '../family';
import { hookFolderReasons, Reason, reasons } from './hooks';
import { sessionReasons } from './lenses';
import { VpncRequest } from './request';

const maxFound = 50;
const maxProvided = 10;
const places = ['script', 'hooksDir'] as const;

/** A folder holding at least one of the stock script's hook folders (connect.d ...). */
function isHooksDir(dir: string): boolean {
  return Object.keys(hookFolderReasons).some((h) => isDirectory(path.join(dir, `${h}.d`)));
}

function eventsOf(value: unknown): Reason[] | undefined {
  return Array.isArray(value) && value.length && value.every((e) => (reasons as readonly unknown[]).includes(e))
    ? (value as Reason[])
    : undefined;
}

/** The script or hook folders (args, the menu's resource, the active file, or a choice), for the reasons given or a whole session. */
export async function vpncTarget(command: FamilyCommand, params: TargetParams, ctx: TargetContext): Promise<TargetAnswer> {
  const events = eventsOf(params.fields?.events) ?? eventsOf(command.fields?.events) ?? [...sessionReasons];
  const request = (place: Partial<Record<(typeof places)[number], string>>): TargetAnswer => ({
    request: { kind: 'vpnc-script', events, ...place } satisfies VpncRequest,
  });
  for (const k of places) {
    const given = ctx.resolve(params.fields?.[k]);
    if (given) return request({ [k]: given });
  }
  const file = params.resource?.path ?? params.active?.path;
  if (file) {
    if ((params.resource?.folder || isDirectory(file)) && isHooksDir(file)) return request({ hooksDir: file });
    const recognized = await ctx.recognize(file);
    if (recognized?.family.id === 'vpnc-script')
      return recognized.hook.runModel === 'sourced' ? request({ hooksDir: path.dirname(path.dirname(file)) }) : request({ script: file });
  }
  const choices: TargetChoice[] = (await workspaceTargets(ctx)).map((t) => ({
    label: `$(${t.script ? 'file-code' : 'folder'}) ${ctx.relative(t.script ?? t.hooksDir ?? '')}`,
    description: t.script ? 'vpnc-script' : 'hook folders (stock layout)',
    fields: t,
  }));
  if (!choices.length) return { message: 'Hooksmith: open a vpnc-script or a file of a vpnc/<hook>.d folder to simulate it.' };
  if (choices.length === 1) return request(choices[0].fields as Record<string, string>);
  return { pick: { title: 'Hooksmith: simulate which vpnc-script or hook folders?', choices } };
}

/** Files named vpnc-script* and folders named vpnc holding hook folders. */
async function workspaceTargets(ctx: TargetContext): Promise<Pick<VpncRequest, 'script' | 'hooksDir'>[]> {
  const scripts = await ctx.findFiles((name) => name.startsWith('vpnc-script') && !/\.(md|txt|service)$/.test(name), maxFound);
  const hookFiles = await ctx.findFiles(
    (_name, file) => path.basename(path.dirname(path.dirname(file))) === 'vpnc' && /\.d$/.test(path.basename(path.dirname(file))),
    maxFound,
  );
  const dirs = [...new Set(hookFiles.map((f) => path.dirname(path.dirname(f))))].filter(isHooksDir);
  return [...scripts.sort().map((script) => ({ script })), ...dirs.sort().map((hooksDir) => ({ hooksDir }))];
}

/** A whole session for each script and each stock layout of the workspace. */
export async function vpncTasks(ctx: TargetContext): Promise<ProvidedTask[]> {
  const root = ctx.roots[0];
  if (!root) return [];
  return (await workspaceTargets(ctx)).slice(0, maxProvided).map((t) => {
    const place = t.script ? { script: path.relative(root, t.script) } : { hooksDir: path.relative(root, t.hooksDir ?? '') || '.' };
    return {
      definition: { type: 'hooksmith', simulate: 'vpnc-script', events: [...sessionReasons], ...place },
      label: `simulate vpnc-script session — ${ctx.relative(t.script ?? t.hooksDir ?? '')}`,
    };
  });
}

/** `"simulate": "vpnc-script"` with `events` and `script` or `hooksDir`. */
export function vpncFromTask(
  def: Readonly<Record<string, unknown>>,
  common: Readonly<Record<string, unknown>>,
  resolve: (p: unknown) => string | undefined,
): FromTask {
  const fail = (error: string): FromTask => ({ ok: false, error: `Hooksmith task: ${error}` });
  const events = def.events === undefined ? [...sessionReasons] : eventsOf(def.events);
  if (!events) return fail(`"events" must be a non-empty list of ${reasons.join(', ')} for "simulate": "vpnc-script".`);
  const script = resolve(def.script);
  const hooksDir = resolve(def.hooksDir);
  if (!script === !hooksDir)
    return fail('give "script" (the vpnc-script) or "hooksDir" (the folder holding connect.d, disconnect.d ...), one of them.');
  return { ok: true, request: { kind: 'vpnc-script', events, ...(script ? { script } : { hooksDir }), ...common } };
}
