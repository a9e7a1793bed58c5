import { isolationModes, shorewallCommands, SimulationRequest } from './protocol';
import { SimulationError } from './simulationHooks';

const hour = 3_600_000;

/**
 * Checks a request that came over the wire (an LSP client, a task definition): every field of the
 * right type and in range, or a SimulationError naming the field. Nothing unchecked reaches a spawn.
 */
export function checkRequest(value: unknown): SimulationRequest {
  if (!isObject(value)) throw new SimulationError('The simulation request must be an object with a "kind".');
  const kind = value.kind;
  for (const key of ['id', 'profile', 'scripts', 'script', 'confdir', 'interface', 'command']) optionalString(value, key);
  for (const key of ['timeoutMs', 'graceMs', 'gapMs']) optionalNumber(value, key);
  for (const key of ['live', 'terminateOnNextEvent', 'allowUnintercepted']) optionalBoolean(value, key);
  if (value.env !== undefined && !(isObject(value.env) && Object.values(value.env).every((v) => typeof v === 'string'))) {
    throw new SimulationError('"env" must map names to string values.');
  }
  if (isObject(value.env) && Object.keys(value.env).some((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))) {
    throw new SimulationError('"env" names must be shell variable names (letters, digits, _).');
  }
  if (isObject(value.env) && Object.values(value.env).some((v) => String(v).includes('\0'))) {
    throw new SimulationError('"env" values cannot hold a NUL byte: a process environment cannot carry one.');
  }
  // A live run is the machine itself: its PATH is the user's to choose (a stand-in first, say); the loader's and Hooksmith's never.
  const reserved = isObject(value.env) ? Object.keys(value.env).filter((k) => isReservedVariable(k) && !(k === 'PATH' && value.live === true)) : [];
  if (reserved.length) throw new SimulationError(reservedMessage(reserved));
  if (value.isolation !== undefined && !isolationModes.includes(value.isolation as never)) {
    throw new SimulationError(`"isolation" must be one of ${isolationModes.join(', ')}.`);
  }
  if (value.limits !== undefined) checkLimits(value.limits);
  if (kind === 'anyconnect') {
    if (!Array.isArray(value.events) || !value.events.every((e) => typeof e === 'string')) throw new SimulationError('"events" must be a list of event names.');
    return value as unknown as SimulationRequest;
  }
  if (kind === 'shorewall') {
    if (!shorewallCommands.includes(value.command as never)) throw new SimulationError(`"command" must be one of ${shorewallCommands.join(', ')}.`);
    if (typeof value.confdir !== 'string' || value.confdir === '') throw new SimulationError('"confdir" must name the folder holding the hooks.');
    return value as unknown as SimulationRequest;
  }
  throw new SimulationError('"kind" must be "anyconnect" or "shorewall".');
}

function optionalString(o: Record<string, unknown>, key: string): void {
  const v = o[key];
  if (v !== undefined && typeof v !== 'string') throw new SimulationError(`"${key}" must be a string.`);
  if (typeof v === 'string' && v.includes('\0')) throw new SimulationError(`"${key}" cannot hold a NUL byte: no path or argument can.`);
}

function optionalNumber(o: Record<string, unknown>, key: string): void {
  const v = o[key];
  if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= hour)) {
    throw new SimulationError(`"${key}" must be a number of milliseconds from 0 to ${hour}.`);
  }
}

function optionalBoolean(o: Record<string, unknown>, key: string): void {
  if (o[key] !== undefined && typeof o[key] !== 'boolean') throw new SimulationError(`"${key}" must be true or false.`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Variables the environment of a request (--env, hooksmith.simulate.env, a task, an LSP client)
 * may not set: PATH (it decides whether the shims are found), the product's own (the shim log, the
 * run marker) and the dynamic loader's (LD_PRELOAD and friends run code in every process).
 */
export function isReservedVariable(name: string): boolean {
  return name === 'PATH' || name.startsWith('HOOKSMITH_') || name.startsWith('LD_') || name.startsWith('DYLD_');
}

function reservedMessage(names: readonly string[]): string {
  return `"env" cannot set ${names.join(', ')}: PATH, Hooksmith's own variables (HOOKSMITH_*) and the loader's (LD_*, DYLD_*) decide what a dry run intercepts, so a user's or a repository's environment may not replace them. Remove ${names.length > 1 ? 'them' : 'it'} from --env, hooksmith.simulate.env or the task's env.`;
}

const limitFields = ['memoryMB', 'processes', 'fileSizeMB', 'cpuSeconds'] as const;

function checkLimits(limits: unknown): void {
  const ok = isObject(limits) && limitFields.every((k) => typeof limits[k] === 'number' && Number.isInteger(limits[k]) && (limits[k] as number) >= 1 && (limits[k] as number) <= 65536);
  if (!ok) throw new SimulationError(`"limits" must hold ${limitFields.join(', ')}: whole numbers from 1 to 65536.`);
}
