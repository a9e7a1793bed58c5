import * as path from 'node:path';
import { FromTask, ProvidedTask, TargetAnswer, TargetParams } from '../../protocol';
import { isDirectory } from '../../fileKinds';
import { FamilyCommand, TargetContext } from '../family';
import { OcservEvent, ocservEvents } from './hooks';
import { isOcservConf } from './config';
import { OcservRequest } from './request';

const maxConfigs = 50;
const maxProvided = 10;

/** The ocserv.conf files of the workspace (by name). */
function workspaceConfigs(ctx: TargetContext): Promise<string[]> {
  return ctx.findFiles((_name, file) => isOcservConf(file, ''), maxConfigs).then((f) => f.sort());
}

/** The config or script given (args, a menu's resource, the active file), else a choice among the workspace's ocserv.conf files. */
export async function ocservTarget(command: FamilyCommand, params: TargetParams, ctx: TargetContext): Promise<TargetAnswer> {
  const events = (command.fields?.events ?? ['connect', 'disconnect']) as OcservEvent[];
  const request = (place: { config?: string; script?: string }): TargetAnswer => ({
    request: { kind: 'ocserv', events, ...place } satisfies OcservRequest,
  });
  const config = ctx.resolve(params.fields?.config);
  const script = ctx.resolve(params.fields?.script);
  if (config || script) return request({ ...(config ? { config } : {}), ...(script ? { script } : {}) });
  const file =
    params.resource && !params.resource.folder && !isDirectory(params.resource.path) ? params.resource.path : params.active?.path;
  if (file && isOcservConf(file, '')) return request({ config: file });
  if (file && (await ctx.recognize(file))?.family.id === 'ocserv') return request({ script: file });
  const choices = (await workspaceConfigs(ctx)).map((c) => ({
    label: `$(file-code) ${ctx.relative(c)}`,
    description: 'ocserv.conf',
    fields: { config: c },
  }));
  if (!choices.length) return { message: 'Hooksmith: open an ocserv.conf or one of the scripts it names to simulate it.' };
  if (choices.length === 1) return request({ config: choices[0].fields.config });
  return { pick: { title: 'Hooksmith: simulate the scripts of which ocserv.conf?', choices } };
}

/** connect then disconnect for each ocserv.conf of the workspace. */
export async function ocservTasks(ctx: TargetContext): Promise<ProvidedTask[]> {
  const root = ctx.roots[0];
  if (!root) return [];
  return (await workspaceConfigs(ctx)).slice(0, maxProvided).map((config) => ({
    definition: { type: 'hooksmith', simulate: 'ocserv', events: ['connect', 'disconnect'], config: path.relative(root, config) || '.' },
    label: `simulate ocserv connect then disconnect — ${ctx.relative(config)}`,
  }));
}

/** `"simulate": "ocserv"` with `events` and `config` or `script`. */
export function ocservFromTask(
  def: Readonly<Record<string, unknown>>,
  common: Readonly<Record<string, unknown>>,
  resolve: (p: unknown) => string | undefined,
): FromTask {
  const fail = (error: string): FromTask => ({ ok: false, error: `Hooksmith task: ${error}` });
  const events = def.events ?? ['connect', 'disconnect'];
  if (!Array.isArray(events) || !events.length || !events.every((e) => (ocservEvents as readonly unknown[]).includes(e)))
    return fail(`"events" must be a non-empty list of ${ocservEvents.join(', ')} for "simulate": "ocserv".`);
  const config = resolve(def.config);
  const script = resolve(def.script);
  if (!config && !script) return fail('give "config" (an ocserv.conf) or "script" (one script) for "simulate": "ocserv".');
  const ipv6 = def.ipv6Only === true ? { ipv6Only: true } : {};
  return {
    ok: true,
    request: {
      kind: 'ocserv',
      events: events as OcservEvent[],
      ...(config ? { config } : {}),
      ...(script ? { script } : {}),
      ...ipv6,
      ...common,
    },
  };
}
