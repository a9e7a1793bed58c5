import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TargetContext } from '../families/family';
import { listFolder } from '../fileKinds';
import { providedTasks, requestFromTask, resolveTarget } from '../simulate/targets';
import { findFiles } from '../workspace/findFiles';
import {
  CancellationToken,
  CodeLens,
  Connection,
  ErrorCodes,
  ExecuteCommandParams,
  InitializeParams,
  ResponseError,
  TextDocuments,
  WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { recognizeHook } from '../families/registry';
import { Settings } from '../settings';
import { hookLenses, profileLenses, SimulationLens } from '../simulate/lenses';
import { configTypeOf } from '../config/configDocs';
import { parseKeyValue } from '../config/keyValue';
import {
  InitOptions,
  notifications,
  requestPaths,
  serverCommands,
  SimulationOutput,
  SimulationReport,
  SimulationRequest,
  TargetParams,
} from '../protocol';
import { checkSimulationRequest, describeRequest, requestSpecs, simulateChecked, withFamilyDefaults } from '../simulate/simulate';
import { WorkspaceTrust } from './trust';
import { SimulationError } from '../simulate/simulationHooks';
import { keepSpareSandbox } from '../simulate/sandbox/sandbox';
import { hookFileOf } from './hookDocument';
import { localPathOf } from './localPath';
import { textDocumentOf } from './params';

export interface SimulateHost {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  isProfile(doc: TextDocument): boolean;
  /** A file on disk (or open) that is a profile: by its language, hooksmith.profile.files or its root element. */
  isProfileFile(file: string): Promise<boolean>;
  settingsFor(uri: string): Promise<Settings>;
  workspaceFolders(): readonly string[];
  readonly trust: WorkspaceTrust;
  /** "Run test" lenses of a hook test spec; undefined for any other document. */
  specLenses?(doc: TextDocument): CodeLens[] | undefined;
}

const untrustedReason =
  'Simulation runs hook scripts, and this workspace is not trusted (Restricted Mode). Trust the workspace to ' +
  'simulate; validation works without it.';

/** The simulate command (progress, cancellation, streamed output) and the CodeLenses that start it. */
export function attachSimulate(host: SimulateHost) {
  const { connection, documents, trust } = host;
  // A user simulates again and again: after the first dry run a sandbox is started ahead, while the user reads the report.
  keepSpareSandbox(true);
  connection.onShutdown(() => keepSpareSandbox(false));
  let lensCommand: string = serverCommands.simulate;
  let serverProgress = false;
  let lensRefresh = false;
  trust.onChange(() => {
    if (lensRefresh) connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });
  connection.onCodeLens(async (params) => {
    const doc = documents.get(textDocumentOf(params).uri);
    if (!trust.trusted || !doc || !doc.uri.startsWith('file:')) return [];
    const specLenses = host.specLenses?.(doc);
    if (specLenses) return specLenses;
    return lensesOf(doc, await host.settingsFor(doc.uri)).map((l): CodeLens => ({
      range: { start: doc.positionAt(l.start), end: doc.positionAt(l.end) },
      command: { title: l.title, command: lensCommand, arguments: [l.request] },
    }));
  });

  function lensesOf(doc: TextDocument, settings: Settings): SimulationLens[] {
    const file = localPathOf(doc.uri);
    if (file === undefined) return [];
    if (host.isProfile(doc)) return profileLenses(doc.getText(), file);
    const config = configTypeOf(file, doc.getText().slice(0, 8192));
    if (config) return config.type.lenses?.(parseKeyValue(doc.getText(), config.type.syntax), file) ?? [];
    const hook = hookFileOf(doc, documents);
    const recognized = recognizeHook(hook.path, hook.siblings, settings.hooks.families);
    return recognized ? hookLenses(file, recognized) : [];
  }

  async function execute(
    params: ExecuteCommandParams,
    token: CancellationToken,
    workDone: WorkDoneProgressReporter,
  ): Promise<SimulationReport | ResponseError<void>> {
    if (!trust.trusted) return new ResponseError(ErrorCodes.InvalidRequest, untrustedReason);
    let request: SimulationRequest;
    try {
      // Checked as it came (the settings fill only a well-formed request), then with the settings' values: hooksmith.simulate.env is a
      // user's input too.
      request = checkSimulationRequest(await withSettings(checkSimulationRequest(fromUris(params.arguments?.[0])), host));
    } catch (e) {
      return new ResponseError(ErrorCodes.InvalidParams, (e as Error).message);
    }
    const progress = await progressFor(workDone, token);
    const abort = new AbortController();
    const cancelled = [token.onCancellationRequested(() => abort.abort()), progress.token?.onCancellationRequested(() => abort.abort())];
    progress.reporter.begin(`Simulating ${describeRequest(request)}`, undefined, undefined, true);
    try {
      return await simulateChecked(request, {
        signal: abort.signal,
        onRunStart: (_run, label, script) => progress.reporter.report(`${label}: ${script}`),
        onOutput: (run, label, stream, text) => {
          const output: SimulationOutput = { id: request.id, run, label, stream, text };
          void connection.sendNotification(notifications.simulationOutput, output);
        },
      });
    } catch (e) {
      if (e instanceof SimulationError) return new ResponseError(ErrorCodes.InvalidParams, e.message);
      throw e;
    } finally {
      for (const d of cancelled) d?.dispose();
      progress.reporter.done();
    }
  }

  /** The client's own token if it sent one; else a server-created progress when the client supports it. */
  async function progressFor(
    workDone: WorkDoneProgressReporter,
    token: CancellationToken,
  ): Promise<{ reporter: WorkDoneProgressReporter; token?: CancellationToken }> {
    if (!WorkDoneProgressReporter.isNullInstance(workDone) || !serverProgress || token.isCancellationRequested)
      return { reporter: workDone };
    try {
      const created = await connection.window.createWorkDoneProgress();
      return { reporter: created, token: created.token };
    } catch {
      return { reporter: workDone };
    }
  }

  /** What a family's target and task functions may ask: the workspace, as the server sees it. */
  const targetContext = (): TargetContext => {
    const roots = host.workspaceFolders();
    return {
      roots,
      relative: (file) => {
        const root = roots.find((r) => file.startsWith(r + path.sep));
        return root ? path.relative(roots.length > 1 ? path.dirname(root) : root, file) : file;
      },
      resolve: (p) => (typeof p === 'string' && p ? path.resolve(roots[0] ?? '', p) : undefined),
      isProfile: host.isProfileFile,
      recognize: async (file) =>
        recognizeHook(file, listFolder(path.dirname(file)), (await host.settingsFor(pathToFileURL(file).toString())).hooks.families),
      findFiles: (accept, max) => findFiles(roots, accept, max),
    };
  };

  /** The commands that lead up to a simulation: its target, the ready tasks, a task read as a request. */
  async function prepare(command: string, args: readonly unknown[]): Promise<unknown> {
    if (command === serverCommands.simulationTasks) return providedTasks(targetContext());
    if (command === serverCommands.taskRequest)
      return requestFromTask(isObject(args[0]) ? args[0] : {}, typeof args[1] === 'string' ? args[1] : undefined);
    const params = args[0];
    if (!isObject(params) || typeof params.command !== 'string')
      return new ResponseError(ErrorCodes.InvalidParams, '"command" must be a string.');
    return resolveTarget(params as unknown as TargetParams, targetContext());
  }

  return {
    command: serverCommands.simulate,
    /** Commands prepare() answers. */
    preparing: [serverCommands.simulationTarget, serverCommands.simulationTasks, serverCommands.taskRequest] as readonly string[],
    prepare,
    initialize(params: InitializeParams): void {
      const options = (params.initializationOptions ?? {}) as InitOptions;
      if (typeof options.simulateLensCommand === 'string' && options.simulateLensCommand) lensCommand = options.simulateLensCommand;
      serverProgress = params.capabilities.window?.workDoneProgress === true;
      lensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    },
    execute,
  };
}

/** Clients may send file: URIs where paths are expected (any family's path fields). */
function fromUris(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of requestSpecs().flatMap((spec) => spec.fields.filter((f) => f.type === 'path').map((f) => f.name))) {
    const v = copy[key];
    if (typeof v === 'string' && v.startsWith('file:')) copy[key] = localPathOf(v) ?? '';
  }
  return copy;
}

/** Fields the request leaves out come from the hooksmith.simulate settings of the file it is about. */
async function withSettings(req: SimulationRequest, host: SimulateHost): Promise<SimulationRequest> {
  const [about] = requestPaths(
    req,
    requestSpecs().find((s) => s.kind === req.kind),
  );
  const { simulate: s, hooks } = await host.settingsFor(about ? pathToFileURL(about).toString() : '');
  // The sandbox's isolation and limits are the server's settings (machine-overridable): no client sends them.
  const base = { ...withFamilyDefaults(req, s), isolation: req.isolation ?? s.isolation, limits: req.limits ?? s.limits };
  // Config paths are looked up as the linter looks them up: under the workspace folders, not the server's working folder.
  const roots = host.workspaceFolders();
  return { ...base, roots, serverPaths: req.serverPaths ?? localServerPaths(hooks.serverPaths, about, roots) };
}

/** hooksmith.hooks.serverPaths with its local folders made absolute: relative ones are the workspace folder's that holds `about`. */
export function localServerPaths(
  paths: Readonly<Record<string, string>>,
  about: string | undefined,
  folders: readonly string[],
): Record<string, string> {
  const root = folders.find((f) => about !== undefined && about.startsWith(f + path.sep)) ?? folders[0] ?? (about && path.dirname(about));
  return Object.fromEntries(Object.entries(paths).map(([dir, local]) => [dir, root ? path.resolve(root, local) : local]));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
