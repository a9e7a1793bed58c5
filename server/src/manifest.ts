/**
 * The parts of package.json that come from the families, generated the way the settings are
 * (`npm run sync:manifest`; a test keeps package.json equal): activation events, the simulate
 * commands with their menus, and the task definition's properties.
 */
import { families } from './families/registry';
import { FamilyCommand, HookFamily } from './families/family';
import { clientCommands, contextKeys, profileLanguage, RequestField } from './protocol';
import { manifestConfiguration } from './settings';
import { specFileGlobs } from './hooktest/model';

type Json = Record<string, unknown>;

/** Languages whose documents may be profiles or hooks: opening one activates the extension. */
const languages = [profileLanguage, 'xml', 'shellscript', 'perl'];

export function activationEvents(): string[] {
  const markers = [...families.flatMap((f) => f.files.markers), ...specFileGlobs];
  return [...languages.map((l) => `onLanguage:${l}`), ...unique(markers).map((g) => `workspaceContains:${g}`)];
}

interface Placed {
  readonly family: HookFamily;
  readonly command: FamilyCommand;
}

function familyCommands(): Placed[] {
  return families.flatMap((family) => (family.commands ?? []).map((command) => ({ family, command })));
}

const category = 'Hooksmith';

export function commands(): Json[] {
  const fixed = (command: string, title: string): Json => ({ command, title, category });
  return [
    fixed(clientCommands.validateFile, 'Validate Current File'),
    fixed(clientCommands.restartServer, 'Restart Language Server'),
    ...familyCommands().map(({ command: c }) => ({
      command: c.command,
      title: c.title,
      category,
      ...(c.editorTitle ? { icon: '$(play)' } : {}),
    })),
    fixed(clientCommands.simulateLive, 'Run Hooks for Real...'),
    fixed(clientCommands.simulateFromLens, 'Simulate (from a CodeLens)'),
    fixed(clientCommands.showSimulationResult, 'Show Last Simulation Result'),
  ];
}

const trusted = 'isWorkspaceTrusted';
const isProfile = (langKey: string): string => `${langKey} == ${profileLanguage} || resourcePath in ${contextKeys.profiles}`;

/** Where a family's command shows: its hooks (by the server's context keys), their folders, profiles. */
function when(p: Placed, place: 'editor' | 'explorer'): string {
  const id = p.family.id;
  const parts = [];
  if (p.command.profiles) parts.push(isProfile(place === 'editor' ? 'editorLangId' : 'resourceLangId'));
  parts.push(`resourcePath in ${contextKeys.familyHooks(id)}`);
  if (p.command.explorer?.folders) {
    parts.push(`resourceDirname in ${contextKeys.familyFolders(id)}`);
    if (place === 'explorer') parts.push(`explorerResourceIsFolder && resourcePath in ${contextKeys.familyFolders(id)}`);
  }
  return `${trusted} && (${parts.join(' || ')})`;
}

export function menus(): Json {
  const placed = familyCommands();
  return {
    commandPalette: [
      { command: clientCommands.validateFile, when: `${isProfile('editorLangId')} || resourcePath in ${contextKeys.hooks}` },
      { command: clientCommands.simulateFromLens, when: 'false' },
    ],
    'editor/title': placed
      .filter((p) => p.command.editorTitle)
      .map((p) => ({ command: p.command.command, when: when(p, 'editor'), group: 'navigation@50' })),
    'explorer/context': placed
      .filter((p) => p.command.explorer)
      .map((p) => ({ command: p.command.command, when: when(p, 'explorer'), group: p.command.explorer?.group })),
  };
}

/** The task definition's properties every kind reads alike (server/src/simulate/targets.ts): kept as package.json writes them. */
const commonTaskProperties = ['env', 'gapMs', 'timeoutSeconds', 'live'];

interface Declared {
  readonly field: RequestField;
  /** The task kinds of each family that declares it, with that family's words for it. */
  readonly by: { readonly kinds: readonly string[]; readonly doc: string; readonly values?: readonly string[] }[];
}

/** The families' request fields by name: a task definition has one property per name, so its type must agree across families. */
function declaredFields(): Declared[] {
  const byName = new Map<string, Declared>();
  for (const family of families) {
    const sim = family.simulation;
    for (const field of sim?.request.fields ?? []) {
      const known = byName.get(field.name) ?? { field, by: [] };
      if (jsonType(known.field) !== jsonType(field))
        throw new Error(
          `${family.id}: request field "${field.name}" is a ${field.type}, another family's is a ${known.field.type}; a task ` +
            'definition has one property per name: rename one.',
        );
      known.by.push({ kinds: sim!.taskKinds, doc: field.doc, values: field.values });
      byName.set(field.name, known);
    }
  }
  return [...byName.values()];
}

const jsonType = (f: RequestField): string => (f.type === 'list' ? 'array' : f.type === 'boolean' ? 'boolean' : 'string');

/** Which kinds a doc is for, and the doc (`For "<kind>": <doc>.`), one sentence per family that declares the field. */
function describeField(d: Declared): string {
  const quoted = (kinds: readonly string[]): string => kinds.map((k) => `"${k}"`).join(', ');
  const where = d.field.type === 'path' ? ' (relative to the workspace folder)' : '';
  return d.by.map((b) => `For ${quoted(b.kinds)}: ${b.doc}${where}.`).join(' ');
}

/** A declared field as a task definition property: its JSON type, and its values when every family that declares it lists them. */
function fieldProperty(d: Declared): Json {
  const values = d.by.every((b) => b.values) ? unique(d.by.flatMap((b) => b.values ?? [])) : undefined;
  const enumOf = values ? { enum: values } : {};
  const description = describeField(d);
  if (d.field.type === 'list') return { type: 'array', items: { type: 'string', ...enumOf }, minItems: 1, description };
  return { type: jsonType(d.field), ...enumOf, description };
}

/**
 * The task definition's properties: `simulate` (every family's task kinds), one per request field any family declares (so
 * every field a request takes can be set from tasks.json), then the common ones.
 */
export function taskProperties(existing: Readonly<Record<string, Json>>): Record<string, Json> {
  const sims = families.flatMap((f) => (f.simulation ? [{ family: f, sim: f.simulation }] : []));
  const simulate = {
    type: 'string',
    enum: sims.flatMap((s) => s.sim.taskKinds),
    description:
      `What to simulate: ` +
      `${sims.map((s) => `${s.sim.taskKinds.map((k) => `"${k}"`).join(', ')} (${s.family.displayName})`).join('; ')}.`,
  };
  const fields = Object.fromEntries(declaredFields().map((d) => [d.field.name, fieldProperty(d)]));
  const common = Object.fromEntries(commonTaskProperties.flatMap((name) => (existing[name] ? [[name, existing[name]]] : [])));
  return { simulate, ...fields, ...common };
}

/**
 * The snippets files: each family's snippets merged by language, in registry order, one file per
 * language (snippets/<language>.json), with package.json's `contributes.snippets` entries.
 */
export function snippetFiles(): { language: string; path: string; text: string }[] {
  const byLanguage = new Map<string, Record<string, Json>>();
  for (const family of families) {
    for (const s of family.snippets ?? []) {
      const file = byLanguage.get(s.language) ?? {};
      byLanguage.set(s.language, file);
      const clash = Object.entries(file).find(([name, other]) => name === s.name || other.prefix === s.prefix);
      if (clash)
        throw new Error(
          `${family.id}: the ${s.language} snippet "${s.name}" (${s.prefix}) clashes with "${clash[0]}"; names and ` +
            `prefixes are shared by every family.`,
        );
      file[s.name] = { prefix: s.prefix, description: s.description, body: [...s.body] };
    }
  }
  return [...byLanguage].map(([language, file]) => ({
    language,
    path: `snippets/${language}.json`,
    text: `${JSON.stringify(file, null, 2)}\n`,
  }));
}

/** The generated module of the shared protocol: what the client needs from the families before (or without) the server. */
export const protocolModulePath = 'server/src/protocol/generated.ts';

export function protocolModule(): string {
  const languages = unique(families.flatMap((f) => f.files.languages));
  const pathFields = Object.fromEntries(
    families.flatMap((f) =>
      f.simulation ? [[f.simulation.request.kind, f.simulation.request.fields.filter((r) => r.type === 'path').map((r) => r.name)]] : [],
    ),
  );
  return [
    "// Generated by `npm run sync:manifest` from the families' declarations (server/src/families/): do not edit.",
    '',
    '/**',
    ' * Languages whose documents the VS Code client hands the server, besides the profile language: every',
    " * family's `files.languages`. The server decides which are hooks.",
    ' */',
    `export const documentLanguages: readonly string[] = ${JSON.stringify(languages).replace(/"/g, "'").replace(/,/g, ', ')};`,
    '',
    "/** Each simulation kind's path fields, in declared order: the first one a request has is the place it is about. */",
    `export const requestPathFields: Readonly<Record<string, readonly string[]>> = {`,
    ...Object.entries(pathFields).map(
      ([kind, names]) => `  ${/^[A-Za-z_$][\w$]*$/.test(kind) ? kind : `'${kind}'`}: [${names.map((n) => `'${n}'`).join(', ')}],`,
    ),
    '};',
    '',
  ].join('\n');
}

/** package.json with every generated part replaced; the rest as it was. */
export function applyManifest(pkg: Json): Json {
  const contributes = { ...(pkg.contributes as Json) };
  contributes.commands = commands();
  contributes.menus = menus();
  contributes.configuration = manifestConfiguration();
  contributes.snippets = snippetFiles().map((f) => ({ language: f.language, path: `./${f.path}` }));
  const [task, ...otherTasks] = (contributes.taskDefinitions as Json[]) ?? [];
  const properties = taskProperties(task.properties as Record<string, Json>);
  contributes.taskDefinitions = [{ ...task, properties }, ...otherTasks];
  return { ...pkg, activationEvents: activationEvents(), contributes };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
