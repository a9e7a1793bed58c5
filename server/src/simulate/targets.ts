/**
 * The family-neutral side of starting a simulation from a client command or a task: which family
 * owns the command, the ready tasks of every family, and a task definition read as a request
 * (the fields every request shares here; the family reads its own).
 */
import * as path from 'node:path';
import { families } from '../families/registry';
import { FamilyCommand, HookFamily, TargetContext } from '../families/family';
import {
  checkRequest,
  clientCommands,
  FromTask,
  ProvidedTask,
  RequestSpec,
  simulateBounds,
  SimulationError,
  SimulationRequest,
  TargetAnswer,
  TargetParams,
} from '../protocol';

function owners(): { family: HookFamily; command: FamilyCommand }[] {
  return families.flatMap((family) => (family.simulation ? (family.commands ?? []).map((command) => ({ family, command })) : []));
}

/** The request a command starts, or what to ask the user first. Run Hooks for Real asks which command first. */
export async function resolveTarget(params: TargetParams, ctx: TargetContext): Promise<TargetAnswer> {
  if (params.command === clientCommands.simulateLive) {
    return {
      pick: {
        title: 'Hooksmith: run which hooks for real? (you confirm before anything runs)',
        choices: owners().map(({ command }) => ({ label: command.liveLabel, fields: { $command: command.command } })),
      },
    };
  }
  const owner = owners().find((o) => o.command.command === params.command);
  if (!owner?.family.simulation) return { message: `Hooksmith: no hook family simulates "${params.command}".` };
  const spec = owner.family.simulation.request;
  const answer = await owner.family.simulation.target(owner.command, params, ctx);
  if (!('request' in answer)) return answer;
  const request = withDeclaredFields(answer.request, spec, params.fields ?? {}, ctx.resolve);
  const question = nextQuestion(request, spec);
  if (question) return question;
  const ready = checked(request, spec);
  return typeof ready === 'string' ? { message: `Hooksmith: ${ready}` } : { request: ready };
}

/**
 * The request with every field its family declares that the user gave (a task definition, a keybinding's args, a quick pick's
 * answer) and the family's own reading left out: OpenVPN's learnAddressOps, nm's stack ... Paths resolve as the family's do.
 */
function withDeclaredFields(
  request: SimulationRequest,
  spec: RequestSpec,
  given: Readonly<Record<string, unknown>>,
  resolve: (p: unknown) => string | undefined,
): SimulationRequest {
  const added = spec.fields.flatMap((f) =>
    request[f.name] === undefined && given[f.name] !== undefined
      ? [[f.name, f.type === 'path' ? (resolve(given[f.name]) ?? given[f.name]) : given[f.name]] as const]
      : [],
  );
  return { ...request, ...Object.fromEntries(added) };
}

/** The quick pick for the first field that declares a question and is still unset (and whose event the request runs). */
function nextQuestion(request: SimulationRequest, spec: RequestSpec): TargetAnswer | undefined {
  const events = spec.fields.filter((f) => f.role === 'events').flatMap((f) => (Array.isArray(request[f.name]) ? request[f.name] : []));
  const field = spec.fields.find(
    (f) => f.ask && request[f.name] === undefined && (f.ask.whenEvent === undefined || (events as unknown[]).includes(f.ask.whenEvent)),
  );
  if (!field?.ask) return undefined;
  const choices = field.ask.choices.map((c) => ({ label: c.label, description: c.description, fields: { [field.name]: c.value } }));
  return { pick: { title: field.ask.title, choices } };
}

/** The one check, as at every entry: the request, or the message naming the field that is wrong. */
function checked(request: SimulationRequest, spec: RequestSpec): SimulationRequest | string {
  try {
    return checkRequest(request, [spec]);
  } catch (e) {
    if (e instanceof SimulationError) return e.message;
    throw e;
  }
}

/** Every family's ready tasks for the workspace. */
export async function providedTasks(ctx: TargetContext): Promise<ProvidedTask[]> {
  const all = await Promise.all(families.map((f) => f.simulation?.tasks(ctx) ?? Promise.resolve([])));
  return all.flat();
}

/**
 * A `"type": "hooksmith"` task's definition as a request. Relative paths resolve against the
 * task's workspace folder. Bad input gets a message naming the property and what it accepts.
 */
export function requestFromTask(def: Readonly<Record<string, unknown>>, folder: string | undefined): FromTask {
  const fail = (error: string): FromTask => ({ ok: false, error: `Hooksmith task: ${error}` });
  const kinds = families.flatMap((f) => f.simulation?.taskKinds ?? []);
  const kind = def.simulate;
  if (typeof kind !== 'string' || !kinds.includes(kind)) {
    return fail(`"simulate" must be one of ${kinds.join(', ')}${kind === undefined ? '' : ` (got ${JSON.stringify(kind)})`}.`);
  }
  const env = stringMap(def.env);
  if (env === null) return fail('"env" must be an object whose values are strings.');
  const seconds = def.timeoutSeconds;
  if (seconds !== undefined && !(typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0))
    return fail('"timeoutSeconds" must be a positive number.');
  // As the setting: above the hour is clamped to it, not refused by the server.
  const timeoutMs = seconds === undefined ? undefined : Math.round(Math.min(seconds, simulateBounds.timeoutSeconds.maximum) * 1000);
  const gapMs = def.gapMs;
  if (gapMs !== undefined && !(typeof gapMs === 'number' && Number.isFinite(gapMs) && gapMs >= 0))
    return fail('"gapMs" must be a number of milliseconds, 0 or more.');
  const common = {
    env,
    live: def.live === true,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(gapMs === undefined ? {} : { gapMs }),
  };
  const resolve = (p: unknown): string | undefined => (typeof p === 'string' && p ? path.resolve(folder ?? '', p) : undefined);
  const simulation = families.find((f) => f.simulation?.taskKinds.includes(kind))!.simulation!;
  const read = simulation.fromTask(def, common, resolve);
  if (!read.ok) return read;
  const request = checked(withDeclaredFields(read.request, simulation.request, def, resolve), simulation.request);
  return typeof request === 'string' ? fail(request) : { ok: true, request };
}

/** undefined when absent, null when invalid. */
function stringMap(value: unknown): Record<string, string> | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value);
  return entries.every(([, v]) => typeof v === 'string') ? (Object.fromEntries(entries) as Record<string, string>) : null;
}
