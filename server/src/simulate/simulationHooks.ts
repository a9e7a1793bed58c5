/** What a face (LSP, CLI) hands a simulation: cancellation and live callbacks. */
export interface SimulationHooks {
  /** Aborted by the user: the running hook's group gets SIGTERM, SIGKILL after the grace; later events do not fire. */
  readonly signal?: AbortSignal;
  /** A run is about to start (its index in the report, its label, its file). */
  readonly onRunStart?: (run: number, label: string, script: string) => void;
  readonly onOutput?: (run: number, label: string, stream: 'stdout' | 'stderr', text: string) => void;
  /** The process group of each run, as it starts. */
  readonly onSpawn?: (pgid: number) => void;
}

export { SimulationError } from '../protocol';
