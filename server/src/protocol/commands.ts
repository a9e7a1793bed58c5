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
  /** arguments: [SimulationRequest]; answers a SimulationReport. */
  simulate: 'hooksmith.server.simulate',
} as const;

/** What hooksmith.server.validate answers. */
export type ValidateResult = { readonly validated: true; readonly diagnostics: number } | { readonly validated: false; readonly reason: string };

/** The VS Code client's own command ids (package.json contributes the same). */
export const clientCommands = {
  validateFile: 'hooksmith.validateFile',
  restartServer: 'hooksmith.restartServer',
  /** The command the server puts on its simulate CodeLenses when the client asks (initializationOptions). */
  simulateFromLens: 'hooksmith.simulate.fromLens',
  simulateLive: 'hooksmith.simulateLive',
  showSimulationResult: 'hooksmith.showSimulationResult',
} as const;

/** Custom notifications. */
export const notifications = {
  /** Server → client, params SimulationOutput: a hook's output as it arrives. */
  simulationOutput: 'hooksmith/simulationOutput',
  /** Client → server, params { trusted: boolean }: the workspace's trust changed; until trusted the server refuses to simulate. */
  workspaceTrust: 'hooksmith/workspaceTrust',
} as const;

/** What a client may say in initializationOptions. */
export interface InitOptions {
  /** false in an untrusted (Restricted Mode) workspace: hooks are never run there. */
  readonly workspaceTrusted?: boolean;
  /** The client's own command for CodeLenses (it shows progress and a result view); default serverCommands.simulate. */
  readonly simulateLensCommand?: string;
}
