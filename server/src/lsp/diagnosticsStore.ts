import { Diagnostic } from 'vscode-languageserver';

/** Who produced a set of diagnostics for a document; each replaces only its own. */
export type Producer = 'hooksmith' | 'shellcheck' | 'workspace';

interface Entry {
  readonly diagnostics: Diagnostic[];
  /** The document version they were computed for; undefined when they are not about its text (the workspace scan). */
  readonly version: number | undefined;
}

/**
 * Keeps the latest diagnostics of each producer per URI and publishes their union, so that
 * ShellCheck (slow, after a pause) and Hooksmith's own rules (fast, as you type) never erase each
 * other. A publish for one version leaves out another producer's findings for an older version:
 * their ranges belong to a text that is gone, and they come back when that producer catches up.
 */
export class DiagnosticsStore {
  private readonly byUri = new Map<string, Map<Producer, Entry>>();

  constructor(private readonly publish: (uri: string, diagnostics: Diagnostic[], version: number | undefined) => void) {}

  set(uri: string, producer: Producer, diagnostics: Diagnostic[], version?: number): void {
    let producers = this.byUri.get(uri);
    if (!producers) this.byUri.set(uri, (producers = new Map()));
    producers.set(producer, { diagnostics, version });
    const entries = [...producers.values()];
    const newest = version ?? Math.max(...entries.map((e) => e.version ?? -Infinity));
    const current = (e: Entry): boolean => e.version === undefined || e.version === newest;
    this.publish(
      uri,
      entries.filter(current).flatMap((e) => e.diagnostics),
      version,
    );
  }

  get(uri: string, producer: Producer): readonly Diagnostic[] {
    return this.byUri.get(uri)?.get(producer)?.diagnostics ?? [];
  }

  /** Forgets every producer's diagnostics for `uri` and publishes the empty set. */
  clear(uri: string): void {
    this.byUri.delete(uri);
    this.publish(uri, [], undefined);
  }
}
