import { Finding } from '../diagnostics';
import type { RequestSpec, SimulationReport, SimulationRequest } from '../protocol';
import type { SimulationHooks } from '../simulate/simulationHooks';

/** How a family's runner runs a hook. */
export type RunModel =
  | 'executable' // exec'd as a file: shebang, execute bit (AnyConnect)
  | 'function-body' // pasted into a generated sh script as a function body (Shorewall run-time)
  | 'perl-compile-time' // evaluated by the Perl compiler, must return true (Shorewall compile-time)
  | 'cli-tool' // run by the command-line tools, not the firewall script (Shorewall save, scfilter)
  | 'library'; // functions loaded by other hooks (Shorewall lib.private)

export interface EnvVar {
  readonly name: string;
  readonly meaning: string;
  /** A realistic value for simulations and docs. */
  readonly mock: string;
}

export interface HookSpec {
  /** Canonical name: 'OnConnect', 'isusable', ... */
  readonly name: string;
  readonly description: string;
  readonly runModel: RunModel;
  /** Commands or events that run it, in the family's words. */
  readonly runBy: readonly string[];
  readonly env: readonly EnvVar[];
  /** Removed from the real system, with the version. */
  readonly removedIn?: string;
}

/** A file on disk (or an open document) as the hook rules see it. */
export interface HookFile {
  readonly path: string;
  readonly text: string;
  /** POSIX permission bits; undefined when unknown (untitled documents, Windows). */
  readonly mode: number | undefined;
  /** Names of the files in the same folder, this one included. */
  readonly siblings: readonly string[];
  /** The text of a file in the same folder, or undefined when it cannot be read. */
  readonly readSibling: (name: string) => string | undefined;
}

/** What a family made of a file name. */
export interface Recognized {
  readonly family: HookFamily;
  readonly hook: HookSpec;
}

export interface HookFamily {
  readonly id: string;
  readonly displayName: string;
  readonly hooks: readonly HookSpec[];
  /** The hook this file is, or a near miss of, given its path and folder; `forced` when a setting maps the folder to this family. */
  recognize(path: string, siblings: readonly string[], forced: boolean): Recognized | undefined;
  /** Naming, file and content findings for one hook file (the shell parser is loaded). */
  lint(file: HookFile, recognized: Recognized): Finding[];
  /** How the family's hooks are simulated, when they can be. */
  readonly simulation?: FamilySimulation;
}

/** A family's simulator: the fields its requests take, and the run of a checked request. */
export interface FamilySimulation {
  readonly request: RequestSpec;
  /** The request in the family's words, for progress titles: "connect then disconnect", "shorewall start". */
  describe(request: SimulationRequest): string;
  /** Runs a request already checked (and given its defaults) where it entered. */
  run(request: SimulationRequest, hooks: SimulationHooks): Promise<SimulationReport>;
}
