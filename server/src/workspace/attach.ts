import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Connection, DidChangeWatchedFilesNotification, Disposable, InitializeParams, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FamilyMappings } from '../families/registry';
import { DiagnosticsStore } from '../lsp/diagnosticsStore';
import { localPathOf } from '../lsp/localPath';
import { watcherGlobs } from './watchers';
import { WorkspaceHooks } from './workspaceHooks';

export interface WorkspaceScanWiring {
  readonly connection: Pick<Connection, 'client' | 'console' | 'onDidChangeWatchedFiles'>;
  readonly documents: TextDocuments<TextDocument>;
  readonly store: DiagnosticsStore;
  /** Resolves once the shell parser is loaded (called before each job: a faulted parser is reloaded). */
  readonly ready: () => Promise<unknown>;
  /** The hooks.families setting for a resource URI. */
  readonly mappingsFor: (uri: string) => Promise<FamilyMappings>;
  /** The set of recognised hooks changed. */
  readonly onKnownChanged?: () => void;
  /** The hooks.serverPaths setting for a resource URI. */
  readonly serverPathsFor?: (uri: string) => Promise<Readonly<Record<string, string>>>;
  /** A config document or launcher the scan read wires these files differently: the open ones are validated again. */
  readonly onRewired?: (files: readonly string[]) => void;
}

export interface WorkspaceScan {
  /** Call from onInitialize: notes whether the client accepts file watchers from the server. */
  initialize(params: InitializeParams): void;
  /** Call from onInitialized: scans the workspace folders, then watches them. */
  start(folders: readonly string[]): void;
  /** Call on a configuration change: family mappings decide what is a hook. */
  settingsChanged(): void;
  /**
   * Call when an open document's own findings are about to be published: they take over from the
   * scan's. Until then (validate.run manual: until the validate command) a hook keeps the scan's findings.
   */
  documentValidated(uri: string): void;
  /**
   * Resolves when the first scan has walked every folder (at once before `start`'s call and when there is none):
   * only then are the scripts that config documents wire (OpenVPN's up, ocserv's connect-script) known.
   */
  firstScan(): Promise<void>;
  readonly hooks: WorkspaceHooks;
}

/** The normalised local path of a file: URI; undefined for other schemes and for URIs with a host. */
function filePath(uri: string): string | undefined {
  const file = localPathOf(uri);
  return file === undefined ? undefined : path.normalize(file);
}

/** Shows the file-level findings of hooks that are not open, and keeps them current from file events. */
export function attachWorkspaceScan(w: WorkspaceScanWiring): WorkspaceScan {
  const { connection, documents, store } = w;
  const rootMappings = (root: string): Promise<FamilyMappings> => w.mappingsFor(pathToFileURL(root).toString());
  // Open files whose document findings have been published: the scan leaves them alone.
  const handedOver = new Set<string>();
  const hooks = new WorkspaceHooks({
    publish: (uri, diagnostics) => store.set(uri, 'workspace', diagnostics),
    isOpen: (file) => handedOver.has(file),
    mappingsFor: rootMappings,
    serverPathsFor: async (root) => (await w.serverPathsFor?.(pathToFileURL(root).toString())) ?? {},
    ready: w.ready,
    log: (message) => connection.console.log(message),
    onKnownChanged: w.onKnownChanged,
    onRewired: w.onRewired,
  });
  let canWatch = false;
  let roots: readonly string[] = [];
  let watching: { globs: string; registration: Promise<Disposable> } | undefined;
  let firstScan: Promise<void> = Promise.resolve();

  // Registered after the scan's settings are known: mapped folders are watched too.
  const watch = async (): Promise<void> => {
    if (!canWatch) return;
    const globs = watcherGlobs(await Promise.all(roots.map(rootMappings)));
    if (watching?.globs === globs.join('\n')) return;
    const previous = watching?.registration;
    watching = {
      globs: globs.join('\n'),
      registration: connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: globs.map((globPattern) => ({ globPattern })),
      }),
    };
    await watching.registration;
    (await previous)?.dispose();
  };

  documents.onDidClose((e) => {
    const file = filePath(e.document.uri);
    if (!file) return;
    handedOver.delete(file);
    void hooks.closed(file);
  });
  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) {
      const file = filePath(change.uri);
      if (file) void hooks.pathChanged(file);
    }
  });

  return {
    hooks,
    initialize(params) {
      canWatch = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    },
    start(folders) {
      roots = folders;
      firstScan = hooks.scanAll(folders);
      void watch().catch((e: unknown) => connection.console.log(`Hooksmith: could not watch the workspace: ${String(e)}`));
    },
    firstScan: () => firstScan,
    documentValidated(uri) {
      const file = filePath(uri);
      if (!file || !documents.get(uri)) return;
      handedOver.add(file);
      hooks.opened(file);
    },
    settingsChanged() {
      void hooks.rescan();
      void watch().catch((e: unknown) => connection.console.log(`Hooksmith: could not watch the workspace: ${String(e)}`));
    },
  };
}
