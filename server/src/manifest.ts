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
    ...familyCommands().map(({ command: c }) => ({ command: c.command, title: c.title, category, ...(c.editorTitle ? { icon: '$(play)' } : {}) })),
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
    'editor/title': placed.filter((p) => p.command.editorTitle).map((p) => ({ command: p.command.command, when: when(p, 'editor'), group: 'navigation@50' })),
    'explorer/context': placed.filter((p) => p.command.explorer).map((p) => ({ command: p.command.command, when: when(p, 'explorer'), group: p.command.explorer?.group })),
  };
}

/** The task definition's enums: what `simulate` takes, and each list and choice field's values. */
export function taskEnums(): { simulate: string[]; events: string[]; command: string[] } {
  const sims = families.flatMap((f) => (f.simulation ? [f.simulation] : []));
  const values = (type: 'list' | 'choice'): string[] => unique(sims.flatMap((s) => s.request.fields.filter((f) => f.type === type).flatMap((f) => f.values ?? [])));
  return { simulate: sims.flatMap((s) => s.taskKinds), events: values('list'), command: values('choice') };
}

/** package.json with every generated part replaced; the rest as it was. */
export function applyManifest(pkg: Json): Json {
  const contributes = { ...(pkg.contributes as Json) };
  contributes.commands = commands();
  contributes.menus = menus();
  contributes.configuration = manifestConfiguration();
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
