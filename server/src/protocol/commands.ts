/**
 * Names both sides of the wire use: the commands the server executes, the client's own commands,
 * the custom notifications and the initialization options. The client, the server and the CLI
 * import them from here (nothing else of the server is imported by this folder).
 */

/** workspace/executeCommand names the server registers; any LSP client may call them. */
export const serverCommands = {
  /** arguments: [uri]; answers ValidateResult. Works on any document the server has open, profile or hook. */
  validate: 'hooksmith.server.validate',
  /** arguments: [file: URI]; chmod +x. */
  makeExecutable: 'hooksmith.server.makeExecutable',
  /** arguments: [file: URI]; removes a byte-order mark before #! from the file on disk. */
  removeBom: 'hooksmith.server.removeBom',
  /** arguments: [file: URI]; chmod go-w. */
  removeGroupWrite: 'hooksmith.server.removeGroupWrite',
  /** arguments: [from: URI, to: URI]; renames on disk, for clients that cannot (never over another file). */
  renameFile: 'hooksmith.server.renameFile',
  /**
   * Creates a script on disk, for clients that cannot create files in a WorkspaceEdit (never over
   * another file). arguments: [profile: URI, name, event] for a script a profile names (HS304), or
   * [OnConnect hook: URI, name, 'undo', command] for the OnDisconnect counterpart that undoes it (HS452).
   */
  createScript: 'hooksmith.server.createScript',
  /**
   * arguments: [file: URI, executable: boolean]; run after a fix's edit created the file: sets its
   * execute bit when asked, and asks the client to show it (window/showDocument). The client opens
   * what the server names, and nothing else a user creates.
   */
  openCreated: 'hooksmith.server.openCreated',
  /** arguments: [SimulationRequest]; answers a SimulationReport. */
  simulate: 'hooksmith.server.simulate',
  /** arguments: [TargetParams]; answers a TargetAnswer: the request a command starts, or what to ask the user. */
  simulationTarget: 'hooksmith.server.simulationTarget',
  /** no arguments; answers ProvidedTask[]: ready simulations for the workspace. */
  simulationTasks: 'hooksmith.server.simulationTasks',
  /** arguments: [task definition, workspace folder path]; answers FromTask. */
  taskRequest: 'hooksmith.server.taskRequest',
  /** arguments: [HookTestRunParams]; runs a spec's tests, streaming hookTestOutput; answers HookTestRun. */
  runHookTests: 'hooksmith.server.runHookTests',
  /** arguments: [spec file: URI]; answers HookTestList (works in an untrusted workspace: nothing runs). */
  listHookTests: 'hooksmith.server.listHookTests',
} as const;

/** What hooksmith.server.validate answers. */
export type ValidateResult =
  { readonly validated: true; readonly diagnostics: number } | { readonly validated: false; readonly reason: string };

/** The VS Code client's own command ids (package.json contributes the same). */
export const clientCommands = {
  validateFile: 'hooksmith.validateFile',
  restartServer: 'hooksmith.restartServer',
  /** The command the server puts on its simulate CodeLenses when the client asks (initializationOptions). */
  simulateFromLens: 'hooksmith.simulate.fromLens',
  simulateLive: 'hooksmith.simulateLive',
  showSimulationResult: 'hooksmith.showSimulationResult',
  /** A spec's "Run test" lens: arguments [spec URI, test name]; runs it in the Test Explorer. */
  runHookTest: 'hooksmith.runHookTest',
} as const;

/** Custom notifications. */
export const notifications = {
  /** Server → client, params SimulationOutput: a hook's output as it arrives. */
  simulationOutput: 'hooksmith/simulationOutput',
  /** Client → server, params { trusted: boolean }: the workspace's trust changed; until trusted the server refuses to simulate. */
  workspaceTrust: 'hooksmith/workspaceTrust',
  /** Server → client, params KnownFiles: the profiles and hooks the server recognised, for context keys. */
  knownFiles: 'hooksmith/knownFiles',
  /** Server → client, params HookTestOutput: a hook's output while a hook test runs. */
  hookTestOutput: 'hooksmith/hookTestOutput',
} as const;

/** What a client may say in initializationOptions. */
export interface InitOptions {
  /** false in an untrusted (Restricted Mode) workspace: hooks are never run there. */
  readonly workspaceTrusted?: boolean;
  /** The client's own command for CodeLenses (it shows progress and a result view); default serverCommands.simulate. */
  readonly simulateLensCommand?: string;
  /** The client's command for a spec's "Run test" CodeLenses (arguments: [uri, test name]); default serverCommands.runHookTests. */
  readonly runTestLensCommand?: string;
}

/** The profile language the client gives AnyConnect profiles (package.json contributes it). */
export const profileLanguage = 'anyconnect-profile';

/** Hook test specs, the only YAML documents the client hands the server (any other YAML file starts nothing). */
export const specDocuments = {
  language: 'yaml',
  pattern: '**/{*.hooktest.yaml,*.hooktest.yml,hooksmith.test.yaml,hooksmith.test.yml}',
} as const;

/**
 * Context keys the client sets from the server's word (notifications.knownFiles), for menus'
 * `when` clauses: which files are profiles, and which files and folders hold each family's hooks.
 * Values are objects keyed by file-system path, for `resourcePath in <key>`.
 */
export const contextKeys = {
  profiles: 'hooksmith.profiles',
  hooks: 'hooksmith.hooks',
  familyHooks: (family: string): string => `hooksmith.${family}.hooks`,
  familyFolders: (family: string): string => `hooksmith.${family}.folders`,
} as const;

/** Server → client: the files the server recognised (open documents and the workspace scan). */
export interface KnownFiles {
  readonly profiles: readonly string[];
  /** Family id → its hooks' paths. */
  readonly hooks: Readonly<Record<string, readonly string[]>>;
  /** Open hooks' paths → the editor language their run model calls for (a Plain Text hook is switched to it). */
  readonly languages: Readonly<Record<string, string>>;
}
