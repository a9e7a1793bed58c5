import * as fs from 'node:fs';
import * as path from 'node:path';
import { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { HookFile } from '../families/family';
import { recognizeHook } from '../families/registry';
import { capDiagnostics } from '../lsp/capDiagnostics';
import { localPathOf } from '../lsp/localPath';
import { Settings } from '../settings';
import { checkPlan, CheckResult } from './check';
import { configShellcheckPlan, configTypeOf } from '../config/configDocs';
import { loadShellParser } from '../shell/parser';
import { shellcheckPlan, ShellcheckPlan } from './plan';
import { untrustedShellcheck } from './locate';

/** What the runner needs from the server. */
export interface ShellcheckHost {
  document(uri: string): TextDocument | undefined;
  settings(uri: string): Promise<Settings>;
  hookFile(doc: TextDocument): HookFile;
  isProfile(doc: TextDocument): boolean;
  /** Replaces the document's ShellCheck diagnostics. */
  publish(uri: string, diagnostics: Diagnostic[], version: number): void;
  log(message: string): void;
  /** false in an untrusted (Restricted Mode) workspace: only a ShellCheck on PATH outside the workspace runs there. */
  trusted(): boolean;
  /** The workspace folders (local paths). */
  workspaceFolders(): readonly string[];
}

export interface RunnerOptions {
  readonly debounceMs?: number;
  readonly timeoutMs?: number;
  readonly onSpawn?: (uri: string, pid: number) => void;
}

export type Trigger = 'open' | 'change' | 'save' | 'command';

/** How a request ended: published (diagnostics, possibly none), or why nothing was published. */
export type Outcome = 'published' | 'skipped' | 'superseded' | 'stale' | 'missing' | 'timeout' | 'failed';

interface Run {
  readonly version: number;
  readonly abort: AbortController;
  readonly done: Promise<Outcome>;
}

/**
 * Runs ShellCheck off the keystroke path: on open and save at once, after a pause in typing
 * (onType), on the validate command in manual mode. One run per document: a newer version
 * kills the older run's process group, and a result for a version that is no longer current
 * is dropped.
 */
export class ShellcheckRunner {
  private readonly debounceMs: number;
  private readonly timeoutMs: number;
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; resolve: (o: Outcome) => void }>();
  private readonly running = new Map<string, Run>();
  /** Executables found missing since the last configuration change: logged once, not retried. */
  private readonly missing = new Set<string>();
  private readonly failures = new Set<string>();
  /** Documents that have ShellCheck diagnostics on screen. */
  private readonly shown = new Set<string>();

  constructor(
    private readonly host: ShellcheckHost,
    private readonly opts: RunnerOptions = {},
  ) {
    this.debounceMs = opts.debounceMs ?? 800;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  async trigger(doc: TextDocument, trigger: Trigger): Promise<Outcome> {
    const settings = await this.host.settings(doc.uri);
    if (!settings.shellcheck.enable) {
      this.stopPending(doc.uri);
      this.kill(doc.uri);
      return this.withdraw(doc.uri);
    }
    const { run } = settings.validate;
    if (trigger === 'command') return this.start(doc.uri);
    if (run === 'manual' || (trigger === 'change' && run !== 'onType')) return 'skipped';
    return trigger === 'change' ? this.debounce(doc.uri) : this.start(doc.uri);
  }

  /** The document closed: its run is killed and its diagnostics forgotten (the store clears them). */
  cancel(uri: string): void {
    this.stopPending(uri);
    this.kill(uri);
    this.shown.delete(uri);
  }

  /** A new path or a re-enabled setting: missing executables are tried again and every open document is re-checked. */
  configurationChanged(docs: readonly TextDocument[]): Promise<Outcome[]> {
    this.missing.clear();
    this.failures.clear();
    return Promise.all(
      docs.map((doc) => {
        this.kill(doc.uri);
        return this.trigger(doc, 'open');
      }),
    );
  }

  dispose(): void {
    for (const uri of [...this.pending.keys()]) this.stopPending(uri);
    for (const uri of [...this.running.keys()]) this.kill(uri);
  }

  private debounce(uri: string): Promise<Outcome> {
    this.stopPending(uri);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(uri);
        void this.start(uri).then(resolve);
      }, this.debounceMs);
      this.pending.set(uri, { timer, resolve });
    });
  }

  private stopPending(uri: string): void {
    const pending = this.pending.get(uri);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(uri);
    pending.resolve('superseded');
  }

  private kill(uri: string): void {
    this.running.get(uri)?.abort.abort();
    this.running.delete(uri);
  }

  private async start(uri: string): Promise<Outcome> {
    this.stopPending(uri);
    const open = this.host.document(uri);
    if (!open) return 'skipped';
    const doc = snapshot(open);
    const current = this.running.get(uri);
    if (current?.version === doc.version) return current.done; // this text is being checked already
    this.kill(uri);
    const abort = new AbortController();
    const done = this.check(doc, abort.signal).catch((e: unknown) => this.failed(doc, e instanceof Error ? e.message : String(e)));
    const run: Run = { version: doc.version, abort, done };
    this.running.set(uri, run);
    const outcome = await run.done;
    if (this.running.get(uri) === run) this.running.delete(uri);
    return outcome;
  }

  private async check(doc: TextDocument, signal: AbortSignal): Promise<Outcome> {
    const settings = await this.host.settings(doc.uri);
    if (signal.aborted) return 'superseded';
    const file = this.wanted(doc, settings) ? this.host.hookFile(doc) : undefined;
    const plan = file && (await planOf(doc, file, settings));
    if (signal.aborted) return 'superseded';
    if (!file || !plan) return this.withdraw(doc.uri);
    const executable = this.host.trusted() ? settings.shellcheck.path : untrustedShellcheck(process.env.PATH, this.host.workspaceFolders());
    if (executable === undefined) return this.untrustedMissing(doc.uri);
    if (this.missing.has(executable)) return 'missing';
    const onSpawn = this.opts.onSpawn && ((pid: number) => this.opts.onSpawn?.(doc.uri, pid));
    const result = await checkPlan(doc, plan, {
      executable,
      timeoutMs: this.timeoutMs,
      cwd: folderOf(doc.uri),
      signal,
      onSpawn,
    });
    return this.settle(doc, executable, result, settings.validate.maxProblems);
  }

  private wanted(doc: TextDocument, settings: Settings): boolean {
    return settings.shellcheck.enable && !this.host.isProfile(doc) && doc.getText().length <= settings.validate.maxFileSizeMB * 1024 * 1024;
  }

  private settle(doc: TextDocument, executable: string, result: CheckResult, maxProblems: number): Outcome {
    switch (result.kind) {
      case 'diagnostics':
        if (this.host.document(doc.uri)?.version !== doc.version) return 'stale';
        this.show(doc.uri, capDiagnostics(result.diagnostics, maxProblems, 'ShellCheck '), doc.version);
        return 'published';
      case 'not-shell':
        return this.withdraw(doc.uri);
      case 'cancelled':
        return 'superseded';
      case 'missing':
        if (!this.missing.has(executable))
          this.host.log(
            `ShellCheck not found at "${executable}" (${result.reason}): shell hooks are checked without it until the settings change.`,
          );
        this.missing.add(executable);
        this.withdraw(doc.uri);
        return 'missing';
      case 'timeout':
        this.host.log(`ShellCheck ran longer than ${this.timeoutMs / 1000} s on ${doc.uri} and was stopped.`);
        this.withdraw(doc.uri);
        return 'timeout';
      case 'failed':
        return this.failed(doc, result.reason);
    }
  }

  /** Untrusted, and no ShellCheck on PATH outside the workspace: said once until the configuration or the trust changes. */
  private untrustedMissing(uri: string): Outcome {
    if (!this.missing.has(untrustedKey))
      this.host.log(
        'ShellCheck is not run in this untrusted workspace: no shellcheck on PATH outside the workspace folders ' +
          '(hooksmith.shellcheck.path is not used until you trust the workspace).',
      );
    this.missing.add(untrustedKey);
    this.withdraw(uri);
    return 'missing';
  }

  /** Logged once per reason until the configuration changes: a broken install fails the same way on every save. */
  private failed(doc: TextDocument, reason: string): Outcome {
    if (!this.failures.has(reason)) this.host.log(`ShellCheck failed on ${doc.uri}: ${reason}`);
    this.failures.add(reason);
    return 'failed';
  }

  /** Publishes a result; nothing found where nothing was shown needs no publish. */
  private show(uri: string, diagnostics: Diagnostic[], version: number): void {
    if (!diagnostics.length && !this.shown.has(uri)) return;
    if (diagnostics.length) this.shown.add(uri);
    else this.shown.delete(uri);
    this.host.publish(uri, diagnostics, version);
  }

  /** Removes ShellCheck's diagnostics from a document that has some (disabled, no longer a shell hook, or checked too long). */
  private withdraw(uri: string): Outcome {
    const doc = this.host.document(uri);
    if (doc && this.shown.has(uri)) this.show(uri, [], doc.version);
    return 'skipped';
  }
}

const untrustedKey = '\0untrusted';

/**
 * The text and version a run checks. The server's TextDocuments update an open document in
 * place, so a run that held the live object would check one version and map its findings onto
 * a later one, with that later version's number (and its fixes would land on moved text).
 */
/** A config document's plan for the shell its values hold (wg-quick's hook lines; none for most configs), else a recognised hook's. */
async function planOf(doc: TextDocument, file: HookFile, settings: Settings): Promise<ShellcheckPlan | undefined> {
  if (configTypeOf(file.path, doc.getText().slice(0, 8192))) {
    await loadShellParser();
    return configShellcheckPlan(file.path, doc.getText());
  }
  const recognized = recognizeHook(file.path, file.siblings, settings.hooks.families);
  return recognized && shellcheckPlan(recognized, file.path, doc.getText());
}

function snapshot(doc: TextDocument): TextDocument {
  return TextDocument.create(doc.uri, doc.languageId, doc.version, doc.getText());
}

/**
 * The document's folder, where ShellCheck finds the project's .shellcheckrc; none when it does not exist (spawn would fail as if the
 * program were missing).
 */
function folderOf(uri: string): string | undefined {
  const file = localPathOf(uri);
  const dir = file === undefined ? undefined : path.dirname(file);
  return dir && fs.existsSync(dir) ? dir : undefined;
}
