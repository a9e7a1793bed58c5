import * as path from 'node:path';
import { FromTask, ProvidedTask, TargetAnswer, TargetParams } from '../../protocol';
import { readRegularFileSync } from '../../files/readFile';
import { FamilyCommand, TargetContext } from '../family';
import { isWgQuickConf } from './config';
import { WgEvent, wgEvents } from './hooks';
import { WgRequest } from './request';

const maxConfigs = 50;
const maxProvided = 10;

function isConfigOnDisk(file: string): boolean {
  if (!/\.conf$/i.test(file)) return false;
  const read = readRegularFileSync(file, 8192);
  const head = read.kind === 'read' ? read.bytes : read.kind === 'too-large' ? read.head : undefined;
  return head !== undefined && isWgQuickConf(file, head.toString('utf8'));
}

function workspaceConfigs(ctx: TargetContext): Promise<string[]> {
  return ctx.findFiles((name, file) => name.endsWith('.conf') && isConfigOnDisk(file), maxConfigs).then((f) => f.sort());
}

function eventsOf(value: unknown): WgEvent[] | undefined {
  return Array.isArray(value) && value.length && value.every((e) => (wgEvents as readonly unknown[]).includes(e))
    ? (value as WgEvent[])
    : undefined;
}

/** The config given (args, the menu's resource, the active file), else a choice among the workspace's wg-quick configs. */
export async function wgTarget(command: FamilyCommand, params: TargetParams, ctx: TargetContext): Promise<TargetAnswer> {
  const events = eventsOf(params.fields?.events) ?? eventsOf(command.fields?.events) ?? ['up', 'down'];
  const request = (config: string): TargetAnswer => ({ request: { kind: 'wg-quick', events, config } satisfies WgRequest });
  const given = ctx.resolve(params.fields?.config);
  if (given) return request(given);
  const file = params.resource && !params.resource.folder ? params.resource.path : params.active?.path;
  if (file && isConfigOnDisk(file)) return request(file);
  const choices = (await workspaceConfigs(ctx)).map((c) => ({
    label: `$(file-code) ${ctx.relative(c)}`,
    description: 'wg-quick config',
    fields: { config: c },
  }));
  if (!choices.length) return { message: 'Hooksmith: open a wg-quick config (a .conf with an [Interface] section) to simulate its hooks.' };
  if (choices.length === 1) return request(choices[0].fields.config);
  return { pick: { title: 'Hooksmith: simulate the hooks of which wg-quick config?', choices } };
}

/** up then down for each wg-quick config of the workspace. */
export async function wgTasks(ctx: TargetContext): Promise<ProvidedTask[]> {
  const root = ctx.roots[0];
  if (!root) return [];
  return (await workspaceConfigs(ctx)).slice(0, maxProvided).map((config) => ({
    definition: { type: 'hooksmith', simulate: 'wg-quick', events: ['up', 'down'], config: path.relative(root, config) || '.' },
    label: `simulate wg-quick up then down — ${ctx.relative(config)}`,
  }));
}

/** `"simulate": "wg-quick"` with `events` and `config`. */
export function wgFromTask(
  def: Readonly<Record<string, unknown>>,
  common: Readonly<Record<string, unknown>>,
  resolve: (p: unknown) => string | undefined,
): FromTask {
  const events = def.events === undefined ? ['up', 'down'] : eventsOf(def.events);
  if (!events)
    return { ok: false, error: `Hooksmith task: "events" must be a non-empty list of ${wgEvents.join(', ')} for "simulate": "wg-quick".` };
  const config = resolve(def.config);
  if (!config) return { ok: false, error: 'Hooksmith task: give "config" (the wg-quick config) for "simulate": "wg-quick".' };
  return { ok: true, request: { kind: 'wg-quick', events, config, ...common } };
}
