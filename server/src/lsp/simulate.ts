import { pathToFileURL } from 'node:url';
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
import { simulateCommand, SimulationOutput, simulationOutputNotification, SimulationReport, SimulationRequest } from '../simulate/protocol';
import { checkRequest } from '../simulate/request';
import { simulate } from '../simulate/simulate';
import { SimulationError } from '../simulate/simulationHooks';
import { hookFileOf } from './hookDocument';
import { localPathOf } from './localPath';
import { textDocumentOf } from './params';
import { WorkspaceTrust } from './trust';

/** What the client may say in initializationOptions. */
interface InitOptions {
  /** false in an untrusted (Restricted Mode) workspace: hooks are never run there. */
  readonly workspaceTrusted?: boolean;
  /** The client's own command for CodeLenses (it shows progress and a result view); default the server command. */
  readonly simulateLensCommand?: string;
}

export interface SimulateHost {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  isProfile(doc: TextDocument): boolean;
  settingsFor(uri: string): Promise<Settings>;
  readonly trust: WorkspaceTrust;
}

const untrustedReason = 'Simulation runs hook scripts, and this workspace is not trusted (Restricted Mode). Trust the workspace to simulate; validation works without it.';

/** The simulate command (progress, cancellation, streamed output) and the CodeLenses that start it. */
export function attachSimulate(host: SimulateHost) {
  const { connection, documents, trust } = host;
  let lensCommand = simulateCommand;
  let serverProgress = false;
  let lensRefresh = false;
  trust.onChange(() => {
    if (lensRefresh) connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });
  connection.onCodeLens(async (params) => {
    const doc = documents.get(textDocumentOf(params).uri);
    if (!trust.trusted || !doc || !doc.uri.startsWith('file:')) return [];
    return lensesOf(doc, await host.settingsFor(doc.uri)).map((l): CodeLens => ({
      range: { start: doc.positionAt(l.start), end: doc.positionAt(l.end) },
      command: { title: l.title, command: lensCommand, arguments: [l.request] },
    }));
  });

  function lensesOf(doc: TextDocument, settings: Settings): SimulationLens[] {
    const file = localPathOf(doc.uri);
    if (file === undefined) return [];
    if (host.isProfile(doc)) return profileLenses(doc.getText(), file);
    const hook = hookFileOf(doc, documents);
    const recognized = recognizeHook(hook.path, hook.siblings, settings.hooks.families);
    return recognized ? hookLenses(file, recognized) : [];
  }

  async function execute(params: ExecuteCommandParams, token: CancellationToken, workDone: WorkDoneProgressReporter): Promise<SimulationReport | ResponseError<void>> {
    if (!trust.trusted) return new ResponseError(ErrorCodes.InvalidRequest, untrustedReason);
    let request: SimulationRequest;
    try {
      request = await withSettings(checkRequest(fromUris(params.arguments?.[0])), host);
    } catch (e) {
      return new ResponseError(ErrorCodes.InvalidParams, (e as Error).message);
    }
    const progress = await progressFor(workDone, token);
    const abort = new AbortController();
    const cancelled = [token.onCancellationRequested(() => abort.abort()), progress.token?.onCancellationRequested(() => abort.abort())];
    progress.reporter.begin(titleOf(request), undefined, undefined, true);
    try {
      return await simulate(request, {
        signal: abort.signal,
        onRunStart: (_run, label, script) => progress.reporter.report(`${label}: ${script}`),
        onOutput: (run, label, stream, text) => {
          const output: SimulationOutput = { id: request.id, run, label, stream, text };
          void connection.sendNotification(simulationOutputNotification, output);
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
  async function progressFor(workDone: WorkDoneProgressReporter, token: CancellationToken): Promise<{ reporter: WorkDoneProgressReporter; token?: CancellationToken }> {
    if (!WorkDoneProgressReporter.isNullInstance(workDone) || !serverProgress || token.isCancellationRequested) return { reporter: workDone };
    try {
      const created = await connection.window.createWorkDoneProgress();
      return { reporter: created, token: created.token };
    } catch {
      return { reporter: workDone };
    }
  }

  return {
    command: simulateCommand,
    initialize(params: InitializeParams): void {
      const options = (params.initializationOptions ?? {}) as InitOptions;
      if (typeof options.simulateLensCommand === 'string' && options.simulateLensCommand) lensCommand = options.simulateLensCommand;
      serverProgress = params.capabilities.window?.workDoneProgress === true;
      lensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    },
    execute,
  };
}

function titleOf(r: SimulationRequest): string {
  return r.kind === 'shorewall' ? `Simulating shorewall ${r.command}` : `Simulating ${r.events.join(' then ')}`;
}

/** Clients may send file: URIs where paths are expected. */
function fromUris(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of ['profile', 'scripts', 'script', 'confdir']) {
    const v = copy[key];
    if (typeof v === 'string' && v.startsWith('file:')) copy[key] = localPathOf(v) ?? '';
  }
  return copy;
}

/** Fields the request leaves out come from the hooksmith.simulate settings of the file it is about. */
async function withSettings(req: SimulationRequest, host: SimulateHost): Promise<SimulationRequest> {
  const about = req.kind === 'shorewall' ? req.confdir : (req.profile ?? req.script ?? req.scripts);
  const { simulate: s } = await host.settingsFor(about ? pathToFileURL(about).toString() : '');
  const common = {
    timeoutMs: req.timeoutMs ?? s.timeoutSeconds * 1000, graceMs: req.graceMs ?? s.graceMs, env: { ...s.env, ...req.env },
    isolation: req.isolation ?? s.isolation, limits: req.limits ?? s.limits,
  };
  return req.kind === 'shorewall' ? { ...req, ...common } : { ...req, ...common, gapMs: req.gapMs ?? s.gapMs };
}
