import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { editorsMissing } from '../helpers/editors';

/** One message on the wire between Helix and a language server, as Helix's log (`-v`) records it. */
export interface WireMessage {
  /** `->` Helix to the server, `<-` the server to Helix. */
  dir: '->' | '<-';
  msg: { id?: number; method?: string; params?: unknown; result?: unknown };
}

/** The messages of language server `name` in Helix's log, in order (a line still being written is left out). */
export function wire(log: string, name: string): WireMessage[] {
  const out: WireMessage[] = [];
  const line = new RegExp(`helix_lsp::transport \\[INFO\\] ${name} (->|<-) (\\{.*\\})$`, 'gm');
  for (const m of log.matchAll(line)) {
    try {
      out.push({ dir: m[1] as '->' | '<-', msg: JSON.parse(m[2]) as WireMessage['msg'] });
    } catch {
      // cut short: Helix is writing it
    }
  }
  return out;
}

/** What a terminal would print, without its control sequences (CSI, OSC, charset and mode switches). */
export function visibleText(raw: string): string {
  return raw
    .replace(/\x1b\[[0-9;?<>=]*[ -/]*[@-~]/g, '')
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    .replace(/\x1b[()][A-Za-z0-9]|\x1b[=>78DEHMNOc]/g, '');
}

export interface HelixSession {
  /** Types `keys` as a user at the terminal does. */
  type(keys: string): void;
  /** Everything Helix has drawn so far, as text; `from` skips what was drawn before a mark(). */
  screen(from?: number): string;
  /** A position in the screen's text, for screen(from). */
  mark(): number;
  /** Helix's log so far. */
  log(): string;
  /** Resolves once `ready()` holds (checked every 50 ms); rejects after the session's timeout, saying `what`. */
  until(what: string, ready: () => boolean, retry?: { everyMs: number; type: string }): Promise<void>;
  /** Resolves to Helix's exit status once it has quit. */
  readonly exited: Promise<number | null>;
  /** Ends the terminal (Helix gets SIGHUP with it), should the test fail half-way. */
  close(): void;
}

/**
 * Starts Helix (`hx`, a wrapper from scripts/ensure-editors.mjs) on `file` in a pseudo-terminal of
 * 200 x 50 (util-linux `script`: node has no pty of its own), logging at `-v` to `logFile`, in `cwd`
 * with `env` (where HOME, XDG_CONFIG_HOME and PATH say which config and server it finds).
 */
export function startHelix(opts: {
  hx: string;
  cwd: string;
  file: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  timeoutMs: number;
}): HelixSession {
  if (!fs.existsSync(opts.hx)) throw new Error(`${opts.hx} is missing: ${editorsMissing}`);
  const q = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;
  const inner = `stty rows 50 cols 200 && exec ${q(opts.hx)} -v --log ${q(opts.logFile)} ${q(opts.file)}`;
  const child = spawn('script', ['-qfec', inner, '/dev/null'], {
    cwd: opts.cwd,
    env: { ...opts.env, TERM: 'xterm-256color' },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let raw = '';
  let text = '';
  child.stdout.on('data', (b: Buffer) => {
    raw += b.toString();
    text = visibleText(raw);
  });
  child.stderr.on('data', (b: Buffer) => (raw += b.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (e) => reject(new Error(`cannot run script (util-linux) for Helix's terminal: ${e.message}`)));
    child.on('close', (code) => resolve(code));
  });
  exited.catch(() => undefined);
  let done = false;
  void exited.then(() => (done = true));
  const log = (): string => (fs.existsSync(opts.logFile) ? fs.readFileSync(opts.logFile, 'utf8') : '');
  const session: HelixSession = {
    type: (keys) => void child.stdin.write(keys),
    screen: (from = 0) => text.slice(from),
    mark: () => text.length,
    log,
    exited,
    until: (what, ready, retry) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + opts.timeoutMs;
        let nextRetry = retry ? Date.now() + retry.everyMs : Infinity;
        const poll = (): void => {
          if (ready()) return resolve();
          if (done || Date.now() > deadline) {
            const why = done ? 'Helix ended first' : `not within ${opts.timeoutMs} ms`;
            return reject(new Error(`${what}: ${why}; screen: ${text.slice(-3000)}\nlog: ${log().slice(-3000)}`));
          }
          if (retry && Date.now() >= nextRetry) {
            session.type(retry.type);
            nextRetry = Date.now() + retry.everyMs;
          }
          setTimeout(poll, 50);
        };
        poll();
      }),
    close: () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
  return session;
}
