/**
 * The parts of package.json that come from the families, generated the way the settings are
 * (`npm run sync:manifest`; a test keeps package.json equal): activation events, the simulate
 * commands with their menus, and the task definition's enums.
 */
import { families } from './families/registry';
import { FamilyCommand, HookFamily } from './families/family';
import { clientCommands, contextKeys, profileLanguage } from './protocol';
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

/** The task definition's enums: what `simulate` takes, the `events` lists' values and each choice field's. */
export function taskEnums(): { simulate: string[]; events: string[]; command: string[] } {
  const sims = families.flatMap((f) => (f.simulation ? [f.simulation] : []));
  // Another list (OpenVPN's learnAddressOps) is not the task's `events`: its values stay out of that enum.
  const values = (type: 'list' | 'choice'): string[] =>
    unique(
      sims.flatMap((s) =>
        s.request.fields.filter((f) => f.type === type && (type === 'choice' || f.name === 'events')).flatMap((f) => f.values ?? []),
      ),
    );
  return { simulate: sims.flatMap((s) => s.taskKinds), events: values('list'), command: values('choice') };
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
  const enums = taskEnums();
  const props = { ...(task.properties as Record<string, Json>) };
  props.simulate = { ...props.simulate, enum: enums.simulate };
  props.events = { ...props.events, items: { ...(props.events.items as Json), enum: enums.events } };
  props.command = { ...props.command, enum: enums.command };
  contributes.taskDefinitions = [{ ...task, properties: props }, ...otherTasks];
  return { ...pkg, activationEvents: activationEvents(), contributes };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
