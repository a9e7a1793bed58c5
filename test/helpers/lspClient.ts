import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  CodeAction,
  CodeActionRequest,
  CompletionItem,
  CompletionRequest,
  createProtocolConnection,
  Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DocumentSymbol,
  DocumentSymbolRequest,
  ExecuteCommandRequest,
  ExitNotification,
  FoldingRange,
  FoldingRangeRequest,
  Hover,
  HoverRequest,
  InitializeRequest,
  InitializeResult,
  InitializedNotification,
  Position,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentContentChangeEvent,
  WorkspaceEditClientCapabilities,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TraceEvent, testTraceNotification, testTraceVariable } from '../../server/src/lsp/testTrace';
import { serverCommands, SimulationReport } from '../../server/src/protocol';
import { applyWorkspaceEdit } from './workspaceEdit';

/** What VS Code declares: versioned edits with file create, rename and delete. */
export const vscodeWorkspaceEdit: WorkspaceEditClientCapabilities = {
  documentChanges: true,
  resourceOperations: ['create', 'rename', 'delete'],
};

export const serverPath = path.resolve(__dirname, '../../../dist/server.js');

export interface StartOptions {
  readonly initializationOptions?: unknown;
  /** Declare window.workDoneProgress: the server may create progress of its own. */
  readonly workDoneProgress?: boolean;
  /** The server's command line (default: node dist/server.js --stdio). */
  readonly command?: readonly [string, ...string[]];
  /** The server's environment and working folder (PATH with `.` in it, for the ShellCheck tests). */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Declare window.showDocument (as VS Code does): the server's requests land in `shownDocuments`. */
  readonly showDocument?: boolean;
  /** The settings the client answers with from the first request on (the workspace scan asks at start-up). */
  readonly settings?: Record<string, unknown>;
}

type Waiter = { match: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void; fail: (e: Error) => void };
type SettleWaiter = { check: () => boolean; resolve: () => void; fail: (e: Error) => void };

/**
 * A real LSP client over stdio for the bundled server. Every wait is on an event (a
 * publishDiagnostics that matches, or the server's test-only trace) with a deadline; nothing sleeps.
 */
export class LspClient {
  readonly published: PublishDiagnosticsParams[] = [];
  settings: Record<string, unknown> = {};
  private readonly waiters = new Set<Waiter>();
  /** The server's test-only trace (server/src/lsp/testTrace.ts), in the order it came. */
  readonly traces: TraceEvent[] = [];
  /** Per uri: the opens, changes, saves and validate commands sent, each of which the trace answers once. */
  private readonly triggers = new Map<string, number>();
  private readonly settleWaiters = new Set<SettleWaiter>();
  /** The server's answer to initialize. */
  initializeResult: InitializeResult | undefined;
  /** Resolves with the exit code when the server process exits, for whatever reason. */
  readonly exited: Promise<number | null>;

  private constructor(
    private readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
    // A dead server publishes nothing more: waits fail now rather than at their deadline.
    void this.exited.then((code) => {
      for (const w of this.waiters) w.fail(new Error(`the server exited (${code}) before the diagnostics came`));
      this.waiters.clear();
      const how = code === null ? `killed by ${process.signalCode}` : `exit code ${code}`;
      for (const w of this.settleWaiters) w.fail(new Error(`the server died (${how}) while the test waited for its work to settle`));
      this.settleWaiters.clear();
    });
    connection.onNotification(testTraceNotification, (e: TraceEvent) => {
      this.traces.push(e);
      for (const w of [...this.settleWaiters]) {
        if (w.check()) {
          this.settleWaiters.delete(w);
          w.resolve();
        }
      }
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      for (const w of [...this.waiters]) {
        if (w.match(p)) {
          this.waiters.delete(w);
          w.resolve(p);
        }
      }
    });
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.settings));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/showDocument', (params: { uri: string }) => {
      this.shownDocuments.push(params.uri);
      return { success: true };
    });
  }

  /** The URIs the server asked this client to show (window/showDocument), in order. */
  readonly shownDocuments: string[] = [];

  /** The documents this client has open, as the server should see them. */
  readonly documents = new Map<string, TextDocument>();

  /** `pullConfiguration: false` plays a client that cannot answer workspace/configuration and pushes settings instead. */
  static async start(
    workspaceFolder?: string,
    workspaceEdit = vscodeWorkspaceEdit,
    pullConfiguration = true,
    extra: StartOptions = {},
  ): Promise<LspClient> {
    const [command, ...args] = extra.command ?? [process.execPath, serverPath, '--stdio'];
    // The test-only trace lets settled() wait for events instead of for a quiet spell.
    const env = { ...(extra.env ?? process.env), [testTraceVariable]: '1' };
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], env, cwd: extra.cwd });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.listen();
    const client = new LspClient(child, connection);
    if (extra.settings) client.settings = extra.settings;
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: workspaceFolder ? [{ uri: `file://${workspaceFolder}`, name: 'ws' }] : null,
      capabilities: {
        workspace: { configuration: pullConfiguration, didChangeConfiguration: { dynamicRegistration: pullConfiguration }, workspaceEdit },
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true } },
        window: {
          ...(extra.workDoneProgress ? { workDoneProgress: true } : {}),
          ...(extra.showDocument ? { showDocument: { support: true } } : {}),
        },
      },
      initializationOptions: extra.initializationOptions,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  open(uri: string, text: string, version = 1, languageId = 'anyconnect-profile'): Promise<void> {
    this.triggered(uri);
    this.documents.set(uri, TextDocument.create(uri, languageId, version, text));
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version, text },
    });
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    const doc = this.documents.get(uri);
    if (doc) TextDocument.update(doc, changes, version);
    this.triggered(uri);
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  save(uri: string): Promise<void> {
    this.triggered(uri);
    return this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  close(uri: string): Promise<void> {
    this.documents.delete(uri);
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Tells the server settings changed; `settings` is pushed with it (for clients that do not pull). */
  configurationChanged(settings: unknown = null): Promise<void> {
    return this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
  }

  /** A dry run of a config's scripts through the server's simulate command, as a CodeLens starts one; shims unless `request` says. */
  simulateConfig(kind: string, events: string[], config: string, request: Record<string, unknown> = {}): Promise<SimulationReport> {
    return this.executeCommand(serverCommands.simulate, {
      kind,
      events,
      config,
      isolation: 'shims',
      ...request,
    }) as Promise<SimulationReport>;
  }

  executeCommand(command: string, ...args: unknown[]): Promise<unknown> {
    if (command === serverCommands.validate && typeof args[0] === 'string' && this.documents.has(args[0])) this.triggered(args[0]);
    return this.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  /** The code actions the server offers for these diagnostics of `uri` (over their range, as VS Code asks). */
  async codeActions(uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const result = await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
    return (result ?? []).filter((a): a is CodeAction => typeof a.command !== 'string'); // a bare Command has a string command
  }

  /** Runs a code action as VS Code does: its edit first (see workspaceEdit.ts), then its command; returns the command's result. */
  async applyCodeAction(action: CodeAction): Promise<unknown> {
    if (action.edit) {
      await applyWorkspaceEdit(action.edit, {
        get: (uri) => this.documents.get(uri),
        setText: (uri, text) => {
          const doc = this.documents.get(uri)!;
          return this.change(uri, doc.version + 1, [{ text }]);
        },
        moved: async (from, to) => {
          const doc = this.documents.get(from)!;
          await this.close(from);
          await this.open(to, doc.getText(), 1, doc.languageId);
        },
      });
    }
    return action.command ? this.executeCommand(action.command.command, ...(action.command.arguments ?? [])) : undefined;
  }

  /** The completion items at `position` (a list or an incomplete list, flattened). */
  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result = await this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    return Array.isArray(result) ? result : (result?.items ?? []);
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async documentSymbols(uri: string): Promise<DocumentSymbol[]> {
    const result = await this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    return (result ?? []).filter((s): s is DocumentSymbol => 'selectionRange' in s);
  }

  async foldingRanges(uri: string): Promise<FoldingRange[]> {
    return (await this.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } })) ?? [];
  }

  /** The next publish for `uri` that satisfies `match`; register it before sending what triggers it. */
  diagnostics(
    uri: string,
    match: (d: Diagnostic[], version?: number) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match: (p) => p.uri === uri && match(p.diagnostics, p.version),
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
        fail: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(
          new Error(
            `no matching diagnostics for ${uri} within ${timeoutMs} ms; got ` +
              `${JSON.stringify(this.published.filter((p) => p.uri === uri).slice(-3))}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Diagnostics for the given version of `uri`, already received or still to come. */
  forVersion(uri: string, version: number, timeoutMs?: number): Promise<PublishDiagnosticsParams> {
    const seen = this.published.find((p) => p.uri === uri && p.version === version);
    return seen ? Promise.resolve(seen) : this.diagnostics(uri, (_, v) => v === version, timeoutMs);
  }

  /**
   * A negative check without a quiet spell: true if nothing is published for `uri` from now until
   * the server's test-only trace says the work this client caused on it has settled (settled()).
   * A server that dies meanwhile fails it, rather than passing it for having said nothing.
   */
  async nothingPublished(uri: string): Promise<boolean> {
    const from = this.published.length;
    await this.settled(uri);
    return !this.published.slice(from).some((p) => p.uri === uri);
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  private triggered(uri: string): void {
    this.triggers.set(uri, (this.triggers.get(uri) ?? 0) + 1);
  }

  /**
   * Resolves once the server has settled all the work this client caused on `uri` (its opens,
   * changes, saves and validate commands): each validation and each ShellCheck run published,
   * dropped or found unwanted, by the server's test-only trace. After it, nothing more is coming
   * for `uri` unless something else triggers it. Fails at once, saying so, if the server dies.
   */
  settled(uri: string, timeoutMs = 60_000): Promise<void> {
    const count = (event: TraceEvent['event']): number => this.traces.filter((e) => e.event === event && e.uri === uri).length;
    const wanted = (): number => this.triggers.get(uri) ?? 0;
    const check = (): boolean => count('validated') >= wanted() && count('shellcheckSettled') >= wanted();
    if (!this.alive)
      return Promise.reject(new Error(`the server is not running (exit code ${this.process.exitCode}, signal ${this.process.signalCode})`));
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settleWaiters.delete(waiter);
        const got = `${count('validated')} validations and ${count('shellcheckSettled')} ShellCheck runs of ${wanted()}`;
        reject(new Error(`the work on ${uri} did not settle within ${timeoutMs} ms: ${got} traced`));
      }, timeoutMs);
      const waiter: SettleWaiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        fail: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.settleWaiters.add(waiter);
    });
  }

  /** What was published for `uri` after `since` (a publish this client received), in order. */
  publishedAfter(uri: string, since: PublishDiagnosticsParams): PublishDiagnosticsParams[] {
    return this.published.slice(this.published.lastIndexOf(since) + 1).filter((p) => p.uri === uri);
  }

  /** The server's pid, for tests that measure it or find the processes it started. */
  get pid(): number {
    return this.process.pid as number;
  }

  async stop(): Promise<number | null> {
    const exited = this.exited; // already settled if the server died: stop() must not wait for an exit that happened
    // A loaded machine (several test files at once, beside other work) can delay a clean exit by
    // seconds; a server that never exits still fails, with null.
    const kill = setTimeout(() => this.process.kill('SIGKILL'), 20_000);
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      this.process.kill('SIGKILL');
    }
    const code = await exited;
    clearTimeout(kill);
    this.connection.dispose();
    return code;
  }
}
