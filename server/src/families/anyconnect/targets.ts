import * as path from 'node:path';
import { FromTask, profileLanguage, ProvidedTask, TargetAnswer, TargetChoice, TargetParams } from '../../protocol';
import { isDirectory } from '../../fileKinds';
import { FamilyCommand, TargetContext } from '../family';
import { AnyConnectRequest, HookEvent, hookEvents } from './request';

const maxProfiles = 200;
const maxProvided = 10;
const places = ['profile', 'scripts', 'script'] as const;

/**
 * What an AnyConnect simulate command runs: the profile or script folder given (args, a menu's
 * resource, the active profile), else a choice among the active hook's folder and the workspace's
 * profiles.
 */
export async function anyconnectTarget(command: FamilyCommand, params: TargetParams, ctx: TargetContext): Promise<TargetAnswer> {
  const events = (command.fields?.events ?? ['connect']) as HookEvent[];
  const request = (place: Partial<Record<(typeof places)[number], string>>): TargetAnswer => ({
    request: { kind: 'anyconnect', events, ...place } satisfies AnyConnectRequest,
  });
  const given = Object.fromEntries(places.flatMap((k) => (ctx.resolve(params.fields?.[k]) ? [[k, ctx.resolve(params.fields?.[k])]] : [])));
  if (Object.keys(given).length) return request(given);
  if (params.resource) return ofResource(params.resource, ctx, request);
  const active = params.active;
  if (active?.languageId === profileLanguage || (active && (await ctx.isProfile(active.path)))) return request({ profile: active.path });
  const hook = active && (await ctx.recognize(active.path))?.family.id === 'anyconnect' ? path.dirname(active.path) : undefined;
  const choices: TargetChoice[] = [
    ...(hook
      ? [
          {
            label: `$(folder) ${ctx.relative(hook)}`,
            description: "the script folder of the open hook (Cisco's prefix rule picks the script)",
            fields: { scripts: hook },
          },
        ]
      : []),
    ...(await workspaceProfiles(ctx)).map((p) => ({
      label: `$(file-code) ${ctx.relative(p)}`,
      description: 'profile',
      fields: { profile: p },
    })),
  ];
  if (!choices.length) return { message: 'Hooksmith: open an AnyConnect profile or an OnConnect / OnDisconnect hook to simulate it.' };
  if (choices.length === 1) return request(choices[0].fields as Record<string, string>);
  return { pick: { title: 'Hooksmith: simulate which profile or script folder?', choices } };
}

/** A resource from a menu: a folder (the script folder), a hook (its folder: the prefix rule chooses), or a profile. */
async function ofResource(
  resource: NonNullable<TargetParams['resource']>,
  ctx: TargetContext,
  request: (place: Record<string, string>) => TargetAnswer,
): Promise<TargetAnswer> {
  const file = resource.path;
  if (resource.folder || isDirectory(file)) return request({ scripts: file });
  if ((await ctx.recognize(file))?.family.id === 'anyconnect') return request({ scripts: path.dirname(file) });
  if (await ctx.isProfile(file)) return request({ profile: file });
  return { message: `Hooksmith: ${path.basename(file)} is neither an AnyConnect profile nor an OnConnect / OnDisconnect hook.` };
}

function workspaceProfiles(ctx: TargetContext): Promise<string[]> {
  return ctx.findFiles((name, file) => name.toLowerCase().endsWith('.xml') && ctx.isProfile(file), maxProfiles);
}

/** For each profile of the workspace: connect, and connect then disconnect. */
export async function anyconnectTasks(ctx: TargetContext): Promise<ProvidedTask[]> {
  const root = ctx.roots[0];
  if (!root) return [];
  return (await workspaceProfiles(ctx)).slice(0, maxProvided).flatMap((profile) => {
    const rel = path.relative(root, profile);
    return [
      { definition: { type: 'hooksmith', simulate: 'connect', profile: rel }, label: `simulate connect — ${ctx.relative(profile)}` },
      {
        definition: { type: 'hooksmith', simulate: 'sequence', events: ['connect', 'disconnect'], profile: rel },
        label: `simulate connect then disconnect — ${ctx.relative(profile)}`,
      },
    ];
  });
}

/** `"simulate": "connect"` (any event) or `"sequence"` with `events`; a profile, a script folder or a script. */
export function anyconnectFromTask(
  def: Readonly<Record<string, unknown>>,
  common: Readonly<Record<string, unknown>>,
  resolve: (p: unknown) => string | undefined,
): FromTask {
  const fail = (error: string): FromTask => ({ ok: false, error: `Hooksmith task: ${error}` });
  const events = def.simulate === 'sequence' ? eventList(def.events) : [def.simulate as HookEvent];
  if (!events) return fail(`"events" must be a non-empty list of ${hookEvents.join(', ')} for "simulate": "sequence".`);
  const target = { profile: resolve(def.profile), scripts: resolve(def.scripts), script: resolve(def.script) };
  if (!target.profile && !target.scripts && !target.script)
    return fail('give "profile", "scripts" (a script folder) or "script" (one hook).');
  const gapMs = def.gapMs;
  if (gapMs !== undefined && !(typeof gapMs === 'number' && Number.isFinite(gapMs) && gapMs >= 0))
    return fail('"gapMs" must be a number of milliseconds, 0 or more.');
  const defined = Object.fromEntries(Object.entries({ ...target, gapMs }).filter(([, v]) => v !== undefined));
  return { ok: true, request: { kind: 'anyconnect', events, ...defined, ...common } };
}

function eventList(value: unknown): HookEvent[] | undefined {
  if (!Array.isArray(value) || !value.length) return undefined;
  return value.every((e) => (hookEvents as readonly unknown[]).includes(e)) ? (value as HookEvent[]) : undefined;
}
