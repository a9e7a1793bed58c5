import * as path from 'node:path';
import { FromTask, ProvidedTask, TargetAnswer, TargetParams } from '../../protocol';
import { isDirectory } from '../../fileKinds';
import { FamilyCommand, TargetContext } from '../family';
import { Action, actions } from './hooks';
import { dispatcherDirOf } from './lenses';
import { NmRequest, nmTimeoutMs } from './request';

const maxFound = 50;
const maxProvided = 10;
const defaultEvents: readonly Action[] = ['vpn-up', 'vpn-down'];

function eventsOf(value: unknown): Action[] | undefined {
  return Array.isArray(value) && value.length && value.every((e) => (actions as readonly unknown[]).includes(e))
    ? (value as Action[])
    : undefined;
}

const isDispatcherDir = (dir: string): boolean => path.basename(dir) === 'dispatcher.d' && isDirectory(dir);

/** The dispatcher.d folder (args, the menu's resource, the active file, or a choice), for the actions given or vpn-up then vpn-down. */
export async function nmTarget(command: FamilyCommand, params: TargetParams, ctx: TargetContext): Promise<TargetAnswer> {
  const events = eventsOf(params.fields?.events) ?? eventsOf(command.fields?.events) ?? [...defaultEvents];
  const request = (dir: string): TargetAnswer => ({
    request: { kind: 'nm-dispatcher', events, dir, timeoutMs: nmTimeoutMs } satisfies NmRequest,
  });
  const given = ctx.resolve(params.fields?.dir);
  if (given) return request(given);
  const file = params.resource?.path ?? params.active?.path;
  if (file) {
    if ((params.resource?.folder || isDirectory(file)) && isDispatcherDir(file)) return request(file);
    if ((await ctx.recognize(file))?.family.id === 'nm-dispatcher') return request(dispatcherDirOf(file));
  }
  const dirs = await workspaceDirs(ctx);
  if (!dirs.length) return { message: 'Hooksmith: open a script of a NetworkManager/dispatcher.d folder to simulate it.' };
  if (dirs.length === 1) return request(dirs[0]);
  return {
    pick: {
      title: 'Hooksmith: simulate which dispatcher.d folder?',
      choices: dirs.map((dir) => ({ label: `$(folder) ${ctx.relative(dir)}`, description: 'NetworkManager dispatcher', fields: { dir } })),
    },
  };
}

/** The dispatcher.d folders of the workspace, found through their scripts. */
async function workspaceDirs(ctx: TargetContext): Promise<string[]> {
  const files = await ctx.findFiles((_name, file) => /(^|[\\/])NetworkManager[\\/]dispatcher\.d[\\/]/.test(file), maxFound);
  return [...new Set(files.map(dispatcherDirOf))].filter(isDispatcherDir).sort();
}

/** vpn-up then vpn-down for each dispatcher.d folder of the workspace. */
export async function nmTasks(ctx: TargetContext): Promise<ProvidedTask[]> {
  const root = ctx.roots[0];
  if (!root) return [];
  return (await workspaceDirs(ctx)).slice(0, maxProvided).map((dir) => ({
    definition: { type: 'hooksmith', simulate: 'nm-dispatcher', events: [...defaultEvents], dir: path.relative(root, dir) || '.' },
    label: `simulate NetworkManager vpn-up then vpn-down — ${ctx.relative(dir)}`,
  }));
}

/** `"simulate": "nm-dispatcher"` with `events` (default vpn-up, vpn-down) and `dir`; `interface` and `stack` as every declared field. */
export function nmFromTask(
  def: Readonly<Record<string, unknown>>,
  common: Readonly<Record<string, unknown>>,
  resolve: (p: unknown) => string | undefined,
): FromTask {
  const fail = (error: string): FromTask => ({ ok: false, error: `Hooksmith task: ${error}` });
  const events = def.events === undefined ? [...defaultEvents] : eventsOf(def.events);
  if (!events) return fail(`"events" must be a non-empty list of ${actions.join(', ')} for "simulate": "nm-dispatcher".`);
  const dir = resolve(def.dir);
  if (!dir) return fail('give "dir" (the dispatcher.d folder) for "simulate": "nm-dispatcher".');
  return { ok: true, request: { kind: 'nm-dispatcher', events, dir, timeoutMs: nmTimeoutMs, ...common } };
}
