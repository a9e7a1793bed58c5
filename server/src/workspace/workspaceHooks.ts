import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostic } from 'vscode-languageserver';
import { FamilyMappings } from '../families/registry';
import { toDiagnostic } from '../lsp/toDiagnostic';
import { LineIndex } from '../text/lineIndex';
import { IgnoredFolders, inSkippedFolder, readGitignore } from './ignore';
import { ConfigScan, HookReport, lintFolder, scanHooks } from './scan';
import { WalkLimits } from './walk';

export interface WorkspaceHooksDeps {
  /** Replaces the workspace scan's diagnostics for `uri` (the store's 'workspace' producer). */
  readonly publish: (uri: string, diagnostics: Diagnostic[]) => void;
  /** Open documents get the document diagnostics instead. */
  readonly isOpen: (file: string) => boolean;
  readonly mappingsFor: (root: string) => Promise<FamilyMappings>;
  /** hooksmith.hooks.serverPaths for a root: config documents' server paths in the workspace. */
  readonly serverPathsFor?: (root: string) => Promise<Readonly<Record<string, string>>>;
  /** Resolves once the shell parser is loaded; called before each job, as a faulted parser is reloaded. */
  readonly ready: () => Promise<unknown>;
  readonly log: (message: string) => void;
  readonly limits?: WalkLimits;
  /** The set of recognised hooks changed (knownHooks()). */
  readonly onKnownChanged?: () => void;
  /** A config document or launcher the scan read wires these files differently (open documents are the server's to validate again). */
  readonly onRewired?: (files: readonly string[]) => void;
}

interface Root {
  readonly dir: string;
  readonly ignored: IgnoredFolders;
}

/**
 * File-level findings of the hooks in the workspace that are not open. All work runs one job at
 * a time on a promise queue, so a folder re-read after a file event never races the first walk;
 * nothing runs between jobs (no timers, no polling).
 */
export class WorkspaceHooks {
  /** Files shown with findings, by folder, with the URI they were published under. */
  private readonly shown = new Map<string, Map<string, string>>();
  /** Every recognised hook, with or without findings, by folder: file → family id. */
  private readonly recognized = new Map<string, Map<string, string>>();
  private readonly changed = new Set<string>();
  private roots: Root[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: WorkspaceHooksDeps) {}

  /** Walks every root folder; what an earlier walk showed and no longer finds is cleared. */
  scanAll(roots: readonly string[]): Promise<void> {
    return this.enqueue(async () => {
      const resolved = roots.map((r) => path.resolve(r)); // no trailing separator: folders compare as strings
      const distinct = resolved.filter((r) => !resolved.some((o) => o !== r && inside(r, o)));
      this.roots = await Promise.all(distinct.map(async (dir) => ({ dir, ignored: await readGitignore(dir) })));
      for (const root of this.roots) await this.walk(root, root.dir);
    });
  }

  /** The scan again with the current settings (family mappings may have changed). */
  rescan(): Promise<void> {
    return this.scanAll(this.roots.map((r) => r.dir));
  }

  /** A file or folder was created, changed or deleted: its folder is read again (its siblings' findings depend on it). */
  pathChanged(file: string): Promise<void> {
    this.changed.add(file);
    return this.changed.size === 1 ? this.enqueue(() => this.applyChanges()) : this.queue;
  }

  /** The document diagnostics take over an opened file. */
  opened(file: string): void {
    const dir = this.shown.get(path.dirname(file));
    const uri = dir?.get(file);
    if (uri === undefined) return;
    dir!.delete(file);
    this.deps.publish(uri, []);
  }

  /** A closed file is linted from disk again. */
  closed(file: string): Promise<void> {
    return this.enqueue(async () => {
      const root = this.rootOf(file);
      if (root) await this.lintFolderOf(root, path.dirname(file), path.basename(file));
    });
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    this.queue = this.queue
      .then(async () => {
        await this.deps.ready();
        await job();
      })
      .catch((e: unknown) => this.deps.log(`Hooksmith: workspace scan failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
    return this.queue;
  }

  private async walk(root: Root, from: string): Promise<void> {
    const started = Date.now();
    const mappings = await this.deps.mappingsFor(root.dir);
    const reached = new Set<string>();
    const onFolder = (dir: string, reports: HookReport[]): void => {
      reached.add(dir);
      this.show(dir, reports);
    };
    const configs = await this.configScan(root);
    const result = await scanHooks(from, onFolder, {
      mappings,
      ignored: root.ignored,
      ignoreRoot: root.dir,
      limits: this.deps.limits,
      configs,
    });
    for (const dir of [...this.shown.keys()]) if (!reached.has(dir) && (dir === from || inside(dir, from))) this.show(dir, []);
    const limit = result.truncated ? ' (stopped at the walk limit: further folders were not scanned)' : '';
    this.deps.log(`Hooksmith: scanned ${result.folders} folders under ${from} for hooks in ${Date.now() - started} ms${limit}.`);
  }

  private async applyChanges(): Promise<void> {
    const files = [...this.changed];
    this.changed.clear();
    const folders = new Set<string>();
    for (const file of files) {
      if (!this.rootOf(file)) continue;
      folders.add(path.dirname(file));
      for (const dir of this.shown.keys()) if (dir === file || inside(dir, file)) folders.add(dir); // a folder removed or renamed
      const root = (await isFolder(file)) && this.rootOf(file, true);
      if (root) await this.walk(root, file); // a folder created or moved in
    }
    for (const dir of folders) {
      const root = this.rootOf(dir, true);
      if (root) await this.lintFolderOf(root, dir);
    }
  }

  /** Lints the hooks of one folder (or only `only` in it) and shows the result. */
  private async lintFolderOf(root: Root, dir: string, only?: string): Promise<void> {
    const files = await listFiles(dir);
    const reports = await lintFolder({ dir, files }, await this.deps.mappingsFor(root.dir), only, await this.configScan(root));
    this.show(dir, reports, only);
  }

  /** Config documents wire hooks anywhere in the workspace: a file whose wiring changed is linted again (after this job). */
  private async configScan(root: Root): Promise<ConfigScan> {
    const serverPaths = (await this.deps.serverPathsFor?.(root.dir)) ?? {};
    return {
      places: { roots: this.roots.map((r) => r.dir), serverPaths },
      onRewired: (files) => {
        files.forEach((f) => void this.pathChanged(f));
        this.deps.onRewired?.(files);
      },
    };
  }

  /** The hooks the scan recognised: [file, family id]. */
  knownHooks(): [string, string][] {
    return [...this.recognized.values()].flatMap((files) => [...files]);
  }

  /** Publishes the folder's findings and clears files shown before that have none now. */
  private show(dir: string, reports: readonly HookReport[], only?: string): void {
    this.remember(dir, reports, only);
    const before = this.shown.get(dir) ?? new Map<string, string>();
    const after = new Map(only === undefined ? [] : [...before].filter(([file]) => path.basename(file) !== only));
    for (const r of reports) {
      if (!r.findings.length || this.deps.isOpen(r.file)) continue;
      const uri = pathToFileURL(r.file).toString();
      const lines = new LineIndex(r.text);
      this.deps.publish(
        uri,
        r.findings.map((f) => toDiagnostic(f, (o) => lines.positionAt(o))),
      );
      after.set(r.file, uri);
    }
    for (const [file, uri] of before) if (!after.has(file) && !this.deps.isOpen(file)) this.deps.publish(uri, []);
    if (after.size) this.shown.set(dir, after);
    else this.shown.delete(dir);
  }

  private remember(dir: string, reports: readonly HookReport[], only?: string): void {
    const before = this.recognized.get(dir) ?? new Map<string, string>();
    const after = new Map(only === undefined ? [] : [...before].filter(([file]) => path.basename(file) !== only));
    for (const r of reports) after.set(r.file, r.family);
    if (after.size) this.recognized.set(dir, after);
    else this.recognized.delete(dir);
    const same = before.size === after.size && [...after].every(([file, family]) => before.get(file) === family);
    if (!same) this.deps.onKnownChanged?.();
  }

  /** The root that holds `file` (or folder), unless it lies in a folder the walk skips. */
  private rootOf(file: string, folder = false): Root | undefined {
    const root = this.roots.find((r) => file === r.dir || inside(file, r.dir));
    return root && !inSkippedFolder(root.dir, file, root.ignored, folder) ? root : undefined;
  }
}

function inside(file: string, dir: string): boolean {
  return file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

async function isFolder(file: string): Promise<boolean> {
  try {
    return (await fs.promises.lstat(file)).isDirectory();
  } catch {
    return false;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => !e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
