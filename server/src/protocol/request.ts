/**
 * The simulation request: its shape, its defaults and its one check. A request enters through a
 * face (the LSP command, the CLI, a VS Code task); it is checked and given its defaults there,
 * once, and everything inside takes the checked request.
 */

/** What every request has; a family adds its own fields (declared as RequestField data). */
export interface SimulationRequest {
  /** The family to simulate: its id. */
  readonly kind: string;
  /** Echoed in every SimulationOutput notification, so a client can route output to its view. */
  readonly id?: string;
  readonly timeoutMs?: number;
  readonly graceMs?: number;
  /** Between the events of a sequence (families whose requests have `events`). */
  readonly gapMs?: number;
  /** Run for real: no shims in PATH. A UI must have the user confirm it. */
  readonly live?: boolean;
  /** On top of the family's mock environment; passed verbatim. */
  readonly env?: Readonly<Record<string, string>>;
  /** Default auto. */
  readonly isolation?: IsolationMode;
  /** Shims mode: run even when the hook has calls no shim can intercept (they would run for real). */
  readonly allowUnintercepted?: boolean;
  /** Per-hook limits in the sandbox; defaults from the settings. */
  readonly limits?: SandboxLimits;
  /**
   * Server folder → local folder (hooksmith.hooks.serverPaths, --server-path): where the scripts a
   * config names by its server paths are found. Local folders are absolute, or relative to the
   * runner's working folder.
   */
  readonly serverPaths?: Readonly<Record<string, string>>;
  /**
   * The workspace folders, absolute: where a config's absolute script paths are looked up "at the path" (/etc/x under
   * each), as the linter looks them up. The language server sets its workspace folders; without it, the runner's
   * working folder (the CLI's).
   */
  readonly roots?: readonly string[];
  /** The family's own fields (events, profile, command, confdir, ...). */
  readonly [field: string]: unknown;
}

/** How a dry run is isolated: a throwaway sandbox where one can start (auto), only the sandbox, or only the shims. */
export const isolationModes = ['auto', 'sandbox', 'shims'] as const;
export type IsolationMode = (typeof isolationModes)[number];

export interface SandboxLimits {
  readonly memoryMB: number;
  readonly processes: number;
  readonly fileSizeMB: number;
  readonly cpuSeconds: number;
}

/** A field a family's requests take, as data: the one check, the CLI and the task schema read it. */
export interface RequestField {
  readonly name: string;
  /** path: a file or folder (a client may send a file: URI); list: of `values`; choice: one of `values`. */
  readonly type: 'string' | 'path' | 'boolean' | 'list' | 'choice';
  readonly values?: readonly string[];
  /** For a list: what one item is called in messages ("event"). */
  readonly item?: string;
  /**
   * What a list's or a choice's values are. `events`: what the request runs (events, commands, learn-address's operations), so a
   * hook test's expectations may sit under them. `option` (the default): a setting of the run, never an event (nm's `stack`).
   */
  readonly role?: 'events' | 'option';
  /**
   * A command's quick pick asks for it when the family's answer and the user's fields leave it out (and, with `whenEvent`, only
   * when the request runs that event); the first choice is the default. Without it a command takes the field only from a
   * keybinding's args; a task definition takes every declared field.
   */
  readonly ask?: FieldQuestion;
  readonly required?: boolean;
  /** What it is, in a few words: "the folder holding the hooks (CONFDIR)". */
  readonly doc: string;
}

/** How a command asks for a field: the quick pick's title and its choices, each a value of the field. */
export interface FieldQuestion {
  readonly title: string;
  readonly choices: readonly { readonly label: string; readonly description?: string; readonly value: unknown }[];
  readonly whenEvent?: string;
}

/** A family's request: its kind and fields. */
export interface RequestSpec {
  readonly kind: string;
  readonly fields: readonly RequestField[];
}

/** A request that cannot be simulated (unknown event, missing profile or folder): its message is for the user. */
export class SimulationError extends Error {}

const hour = 3_600_000;

/** The defaults a request's missing fields get (the seed executor's: 60 s timeout, 1 s grace, 500 ms on the next event). */
export const simulationDefaults = { timeoutMs: 60_000, graceMs: 1_000, gapMs: 1_000, nextEventGraceMs: 500 } as const;

/** Fields of every request, as the one check reads them. */
const commonStrings = ['id'];
const commonNumbers = ['timeoutMs', 'graceMs', 'gapMs'];
const commonBooleans = ['live', 'allowUnintercepted'];

/**
 * Checks a request that came over the wire (an LSP client, a task definition, the CLI): every field
 * of the right type and in range, or a SimulationError naming the field. Nothing unchecked reaches
 * a spawn.
 */
export function checkRequest(value: unknown, specs: readonly RequestSpec[]): SimulationRequest {
  if (!isObject(value)) throw new SimulationError('The simulation request must be an object with a "kind".');
  const spec = specs.find((s) => s.kind === value.kind);
  if (!spec) throw new SimulationError(`"kind" must be ${specs.map((s) => `"${s.kind}"`).join(' or ')}.`);
  const anyFamily = specs.flatMap((s) => s.fields);
  // A field of any family, if present, has its type (a stray "confdir" on an AnyConnect request is still no NUL carrier).
  for (const key of [
    ...commonStrings,
    ...anyFamily.filter((f) => f.type === 'string' || f.type === 'path' || f.type === 'choice').map((f) => f.name),
  ])
    optionalString(value, key);
  for (const key of commonNumbers) optionalNumber(value, key);
  for (const key of [...commonBooleans, ...anyFamily.filter((f) => f.type === 'boolean').map((f) => f.name)]) optionalBoolean(value, key);
  checkEnv(value.env);
  checkServerPaths(value.serverPaths);
  checkRoots(value.roots);
  // A live run is the machine itself: its PATH is the user's to choose (a stand-in first, say); the loader's and Hooksmith's never.
  const reserved = isObject(value.env)
    ? Object.keys(value.env).filter((k) => isReservedVariable(k) && !(k === 'PATH' && value.live === true))
    : [];
  if (reserved.length) throw new SimulationError(reservedMessage(reserved));
  if (value.isolation !== undefined && !isolationModes.includes(value.isolation as never)) {
    throw new SimulationError(`"isolation" must be one of ${isolationModes.join(', ')}.`);
  }
  if (value.limits !== undefined) checkLimits(value.limits);
  for (const field of spec.fields) checkField(value, field);
  return value as SimulationRequest;
}

function checkField(o: Record<string, unknown>, f: RequestField): void {
  const v = o[f.name];
  if (f.type === 'list') {
    if (v === undefined && !f.required) return;
    if (!Array.isArray(v) || !v.every((e) => typeof e === 'string'))
      throw new SimulationError(`"${f.name}" must be a list of ${f.item ?? 'value'} names.`);
    if (f.required && v.length === 0) throw new SimulationError(`Give at least one ${f.item ?? 'value'}: ${orList(f.values ?? [])}.`);
    const unknown = v.find((e) => f.values && !f.values.includes(e));
    if (unknown !== undefined) throw new SimulationError(`Unknown ${f.item ?? 'value'} '${unknown}': use ${orList(f.values ?? [])}.`);
    return;
  }
  if (f.type === 'choice' && (v !== undefined || f.required) && !f.values?.includes(v as string))
    throw new SimulationError(`"${f.name}" must be one of ${(f.values ?? []).join(', ')}.`);
  if (f.required && (typeof v !== 'string' || v === '') && f.type !== 'boolean')
    throw new SimulationError(`"${f.name}" must name ${f.doc}.`);
}

function checkEnv(env: unknown): void {
  if (env === undefined) return;
  if (!(isObject(env) && Object.values(env).every((v) => typeof v === 'string')))
    throw new SimulationError('"env" must map names to string values.');
  if (Object.keys(env).some((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)))
    throw new SimulationError('"env" names must be shell variable names (letters, digits, _).');
  if (Object.values(env).some((v) => String(v).includes('\0')))
    throw new SimulationError('"env" values cannot hold a NUL byte: a process environment cannot carry one.');
}

function checkServerPaths(paths: unknown): void {
  if (paths === undefined) return;
  if (!(isObject(paths) && Object.values(paths).every((v) => typeof v === 'string' && v !== '' && !v.includes('\0'))))
    throw new SimulationError('"serverPaths" must map server folders to local folders (non-empty strings).');
  if (Object.keys(paths).some((k) => !k.startsWith('/') || k.includes('\0')))
    throw new SimulationError('"serverPaths" keys must be absolute folders on the server (/etc/vpn).');
}

function checkRoots(roots: unknown): void {
  if (roots === undefined) return;
  if (!(Array.isArray(roots) && roots.every((r) => typeof r === 'string' && r.startsWith('/') && !r.includes('\0'))))
    throw new SimulationError('"roots" must be a list of absolute folders (the workspace folders).');
}

function orList(values: readonly string[]): string {
  return values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}` : (values[0] ?? '');
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

/** The paths a request names (its family's path fields), in the order declared: the first is the resource whose settings apply. */
export function requestPaths(request: SimulationRequest, spec: RequestSpec | undefined): string[] {
  return pathsOf(
    request,
    (spec?.fields ?? []).filter((f) => f.type === 'path').map((f) => f.name),
  );
}

/** The values of the named fields that are non-empty strings, in the order named. */
export function pathsOf(request: SimulationRequest, fields: readonly string[]): string[] {
  return fields.flatMap((name) => (typeof request[name] === 'string' && request[name] ? [request[name] as string] : []));
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
  return (
    `"env" cannot set ${names.join(', ')}: PATH, Hooksmith's own variables (HOOKSMITH_*) and the loader's (LD_*, ` +
    `DYLD_*) decide what a dry run intercepts, so a user's or a repository's environment may not replace them. ` +
    `Remove ${names.length > 1 ? 'them' : 'it'} from --env, hooksmith.simulate.env or the task's env.`
  );
}

const limitFields = ['memoryMB', 'processes', 'fileSizeMB', 'cpuSeconds'] as const;

function checkLimits(limits: unknown): void {
  const ok =
    isObject(limits) &&
    limitFields.every(
      (k) => typeof limits[k] === 'number' && Number.isInteger(limits[k]) && (limits[k] as number) >= 1 && (limits[k] as number) <= 65536,
    );
  if (!ok) throw new SimulationError(`"limits" must hold ${limitFields.join(', ')}: whole numbers from 1 to 65536.`);
}
