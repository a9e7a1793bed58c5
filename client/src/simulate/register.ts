/**
 * The simulation's entry points, registered at activation: command ids and the task provider, each
 * a thin stub. The face itself (client/src/simulate/face.ts) lives in the language client bundle,
 * loaded on first use, so activation stays as cheap as before.
 */
import * as vscode from 'vscode';
import { clientCommands } from '../../../server/src/protocol';
import type { ServerHandle } from '../languageClient';
import type { createSimulationFace, SimulationAction, SimulationFace } from './face';

/** The command the server puts on its simulate CodeLenses (passed in initializationOptions). */
export const lensCommand = clientCommands.simulateFromLens;

/** The fixed commands; every other simulate command of package.json is a family's, and the server knows what it runs. */
const fixedCommands: Readonly<Record<string, SimulationAction>> = {
  [clientCommands.simulateLive]: 'live',
  [lensCommand]: 'fromLens',
  [clientCommands.showSimulationResult]: 'showResult',
};

/** Command id → what it does: the fixed ones, and the families' as package.json contributes them (generated from the families). */
export function simulationCommands(context: vscode.ExtensionContext): Record<string, SimulationAction> {
  const contributed = (
    (context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []
  ).map((c) => c.command);
  const others = new Set<string>([...Object.values(clientCommands), ...Object.keys(fixedCommands)]);
  const family = contributed.filter((id) => !others.has(id));
  return { ...fixedCommands, ...Object.fromEntries(family.map((command) => [command, { command }])) };
}

export const taskType = 'hooksmith';

export function registerSimulation(context: vscode.ExtensionContext, server: ServerHandle): void {
  let face: SimulationFace | undefined;
  const load = (): SimulationFace => {
    if (!face) {
      // The same bundle ServerHandle loads (require caches it): vscode-languageclient comes with it.
      const bundle = require(context.asAbsolutePath('dist/languageClient.js')) as { createSimulationFace: typeof createSimulationFace };
      face = bundle.createSimulationFace(context, () => server.start());
    }
    return face;
  };
  for (const [id, action] of Object.entries(simulationCommands(context))) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => load().run(action, args)));
  }
  context.subscriptions.push(
    vscode.tasks.registerTaskProvider(taskType, {
      provideTasks: (token) => load().tasks.provideTasks(token),
      resolveTask: (task, token) => load().tasks.resolveTask(task, token),
    }),
  );
}
