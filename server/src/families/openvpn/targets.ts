import * as path from 'node:path';
import { FromTask, ProvidedTask, TargetAnswer, TargetParams } from '../../protocol';
import { isDirectory } from '../../fileKinds';
import { readRegularFileSync } from '../../files/readFile';
import { isOpenvpnConf } from './config';
import { FamilyCommand, TargetContext } from '../family';
import { OpenvpnEvent, openvpnEvents } from './hooks';
import { OpenvpnRequest } from './request';

const maxConfigs = 50;
const maxProvided = 10;

/** An OpenVPN config on disk: *.ovpn by name, a *.conf by its directives. */
function isConfig(file: string): boolean {
  if (!/\.(conf|ovpn)$/i.test(file)) return false;
  if (/\.ovpn$/i.test(file)) return true;
  const read = readRegularFileSync(file, 8192);
  const head = read.kind === 'read' ? read.bytes : read.kind === 'too-large' ? read.head : undefined;
  return head !== undefined && isOpenvpnConf(file, head.toString('utf8'));
}

function workspaceConfigs(ctx: TargetContext): Promise<string[]> {
  return ctx.findFiles((name, file) => /\.(conf|ovpn)$/i.test(name) && isConfig(file), maxConfigs).then((f) => f.sort());
}

/** The config or script given (args, a menu's resource, the active file), else a choice among the workspace's OpenVPN configs. */
export async function openvpnTarget(command: FamilyCommand, params: TargetParams, ctx: TargetContext): Promise<TargetAnswer> {
  const events = (command.fields?.events ?? ['up', 'down']) as OpenvpnEvent[];
  const request = (place: { config?: string; script?: string }): TargetAnswer => ({
    request: { kind: 'openvpn', events, ...place } satisfies OpenvpnRequest,
  });
  const config = ctx.resolve(params.fields?.config);
  const script = ctx.resolve(params.fields?.script);
  if (config || script) return request({ ...(config ? { config } : {}), ...(script ? { script } : {}) });
  const file =
    params.resource && !params.resource.folder && !isDirectory(params.resource.path) ? params.resource.path : params.active?.path;
  if (file && isConfig(file)) return request({ config: file });
  if (file && (await ctx.recognize(file))?.family.id === 'openvpn') return request({ script: file });
  const choices = (await workspaceConfigs(ctx)).map((c) => ({
    label: `$(file-code) ${ctx.relative(c)}`,
    description: 'OpenVPN config',
    fields: { config: c },
  }));
  if (!choices.length) return { message: 'Hooksmith: open an OpenVPN config or one of the scripts it names to simulate it.' };
  if (choices.length === 1) return request({ config: choices[0].fields.config });
  return { pick: { title: 'Hooksmith: simulate the scripts of which OpenVPN config?', choices } };
}

/** up then down for each OpenVPN config of the workspace. */
export async function openvpnTasks(ctx: TargetContext): Promise<ProvidedTask[]> {
  const root = ctx.roots[0];
  if (!root) return [];
  return (await workspaceConfigs(ctx)).slice(0, maxProvided).map((config) => ({
    definition: { type: 'hooksmith', simulate: 'openvpn', events: ['up', 'down'], config: path.relative(root, config) || '.' },
    label: `simulate OpenVPN up then down — ${ctx.relative(config)}`,
  }));
}

/** `"simulate": "openvpn"` with `events` and `config` or `script`. */
export function openvpnFromTask(
  def: Readonly<Record<string, unknown>>,
  common: Readonly<Record<string, unknown>>,
  resolve: (p: unknown) => string | undefined,
): FromTask {
  const fail = (error: string): FromTask => ({ ok: false, error: `Hooksmith task: ${error}` });
  const events = def.events ?? ['up', 'down'];
  if (!Array.isArray(events) || !events.length || !events.every((e) => (openvpnEvents as readonly unknown[]).includes(e)))
    return fail(`"events" must be a non-empty list of ${openvpnEvents.join(', ')} for "simulate": "openvpn".`);
  const config = resolve(def.config);
  const script = resolve(def.script);
  if (!config && !script) return fail('give "config" (an OpenVPN config) or "script" (one script) for "simulate": "openvpn".');
  return {
    ok: true,
    request: { kind: 'openvpn', events: events as OpenvpnEvent[], ...(config ? { config } : {}), ...(script ? { script } : {}), ...common },
  };
}
