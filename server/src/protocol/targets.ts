/**
 * How a client turns a command (a menu, the palette, a keybinding, a task) into a complete
 * simulation request without knowing any family: it asks the server, which asks the family
 * (serverCommands.simulationTarget), and shows the choices the answer offers.
 */
import type { SimulationRequest } from './request';

export interface TargetParams {
  /** The client command: one of a family's, or clientCommands.simulateLive. */
  readonly command: string;
  /** Fields given so far: a keybinding's args (paths relative to the first workspace folder), or picked from earlier answers. */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** The resource a menu passed: a file or folder. */
  readonly resource?: { readonly path: string; readonly folder: boolean };
  /** The active editor's file. */
  readonly active?: { readonly path: string; readonly languageId: string };
}

export interface TargetChoice {
  readonly label: string;
  readonly description?: string;
  /** Merged into the fields of the next ask. */
  readonly fields: Readonly<Record<string, unknown>>;
}

export type TargetAnswer =
  /** Complete: simulate it. */
  | { readonly request: SimulationRequest }
  /** Show the choices; the one picked (or a folder browsed to, into `browse.field`) is asked about again. */
  | {
      readonly pick: {
        readonly title: string;
        readonly choices: readonly TargetChoice[];
        readonly browse?: { readonly field: string; readonly title: string; readonly openLabel: string };
      };
    }
  /** Nothing to simulate here: tell the user why. */
  | { readonly message: string };

/** A ready task for the workspace: its definition (tasks.json shape) and its label. */
export interface ProvidedTask {
  readonly definition: Readonly<Record<string, unknown>>;
  readonly label: string;
}

/** A task definition read as a request, or the message naming what is wrong with it. */
export type FromTask = { readonly ok: true; readonly request: SimulationRequest } | { readonly ok: false; readonly error: string };
