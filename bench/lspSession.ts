/** A minimal LSP client over stdio for the bundled server, enough to time diagnostics. */
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

export interface Published {
  readonly params: PublishDiagnosticsParams;
  /** performance.now() when the notification arrived. */
  readonly at: number;
}

interface Waiter {
  readonly resolve: (p: Published) => void;
  readonly reject: (e: Error) => void;
}

const key = (uri: string, version: number | undefined): string => `${uri}#${version}`;

export class LspSession {
  private readonly arrived = new Map<string, Published>();
  private readonly waiters = new Map<string, Waiter>();
  private stderr = '';
  private exited = false;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly connection: ProtocolConnection,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.onPublish({ params, at: performance.now() }));
    // Null-ish settings: the server falls back to its defaults.
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    connection.onRequest('client/registerCapability', () => null);
    child.stderr.on('data', (chunk: Buffer) => void (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    child.on('exit', (code, signal) => this.onExit(`server exited (code ${code}, signal ${signal})`));
  }

  /** Spawns `node server --stdio` and completes the initialize handshake. */
  static async start(serverPath: string, timeoutMs: number): Promise<LspSession> {
    const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: 'pipe' });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    const session = new LspSession(child, connection);
    const init = connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    });
    await session.deadline(init, timeoutMs, 'initialize');
    await connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  open(uri: string, text: string): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'anyconnect-profile', version: 1, text },
    });
  }

  change(uri: string, version: number, change: TextDocumentContentChangeEvent): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [change] });
  }

  /** The publishDiagnostics for exactly this version of `uri`, already arrived or still to come. */
  diagnosticsFor(uri: string, version: number, timeoutMs: number): Promise<Published> {
    const k = key(uri, version);
    const seen = this.arrived.get(k);
    if (seen) return Promise.resolve(seen);
    const wait = new Promise<Published>((resolve, reject) => this.waiters.set(k, { resolve, reject }));
    return this.deadline(wait, timeoutMs, `diagnostics for version ${version}`).finally(() => this.waiters.delete(k));
  }

  /** shutdown + exit; the process is killed if it does not end within `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    try {
      if (this.exited) return;
      await this.deadline(this.connection.sendRequest(ShutdownRequest.type), timeoutMs, 'shutdown');
      await this.connection.sendNotification(ExitNotification.type);
      await this.deadline(this.exitPromise(), timeoutMs, 'exit');
    } finally {
      this.kill();
    }
  }

  kill(): void {
    this.connection.dispose();
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private onPublish(p: Published): void {
    const k = key(p.params.uri, p.params.version);
    this.arrived.set(k, p);
    this.waiters.get(k)?.resolve(p);
  }

  private onExit(why: string): void {
    this.exited = true;
    for (const w of this.waiters.values()) w.reject(new Error(`${why}; stderr: ${this.stderr}`));
  }

  private exitPromise(): Promise<void> {
    return this.exited ? Promise.resolve() : new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  /** `promise`, or a rejection after `ms`. */
  private deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}; server stderr: ${this.stderr}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
