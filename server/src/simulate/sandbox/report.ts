/**
 * The one way a family's simulator turns its runs into a SimulationReport, so that every family's
 * report reads alike: the isolation note first, then the family's own notes, then the up/down
 * pairs' "state restored" verdicts; cancelled when the signal fired, and never ok then.
 */
import { reportFormatVersion, SimulationReport, Skipped } from '../../protocol';
import { Isolation } from './detect';
import { isolationNote } from './isolation';
import { pairNotes } from './state';

/** Which runs set the state up and which take it down (the report pairs each up with the next down). */
export interface UpDown<R> {
  readonly isUp: (r: R) => boolean;
  readonly isDown: (r: R) => boolean;
  /** The run's name in the note; its label by default. */
  readonly nameOf?: (r: R) => string;
}

export interface ReportParts<R extends SimulationReport['runs'][number]> {
  readonly kind: string;
  readonly isolation: Isolation;
  readonly runs: readonly R[];
  readonly skipped: readonly Skipped[];
  /** The family's own notes, after the isolation note (a family that pairs runs its own way adds those notes here). */
  readonly notes?: readonly string[];
  readonly pairs?: UpDown<R>;
  readonly live?: boolean;
  /** The family's verdict on its runs; a cancelled simulation is never ok. */
  readonly ok: boolean;
  readonly signal?: AbortSignal;
}

export function simulationReport<R extends SimulationReport['runs'][number]>(parts: ReportParts<R>): SimulationReport {
  const cancelled = parts.signal?.aborted === true;
  const pairs = parts.pairs ? pairNotes(parts.runs, parts.pairs.isUp, parts.pairs.isDown, parts.pairs.nameOf) : [];
  return {
    kind: parts.kind,
    formatVersion: reportFormatVersion,
    isolation: parts.isolation,
    runs: parts.runs,
    skipped: parts.skipped,
    notes: [isolationNote(parts.isolation), ...(parts.notes ?? []), ...pairs],
    dryRun: !parts.live,
    ok: parts.ok && !cancelled,
    cancelled,
  };
}
