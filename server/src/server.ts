import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  Connection,
  createConnection,
  DidChangeConfigurationNotification,
  InitializeResult,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { capFindings } from './capFindings';
import { Finding } from './diagnostics';
import { families, recognizeHook } from './families/registry';
import { editorLanguage } from './families/family';
import { readHead } from './fileKinds';
import { lintHook } from './hooks/lintHook';
import { ConfigMatch, configTypeOf, lintAndWire, lintConfig } from './config/configDocs';
import { configContext, ConfigPlaces } from './config/context';
import { attachAuthoring, authoringCapabilities } from './lsp/authoring';
import { quickFixes } from './lsp/codeActions';
import { DiagnosticsStore } from './lsp/diagnosticsStore';
import { hookFileOf } from './lsp/hookDocument';
import { localPathOf } from './lsp/localPath';
import { capIncomingMessages, droppedMessage, listenCapped, maxMessageBytes } from './lsp/messageCap';
import { commandOf, contextDiagnosticsOf, textDocumentOf } from './lsp/params';
import { makeExecutable, removeGroupWrite } from './lsp/makeExecutable';
import { FileOperation, renameOnDisk } from './lsp/fileOperations';
import { removeBomOnDisk } from './hooks/byteOrderMark';
import { KnownFilesTracker } from './lsp/knownFiles';
import { patternWarnings } from './lsp/patternWarnings';
import { WorkspaceTrust } from './lsp/trust';
import { attachSimulate } from './lsp/simulate';
import { attachHookTests } from './lsp/hooktests';
import { ValidationScheduler } from './lsp/scheduler';
import { testTrace, testTraceNotification } from './lsp/testTrace';
import { toDiagnostic } from './lsp/toDiagnostic';
import { EditSupport, editSupportOf } from './lsp/workspaceEdits';
import { lintProfile, tooLarge } from './profile/lint';
import { looksLikeProfile } from './profile/recognize';
import { scriptFoldersFor } from './profile/scriptFolders';
import { notifications, profileLanguage, serverCommands, ValidateResult } from './protocol';
import { defaultSettings, readSettings, Settings, settingsPrefix } from './settings';
import { loadShellParser } from './shell/parser';
import { shellcheckCodeActions } from './shellcheck/codeActions';
import { ShellcheckRunner } from './shellcheck/runner';
import { attachWorkspaceScan } from './workspace/attach';
import { matchesAny } from './workspace/globs';

export { serverCommands };

/**
 * Wires the language server to a connection and starts listening. Importing this module starts
 * nothing: the bundle's entry (dist/server.js) calls it when run as a program.
 */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const showError = (message: string) =>
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message });
  capIncomingMessages((what) => {
    connection.console.error(droppedMessage(what));
    if (what.kind === 'message') showError(droppedMessage(what));
  });
  const documents = new TextDocuments(TextDocument);
  const settingsCache = new Map<string, Promise<Settings>>();
  // Test-only (HOOKSMITH_TEST_TRACE=1): says when the work a document event caused has settled; see lsp/testTrace.ts.
  const trace = testTrace((e) => void connection.sendNotification(testTraceNotification, e));
  // A validation nobody awaits must not reject: an unhandled rejection would end the process.
  const scheduler = new ValidationScheduler(
    (uri, version) =>
      void validateTraced(uri, version).catch((e: unknown) =>
        connection.console.error(`Hooksmith: validating ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
      ),
    (uri, version) => trace({ event: 'validated', uri, version, outcome: 'superseded' }),
  );
  const store = new DiagnosticsStore((uri, diagnostics, version) => void connection.sendDiagnostics({ uri, diagnostics, version }));
  // Loading starts now; validations await it (again after a parser fault, which loads a fresh parser).
  void loadShellParser().catch((e: unknown) =>
    connection.console.error(`Hooksmith: the shell parser did not load: ${e instanceof Error ? e.message : String(e)}`),
  );
  const trust = new WorkspaceTrust(connection);
  const shellcheck = new ShellcheckRunner({
    document: (uri) => documents.get(uri),
    settings: settingsFor,
    hookFile: (doc) => hookFileOf(doc, documents),
    isProfile,
    publish: (uri, diagnostics, version) => store.set(uri, 'shellcheck', diagnostics, version),
    log: (message) => connection.console.log(message),
    trusted: () => trust.trusted,
    workspaceFolders: () => workspaceFolders,
  });
  const warnPatterns = patternWarnings(connection);
  let canPullConfiguration = false;
  let pushedSettings: Settings = defaultSettings;
  let workspaceFolders: string[] = [];
  let editSupport: EditSupport = { documentChanges: false, create: false, rename: false };
  let canShowDocument = false;
  /** Open documents whose file the server renamed (renameFile): not validated until closed. */
  const renamedAway = new Set<string>();
  // Hooks that are not open get their file-level findings from a scan of the workspace.
  const hookTests = attachHookTests({ connection, documents, trust, settingsFor, workspaceFolders: () => workspaceFolders });
  const simulation = attachSimulate({
    connection,
    documents,
    isProfile,
    isProfileFile,
    settingsFor,
    trust,
    workspaceFolders: () => workspaceFolders,
    specLenses: (doc) => (hookTests.isSpec(doc) ? hookTests.lenses(doc) : undefined),
  });
  // Trust decides which ShellCheck may run: check the open hooks again when it changes.
  trust.onChange(() => void shellcheck.configurationChanged(documents.all()));
  const workspaceScan = attachWorkspaceScan({
    connection,
    documents,
    store,
    ready: loadShellParser,
    mappingsFor: async (uri) => (await settingsFor(uri)).hooks.families,
    serverPathsFor: async (uri) => (await settingsFor(uri)).hooks.serverPaths,
    onKnownChanged: () => known.changed(),
    onRewired: revalidateOpen,
  });
  // The client's context keys (menus, commands) follow what the server recognised.
  const known = new KnownFilesTracker(
    families.map((f) => f.id),
    () => workspaceScan.hooks.knownHooks(),
    (k) => void connection.sendNotification(notifications.knownFiles, k),
  );
  // Documents the hooksmith.profile.files globs make profiles, whatever their text.
  const profilesByGlob = new Set<string>();

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    editSupport = editSupportOf(params.capabilities);
    canShowDocument = params.capabilities.window?.showDocument?.support === true;
    workspaceScan.initialize(params);
    trust.initialize(params);
    simulation.initialize(params);
    hookTests.initialize(params);
    workspaceFolders = (params.workspaceFolders ?? [])
      .map((f) => f.uri)
      .map(localPathOf)
      .filter((p): p is string => p !== undefined);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        executeCommandProvider: {
          commands: [
            serverCommands.validate,
            serverCommands.makeExecutable,
            serverCommands.removeBom,
            serverCommands.removeGroupWrite,
            serverCommands.renameFile,
            serverCommands.createScript,
            serverCommands.openCreated,
            serverCommands.simulate,
            serverCommands.runHookTests,
            serverCommands.listHookTests,
            ...simulation.preparing,
          ],
        },
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        ...authoringCapabilities,
      },
      serverInfo: { name: 'hooksmith', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: settingsPrefix });
    workspaceScan.start(workspaceFolders);
  });

  connection.onDidChangeConfiguration((params) => {
    // Clients that cannot answer workspace/configuration (nvim-lspconfig, Neovim 0.7) push settings instead.
    const pushed = (params.settings as Record<string, unknown> | null | undefined)?.[settingsPrefix];
    if (!canPullConfiguration && pushed !== undefined) pushedSettings = warnPatterns(readSettings(pushed));
    settingsCache.clear();
    for (const doc of documents.all()) {
      void settingsFor(doc.uri).then((s) => noteKind(doc, s));
      void maybeValidate(doc, 'open');
    }
    void shellcheck.configurationChanged(documents.all());
    workspaceScan.settingsChanged();
  });

  async function settingsFor(uri: string): Promise<Settings> {
    if (!canPullConfiguration) return pushedSettings;
    let cached = settingsCache.get(uri);
    if (!cached) {
      cached = connection.workspace.getConfiguration({ scopeUri: uri, section: settingsPrefix }).then(
        (section) => warnPatterns(readSettings(section)),
        () => defaultSettings,
      );
      settingsCache.set(uri, cached);
    }
    return cached;
  }

  type Trigger = 'open' | 'change' | 'save';

  async function maybeValidate(doc: TextDocument, trigger: Trigger): Promise<void> {
    const version = doc.version; // the change's, even if another comes while the settings are read
    const { run } = (await settingsFor(doc.uri)).validate;
    const wanted = run === 'onType' || (run === 'onSave' && trigger !== 'change');
    if (wanted) scheduler.schedule(doc.uri, doc.getText().length, version);
    else trace({ event: 'validated', uri: doc.uri, version, outcome: 'skipped' });
  }

  /** ShellCheck for a document event or the validate command; it settles on its own (see ShellcheckRunner). */
  function checkShell(doc: TextDocument, trigger: Trigger | 'command'): void {
    const { uri, version } = doc;
    void shellcheck.trigger(doc, trigger).then(
      (outcome) => trace({ event: 'shellcheckSettled', uri, version, outcome }),
      (e: unknown) => {
        connection.console.error(`Hooksmith: ShellCheck on ${uri} failed: ${e instanceof Error ? e.message : String(e)}`);
        trace({ event: 'shellcheckSettled', uri, version, outcome: 'failed' });
      },
    );
  }

  // TextDocuments fires onDidOpen and then onDidChangeContent for an opened document.
  const justOpened = new Set<string>();
  documents.onDidOpen((e) => {
    justOpened.add(e.document.uri);
    void settingsFor(e.document.uri).then((s) => noteKind(e.document, s));
  });
  documents.onDidChangeContent((e) => {
    const trigger = justOpened.delete(e.document.uri) ? 'open' : 'change';
    void maybeValidate(e.document, trigger);
    checkShell(e.document, trigger);
  });
  documents.onDidSave((e) => {
    void maybeValidate(e.document, 'save');
    checkShell(e.document, 'save');
    revalidateSiblings(e.document.uri);
  });
  documents.onDidClose((e) => {
    scheduler.cancel(e.document.uri);
    shellcheck.cancel(e.document.uri);
    renamedAway.delete(e.document.uri);
    settingsCache.delete(e.document.uri);
    store.clear(e.document.uri);
    profilesByGlob.delete(e.document.uri);
    known.closed(e.document.uri);
  });

  /** Hooks read their folder (OnConnect's routes are undone by OnDisconnect): a saved file changes its open neighbours' findings. */
  function revalidateSiblings(uri: string): void {
    const file = localPathOf(uri);
    if (file === undefined) return;
    const dir = path.dirname(file);
    for (const doc of documents.all()) {
      const other = localPathOf(doc.uri);
      if (doc.uri !== uri && other !== undefined && path.dirname(other) === dir) void maybeValidate(doc, 'save');
    }
  }

  /** Validates and publishes; the number of findings, or undefined when the document is not there to validate. */
  async function validate(uri: string): Promise<number | undefined> {
    const doc = documents.get(uri);
    if (!doc || renamedAway.has(uri)) return undefined;
    if (hookTests.isSpec(doc)) {
      const findings = hookTests.findings(doc);
      store.set(
        uri,
        'hooksmith',
        findings.map((f) => toDiagnostic(f, (o) => doc.positionAt(o))),
        doc.version,
      );
      return findings.length;
    }
    const settings = await settingsFor(uri);
    if (!isProfile(doc)) await loadShellParser();
    if (documents.get(uri) !== doc) return undefined; // closed (or reopened) while waiting
    noteKind(doc, settings);
    const findings = lint(doc, settings);
    workspaceScan.documentValidated(uri);
    store.set(
      uri,
      'hooksmith',
      findings.map((f) => toDiagnostic(f, (o) => doc.positionAt(o))),
      doc.version,
    );
    return findings.length;
  }

  /** validate, then the test-only trace of its outcome (`version`: the one the trigger saw). */
  async function validateTraced(uri: string, version: number): Promise<number | undefined> {
    try {
      const found = await validate(uri);
      trace({ event: 'validated', uri, version, outcome: found === undefined ? 'closed' : 'published' });
      return found;
    } catch (e) {
      trace({ event: 'validated', uri, version, outcome: 'failed' });
      throw e;
    }
  }

  function isProfile(doc: TextDocument): boolean {
    return doc.languageId === profileLanguage || profilesByGlob.has(doc.uri) || looksLikeProfile(doc.getText());
  }

  /** A file that is a profile: its open document says, else the hooksmith.profile.files globs or its first 8 KB. */
  async function isProfileFile(file: string): Promise<boolean> {
    const uri = pathToFileURL(file).toString();
    const open = documents.get(uri);
    if (open) return isProfile(open);
    if (matchesAny(file, (await settingsFor(uri)).profile.files, workspaceFolders)) return true;
    return looksLikeProfile(readHead(file, 8192));
  }

  /**
   * Whether a document is a profile (by language, hooksmith.profile.files or content) or a family's hook, for the client's context keys.
   */
  function noteKind(doc: TextDocument, settings: Settings): void {
    const file = localPathOf(doc.uri);
    if (file !== undefined && matchesAny(file, settings.profile.files, workspaceFolders)) profilesByGlob.add(doc.uri);
    else profilesByGlob.delete(doc.uri);
    if (isProfile(doc)) return known.document(doc.uri, file, 'profile');
    const config = configOf(doc);
    if (config) return known.document(doc.uri, file, { family: config.family.id, language: doc.languageId });
    const hook = hookFileOf(doc, documents);
    const recognized = recognizeHook(hook.path, hook.siblings, settings.hooks.families);
    known.document(doc.uri, file, recognized && { family: recognized.family.id, language: editorLanguage(recognized.hook.runModel) });
  }

  /** A profile is validated as XML; any other document as a hook, if a family recognises it. */
  function lint(doc: TextDocument, settings: Settings): Finding[] {
    return capFindings(uncapped(doc, settings), settings.validate.maxProblems);
  }

  function uncapped(doc: TextDocument, settings: Settings): Finding[] {
    const maxSize = settings.validate.maxFileSizeMB * 1024 * 1024;
    if (isProfile(doc)) {
      return lintProfile(doc.getText(), { dialect: settings.profile.dialect, maxSize, scriptFolders: scriptFolders(doc.uri, settings) });
    }
    const config = configOf(doc);
    if (config) return lintConfigDocument(doc, config, settings, maxSize);
    wireFromLauncher(doc, settings, maxSize);
    const file = hookFileOf(doc, documents);
    if (doc.getText().length <= maxSize) return lintHook(file, settings.hooks.families)?.findings ?? [];
    return recognizeHook(file.path, file.siblings, settings.hooks.families) ? [tooLarge(doc.getText(), maxSize)] : [];
  }

  /** A family's config document (ocserv.conf), by its path or its first 8 KB. */
  function configOf(doc: TextDocument): ConfigMatch | undefined {
    return configTypeOf(localPathOf(doc.uri) ?? doc.uri, doc.getText().slice(0, 8192));
  }

  /** Its findings; the hooks it wires are recognised from now on, and those whose wiring changed are linted again. */
  function lintConfigDocument(doc: TextDocument, config: ConfigMatch, settings: Settings, maxSize: number): Finding[] {
    const file = localPathOf(doc.uri);
    if (doc.getText().length > maxSize) return [tooLarge(doc.getText(), maxSize)];
    if (file === undefined) return lintConfig(config, doc.getText(), configContext(doc.uri, { roots: [], serverPaths: {} })).findings;
    const { findings, rewired } = lintAndWire(config, file, doc.getText(), configPlaces(file, settings));
    relint(rewired);
    return findings;
  }

  /** A launcher (a unit or wrapper starting the runner) as edited: the scripts it names are hooks from now on. */
  function wireFromLauncher(doc: TextDocument, settings: Settings, maxSize: number): void {
    const file = localPathOf(doc.uri);
    if (file === undefined || doc.getText().length > maxSize) return;
    const launcher = configTypeOf(file, '', true);
    if (launcher?.type.wiresOnly) relint(lintAndWire(launcher, file, doc.getText(), configPlaces(file, settings)).rewired);
  }

  function configPlaces(file: string, settings: Settings): ConfigPlaces {
    return { roots: workspaceFolders.length ? workspaceFolders : [path.dirname(file)], serverPaths: settings.hooks.serverPaths };
  }

  /** Files whose wiring changed: linted again, in the scan and where open. */
  function relint(rewired: readonly string[]): void {
    for (const wired of rewired) void workspaceScan.hooks.pathChanged(wired);
    revalidateOpen(rewired);
  }

  /** Open documents among files whose wiring changed (by an edit or by the scan): validated again, as what they now are. */
  function revalidateOpen(files: readonly string[]): void {
    for (const file of files) {
      const open = documents.get(pathToFileURL(file).toString());
      if (open) void maybeValidate(open, 'open').then(async () => noteKind(open, await settingsFor(open.uri)));
    }
  }

  function scriptFolders(uri: string, settings: Settings) {
    const file = localPathOf(uri);
    if (file === undefined) return undefined;
    const base = workspaceFolders.find((w) => file.startsWith(w + path.sep)) ?? path.dirname(file);
    return scriptFoldersFor(file, settings.profile.scriptFolders, base);
  }

  // Quick fixes from Hooksmith's findings; ShellCheck's actions join them in this one handler.
  connection.onCodeAction((params) => {
    const doc = documents.get(textDocumentOf(params).uri);
    const diagnostics = contextDiagnosticsOf(params);
    if (!doc) return [];
    return [
      ...quickFixes(doc, diagnostics, { support: editSupport, openDocument: (uri) => documents.get(uri), commands: serverCommands }),
      ...shellcheckCodeActions(params, doc),
    ];
  });

  connection.onExecuteCommand(async (params, token, workDone) => {
    const command = commandOf(params);
    if (command === serverCommands.simulate) return simulation.execute(params, token, workDone);
    if (command === serverCommands.runHookTests) return hookTests.execute(params.arguments?.[0], token);
    if (command === serverCommands.listHookTests) return hookTests.list(params.arguments?.[0]);
    if (simulation.preparing.includes(command)) return simulation.prepare(command, params.arguments ?? []);
    if (command === serverCommands.makeExecutable) return fileCommand(params.arguments?.[0], makeExecutable);
    if (command === serverCommands.removeBom) return fileCommand(params.arguments?.[0], removeBomOnDisk);
    if (command === serverCommands.removeGroupWrite) return fileCommand(params.arguments?.[0], removeGroupWrite);
    const args = params.arguments ?? [];
    if (command === serverCommands.renameFile) return afterFileOperation(renameOnDisk(args[0], args[1]), args[0], true);
    if (command === serverCommands.createScript) {
      // The family whose fix offered the script creates it (HS304's from a profile, HS452's from a hook).
      const creator = families.find((f) => f.createScript);
      const result: FileOperation = creator?.createScript?.(args) ?? { changed: false, reason: 'No hook family creates scripts.' };
      return afterFileOperation(result, args[0], false);
    }
    if (command === serverCommands.openCreated) return openCreated(args[0], args[1] === true);
    if (command !== serverCommands.validate) return undefined;
    const uri = params.arguments?.[0];
    if (typeof uri !== 'string' || !documents.get(uri))
      return { validated: false, reason: 'The document is not open in the language server.' } satisfies ValidateResult;
    scheduler.cancel(uri);
    const doc = documents.get(uri) as TextDocument;
    checkShell(doc, 'command');
    return { validated: true, diagnostics: (await validateTraced(uri, doc.version)) ?? 0 } satisfies ValidateResult;
  });

  /** A change to the file of one file: URI (chmod +x, BOM removal); then its findings, and its open neighbours', are redone. */
  async function fileCommand<R extends { changed: boolean } | { changed: false; reason: string }>(
    arg: unknown,
    change: (file: string) => R,
  ) {
    const uri = typeof arg === 'string' ? arg : '';
    const file = localPathOf(uri);
    if (!file) return { changed: false, reason: 'Expected a file: URI.' };
    const result = change(file);
    if ('reason' in result)
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: result.reason });
    revalidateSiblings(uri);
    if (documents.get(uri)) {
      scheduler.cancel(uri);
      await validate(uri);
    }
    return result;
  }

  /**
   * After the server renamed or created a file for a client that cannot: the user hears what
   * happened, the new file opens where the client can show documents, and the findings follow.
   */
  async function afterFileOperation(result: FileOperation, source: unknown, movedAway: boolean): Promise<FileOperation> {
    if (!result.changed) {
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: result.reason });
      return result;
    }
    const uri = typeof source === 'string' ? source : '';
    if (movedAway) {
      // The editor's buffer still has the old name: its name findings no longer describe a file.
      renamedAway.add(uri);
      scheduler.cancel(uri);
      store.clear(uri);
    }
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: result.message });
    if (canShowDocument) await connection.window.showDocument({ uri: result.uri, takeFocus: true }).catch(() => undefined);
    revalidateSiblings(uri);
    if (!movedAway && documents.get(uri)) await validate(uri);
    return result;
  }

  /**
   * After a fix's edit created a file (the client applied it): its execute bit when the template
   * wants one, then the client shows it. Only files a fix names come here, so the client opens
   * no file a user created some other way.
   */
  async function openCreated(arg: unknown, executable: boolean): Promise<{ shown: boolean; mode?: unknown }> {
    const uri = typeof arg === 'string' && localPathOf(arg) !== undefined ? arg : undefined;
    if (!uri) return { shown: false };
    const mode = executable ? await fileCommand(uri, makeExecutable) : undefined;
    const shown =
      canShowDocument &&
      (await connection.window.showDocument({ uri, takeFocus: true }).then(
        (r) => r.success,
        () => false,
      ));
    return mode ? { shown, mode } : { shown };
  }

  // Completion, hover, outline and folding.
  attachAuthoring({
    connection,
    documents,
    isProfile,
    settingsFor,
    scriptFolders,
    specs: hookTests,
    wiringKnown: () => workspaceScan.firstScan(),
  });

  // ShellCheck runs in its own process groups, which would outlive the server.
  connection.onExit(() => {
    shellcheck.dispose();
    known.dispose();
  });

  listenCapped(documents, connection, (doc) =>
    showError(
      `Hooksmith: ${doc.uri} grew past ${maxMessageBytes / 1024 / 1024} MB: it is no longer validated until it is closed and reopened.`,
    ),
  );
  connection.listen();
}

if (require.main === module) startServer();
