// The bundled server on raw stdio: the test writes bytes (well framed or not) and reads the
// server's frames itself, so nothing between them repairs or rejects a malformed message.
import { ChildProcess, spawn } from 'node:child_process';
import { serverPath } from '../../helpers/lspClient';

/** A JSON-RPC message as the server sent it. */
export interface Message {
  readonly jsonrpc?: string;
  readonly id?: number | string | null;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string };
}

/** A frame around `body`; `length` overrides the Content-Length header (to lie about it). */
export function frame(body: string | Buffer, length?: number | string): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from(`Content-Length: ${length ?? bytes.length}\r\n\r\n`, 'ascii'), bytes]);
}

export const message = (m: object): Buffer => frame(JSON.stringify({ jsonrpc: '2.0', ...m }));

type Waiter = {
  readonly match: (m: Message) => boolean;
  readonly resolve: (m: Message) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
};

export class RawServer {
  readonly messages: Message[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private pending = Buffer.alloc(0);
  private readonly waiters = new Set<Waiter>();
  private nextId = 1;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => this.read(chunk));
    child.stderr!.on('data', (chunk: Buffer) => void (this.stderr += chunk.toString('utf8')));
    child.stdin!.on('error', () => undefined); // EPIPE once the server is gone; the exit is what the tests check
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    void this.exited.then(({ code, signal }) => {
      for (const w of this.waiters) w.reject(new Error(`the server exited (${code ?? signal}); stderr: ${this.stderr}`));
      this.waiters.clear();
    });
  }

  /** Spawns the server (argv as an array, no shell) and initializes it. */
  static async start(): Promise<RawServer> {
    const server = new RawServer(spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] }));
    await server.request('initialize', { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {} });
    server.send(message({ method: 'initialized', params: {} }));
    return server;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  send(bytes: Buffer | string): void {
    this.child.stdin!.write(bytes);
  }

  /** Sends, and resolves once the bytes are in the pipe: the server has read all but the pipe's buffer of them. */
  sendAll(bytes: Buffer | string): Promise<void> {
    return new Promise((resolve, reject) => this.child.stdin!.write(bytes, (e) => (e ? reject(e) : resolve())));
  }

  /** Sends a request with a fresh id and resolves with its response (a result or an error). */
  request(method: string, params?: unknown, timeoutMs?: number): Promise<Message> {
    const id = this.nextId++;
    const response = this.next((m) => m.id === id && m.method === undefined, timeoutMs);
    this.send(message({ id, method, params }));
    return response;
  }

  /** The next message from the server that satisfies `match`; register it before sending what triggers it. */
  next(match: (m: Message) => boolean, timeoutMs = 10_000): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = { match, resolve, reject, timer };
      this.waiters.add(waiter);
    });
  }

  /** Ends the server's stdin, as a client that goes away does; resolves with how it exited and how long that took. */
  async endInput(deadlineMs = 5_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const started = Date.now();
    const kill = setTimeout(() => this.child.kill('SIGKILL'), deadlineMs);
    this.child.stdin!.end();
    const how = await this.exited;
    clearTimeout(kill);
    return { ...how, ms: Date.now() - started };
  }

  private read(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    for (;;) {
      const headerEnd = this.pending.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.pending.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (this.pending.length < headerEnd + 4 + length) return;
      const body = this.pending.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.pending = this.pending.subarray(headerEnd + 4 + length);
      this.deliver(JSON.parse(body) as Message);
    }
  }

  private deliver(m: Message): void {
    this.messages.push(m);
    for (const w of [...this.waiters]) {
      if (!w.match(m)) continue;
      this.waiters.delete(w);
      clearTimeout(w.timer);
      w.resolve(m);
    }
  }
}

/** How long a request may take before the test concludes it waits for more input (a negative check). */
export const stallMs = 400;

/**
 * Sends an ignored notification each time `answer` has not come within `stallMs`, until it comes
 * (a nudge that arrives in the same chunk as the stuck frame does not help, the next one does).
 * Returns how many nudges it took. A loaded machine only costs more nudges: it gives up after a minute.
 */
export async function nudgeUntil(server: RawServer, answer: Promise<unknown>): Promise<number> {
  let answered = false;
  void answer.then(
    () => (answered = true),
    () => undefined,
  );
  for (let nudges = 0; nudges < 150; nudges++) {
    await Promise.race([answer, new Promise((resolve) => setTimeout(resolve, stallMs))]);
    if (answered) return nudges;
    server.send(message({ method: '$/hooksmith/nudge' })); // an unknown $/ notification: ignored
  }
  throw new Error(`still unanswered after 150 nudges`);
}
