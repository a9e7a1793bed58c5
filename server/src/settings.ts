/**
 * The one settings schema. package.json's contributes.configuration is generated from it
 * (`npm run sync:manifest`) and a test keeps the two equal. To add a setting: add an entry
 * here, add its field to Settings, run the sync, then read it where it is needed.
 */
import { families } from './families/registry';
import type { Dialect } from './profile/validate';
import { IsolationMode, NumberBounds, readSimulateSettings, SandboxLimits, SimulateSettings, simulateBounds, stringMap } from './protocol';

export type RunMode = 'onType' | 'onSave' | 'manual';

export interface Settings {
  readonly validate: { readonly run: RunMode; readonly maxFileSizeMB: number; readonly maxProblems: number };
  readonly profile: { readonly dialect: Dialect; readonly files: readonly string[]; readonly scriptFolders: readonly string[] };
  readonly hooks: { readonly families: Readonly<Record<string, string>>; readonly serverPaths: Readonly<Record<string, string>> };
  readonly shellcheck: { readonly enable: boolean; readonly path: string };
  readonly simulate: SimulateSettings & { readonly isolation: IsolationMode; readonly limits: SandboxLimits };
}

export type Scope = 'application' | 'machine' | 'window' | 'resource' | 'machine-overridable';

export interface SettingSpec {
  /** Key under the `hooksmith.` prefix. */
  readonly key: string;
  readonly type: 'string' | 'number' | 'array' | 'object' | 'boolean';
  readonly default: unknown;
  readonly enum?: readonly string[];
  readonly enumDescriptions?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly scope: Scope;
  readonly markdownDescription: string;
  /** For objects: the schema of each value. */
  readonly additionalProperties?: Readonly<Record<string, unknown>>;
}

export const settingsPrefix = 'hooksmith';

export const settingsSchema: readonly SettingSpec[] = [
  {
    key: 'validate.run',
    type: 'string',
    default: 'onType',
    enum: ['onType', 'onSave', 'manual'],
    enumDescriptions: [
      'Validate when a file opens and as you type.',
      'Validate when a file opens and when it is saved.',
      'Validate only when you run **Hooksmith: Validate Current File** (a profile or a hook); until then a hook keeps ' +
        'the findings the workspace scan gave it.',
    ],
    scope: 'resource',
    markdownDescription: 'When profiles and hooks are validated.',
  },
  {
    key: 'validate.maxFileSizeMB',
    type: 'number',
    default: 10,
    minimum: 1,
    maximum: 512,
    scope: 'resource',
    markdownDescription:
      'Files larger than this many megabytes are not validated; one diagnostic says so. In the editor a document over ' +
      '64 MB never reaches the language server (its message is not read, and a notice says so), whatever this says; the ' +
      'CLI (`--max-size-mb`) reads files up to this size.',
  },
  {
    key: 'validate.maxProblems',
    type: 'number',
    default: 1000,
    minimum: 1,
    maximum: 100000,
    scope: 'resource',
    markdownDescription:
      "At most this many of Hooksmith's problems, and as many of ShellCheck's, are shown per file: the first ones " +
      'in the file, then one more that says how many were left out. The command line reports them all.',
  },
  {
    key: 'profile.dialect',
    type: 'string',
    default: 'auto',
    enum: ['auto', 'cisco', 'seed'],
    enumDescriptions: [
      "Accept Cisco's schema and the seed's script elements; note where Cisco's client ignores the seed's.",
      "Cisco's schema only: `OnConnectScript`, `OnDisconnectScript` and `TerminateScriptOnNextEvent` under " +
        '`ClientInitialization` are errors.',
      "The seed's executor: its script elements are accepted without a note.",
    ],
    scope: 'resource',
    markdownDescription: "Which profile dialect is valid: Cisco's `AnyConnectProfile.xsd`, the seed executor's, or both.",
  },
  {
    key: 'profile.files',
    type: 'array',
    default: [],
    scope: 'resource',
    markdownDescription:
      'Extra glob patterns (for example `**/vpn/*.xml`) of files treated as AnyConnect profiles. Any XML file whose ' +
      'root element is `<AnyConnectProfile>` is recognised without this.',
  },
  {
    key: 'profile.scriptFolders',
    type: 'array',
    default: [],
    scope: 'resource',
    markdownDescription:
      'Folders where the scripts named by `OnConnectScript` / `OnDisconnectScript` are looked up, besides the ' +
      "profile's own folder and a `script/` or `scripts/` folder beside it. Relative paths are resolved against the " +
      'workspace folder.',
  },
  {
    key: 'hooks.families',
    type: 'object',
    default: {},
    scope: 'resource',
    additionalProperties: { type: 'string', enum: families.map((f) => f.id) },
    markdownDescription:
      `Maps further folders or globs to a hook family, for hooks kept outside their usual place: for example \`{ ` +
      `${families.map((f) => `"${f.files.mappingExample}": "${f.id}"`).join(', ')} }\`. Families: ` +
      `${families.map((f) => `\`${f.id}\``).join(', ')}.`,
  },
  {
    key: 'hooks.serverPaths',
    type: 'object',
    default: {},
    scope: 'resource',
    additionalProperties: { type: 'string' },
    markdownDescription:
      'Maps folders on the server to workspace folders, for the scripts and files a configuration file names by their ' +
      'path on the server: for example `{ "/etc/vpn": "deploy/vpn" }` finds `/etc/vpn/connect.sh` at ' +
      '`deploy/vpn/connect.sh`. Relative workspace folders are resolved against the workspace folder. Without a ' +
      'mapping a file is looked for at its own path, then by its name beside the configuration file.',
  },
  {
    key: 'shellcheck.enable',
    type: 'boolean',
    default: true,
    scope: 'resource',
    markdownDescription:
      'Run ShellCheck on shell hooks (when they open, on save, after a pause in typing, and on **Hooksmith: Validate ' +
      "Current File**) and show its findings beside Hooksmith's.",
  },
  {
    key: 'shellcheck.path',
    type: 'string',
    default: 'shellcheck',
    scope: 'machine-overridable',
    markdownDescription: 'The ShellCheck executable: a name looked up on `PATH`, or an absolute path. Not used in untrusted workspaces.',
  },
  {
    key: 'simulate.timeoutSeconds',
    type: 'number',
    ...bounds(simulateBounds.timeoutSeconds),
    scope: 'resource',
    markdownDescription:
      'A simulated hook still running after this many seconds gets SIGTERM (to its whole process group), then SIGKILL ' +
      "after the grace. The seed executor's timeout is 60 s. From 1 to 3600: a smaller value (0 too) counts as 1, a " +
      'larger one as 3600.',
  },
  {
    key: 'simulate.graceMs',
    type: 'number',
    ...bounds(simulateBounds.graceMs),
    scope: 'resource',
    markdownDescription: 'Milliseconds between SIGTERM and SIGKILL when a simulated hook times out.',
  },
  {
    key: 'simulate.gapMs',
    type: 'number',
    ...bounds(simulateBounds.gapMs),
    scope: 'resource',
    markdownDescription:
      'In **Simulate Connect then Disconnect**: milliseconds between the two events, so a slow OnConnect hook meets ' +
      '`TerminateScriptOnNextEvent`.',
  },
  {
    key: 'simulate.env',
    type: 'object',
    default: {},
    scope: 'resource',
    additionalProperties: { type: 'string' },
    markdownDescription:
      'Environment values for simulated hooks, on top of the defaults: for example `{ "CISCO_VPN_USERNAME": "alice", ' +
      '"CISCO_VPN_IP": "10.0.0.5" }`. Passed verbatim, never through a shell. `PATH`, `HOOKSMITH_*` and loader ' +
      'variables (`LD_*`) are refused. Simulation never runs in an untrusted workspace.',
  },
  {
    key: 'simulate.isolation',
    type: 'string',
    default: 'auto',
    enum: ['auto', 'sandbox', 'shims'],
    enumDescriptions: [
      'A throwaway sandbox (Linux namespaces, through bubblewrap or unshare) where one can start; else the shims ' +
        'alone, and the report says why.',
      'Only in the sandbox: refuse to simulate where it cannot start.',
      'The shims alone: hooks with calls no shim can intercept (absolute paths, eval, interpreters, ...) are refused, ' +
        'as those calls would run for real.',
    ],
    scope: 'machine-overridable',
    markdownDescription:
      'What stands between simulated hooks and this machine. Only **Run for Real** (`--live`) runs hooks on the machine itself.',
  },
  {
    key: 'simulate.limits.memoryMB',
    type: 'number',
    default: 1024,
    minimum: 16,
    maximum: 65536,
    scope: 'machine-overridable',
    markdownDescription: 'In the sandbox: the address space each process of a hook may use, in megabytes (RLIMIT_AS).',
  },
  {
    key: 'simulate.limits.processes',
    type: 'number',
    default: 256,
    minimum: 8,
    maximum: 65536,
    scope: 'machine-overridable',
    markdownDescription:
      'In the sandbox: the processes a hook may have at once. The sandbox counts the processes of its PID namespace ' +
      "every 10 ms and, over this number, kills them all and says so in the run's output (a fork bomb may reach a few " +
      'more before the count). RLIMIT_NPROC is set to it too, but the kernel does not apply that to real root.',
  },
  {
    key: 'simulate.limits.fileSizeMB',
    type: 'number',
    default: 64,
    minimum: 1,
    maximum: 65536,
    scope: 'machine-overridable',
    markdownDescription:
      'In the sandbox: the largest file a hook may write, in megabytes (RLIMIT_FSIZE); the scratch layer holds four times this.',
  },
  {
    key: 'simulate.limits.cpuSeconds',
    type: 'number',
    default: 60,
    minimum: 1,
    maximum: 3600,
    scope: 'machine-overridable',
    markdownDescription: 'In the sandbox: the CPU time each process of a hook may use, in seconds (RLIMIT_CPU).',
  },
];

export const defaultSettings: Settings = readSettings(undefined);

/** Reads the `hooksmith` section a client sent; anything invalid falls back to its default. */
export function readSettings(section: unknown): Settings {
  const get = (key: string): unknown => {
    let node: unknown = section;
    for (const part of key.split('.')) node = isObject(node) ? node[part] : undefined;
    return node;
  };
  return {
    validate: {
      run: oneOf<RunMode>(get('validate.run'), 'validate.run'),
      maxFileSizeMB: bounded(get('validate.maxFileSizeMB'), 'validate.maxFileSizeMB'),
      maxProblems: Math.floor(bounded(get('validate.maxProblems'), 'validate.maxProblems')),
    },
    profile: {
      dialect: oneOf<Dialect>(get('profile.dialect'), 'profile.dialect'),
      files: strings(get('profile.files')),
      scriptFolders: strings(get('profile.scriptFolders')),
    },
    hooks: { families: stringMap(get('hooks.families')), serverPaths: stringMap(get('hooks.serverPaths')) },
    shellcheck: {
      enable: get('shellcheck.enable') !== false,
      path: typeof get('shellcheck.path') === 'string' && get('shellcheck.path') !== '' ? (get('shellcheck.path') as string) : 'shellcheck',
    },
    simulate: {
      ...readSimulateSettings(get('simulate')),
      isolation: oneOf<IsolationMode>(get('simulate.isolation'), 'simulate.isolation'),
      limits: {
        memoryMB: Math.floor(bounded(get('simulate.limits.memoryMB'), 'simulate.limits.memoryMB')),
        processes: Math.floor(bounded(get('simulate.limits.processes'), 'simulate.limits.processes')),
        fileSizeMB: Math.floor(bounded(get('simulate.limits.fileSizeMB'), 'simulate.limits.fileSizeMB')),
        cpuSeconds: Math.floor(bounded(get('simulate.limits.cpuSeconds'), 'simulate.limits.cpuSeconds')),
      },
    },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function specOf(key: string): SettingSpec {
  return settingsSchema.find((s) => s.key === key) as SettingSpec;
}

function oneOf<T extends string>(value: unknown, key: string): T {
  const spec = specOf(key);
  return (typeof value === 'string' && spec.enum?.includes(value) ? value : spec.default) as T;
}

function bounded(value: unknown, key: string): number {
  const spec = specOf(key);
  if (typeof value !== 'number' || !Number.isFinite(value)) return spec.default as number;
  return Math.min(spec.maximum ?? Infinity, Math.max(spec.minimum ?? -Infinity, value));
}

/** A number setting's default and bounds, as the schema writes them. */
function bounds(b: NumberBounds): Pick<SettingSpec, 'default' | 'minimum' | 'maximum'> {
  return { default: b.default, minimum: b.minimum, maximum: b.maximum };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

/** The contributes.configuration block of package.json, generated from the schema. */
export function manifestConfiguration(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const s of settingsSchema) {
    properties[`${settingsPrefix}.${s.key}`] = {
      type: s.type,
      ...(s.type === 'array' ? { items: { type: 'string' } } : {}),
      ...(s.additionalProperties ? { additionalProperties: s.additionalProperties } : {}),
      default: s.default,
      ...(s.enum ? { enum: s.enum, enumDescriptions: s.enumDescriptions } : {}),
      ...(s.minimum !== undefined ? { minimum: s.minimum } : {}),
      ...(s.maximum !== undefined ? { maximum: s.maximum } : {}),
      scope: s.scope,
      markdownDescription: s.markdownDescription,
    };
  }
  properties[`${settingsPrefix}.trace.server`] = {
    type: 'string',
    enum: ['off', 'messages', 'verbose'],
    default: 'off',
    scope: 'window',
    markdownDescription: 'Traces the messages between VS Code and the Hooksmith language server in the **Hooksmith** output channel.',
  };
  return { title: 'Hooksmith', properties };
}
