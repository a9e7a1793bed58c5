import { Diagnostic } from 'vscode-languageserver';

/** Who produced a set of diagnostics for a document; each replaces only its own. */
export type Producer = 'hooksmith' | 'shellcheck' | 'workspace';

/**
 * Keeps the latest diagnostics of each producer per URI and publishes their union, so that
 * ShellCheck (slow, on save) and Hooksmith's own rules (fast, as you type) never erase each other.
 */
export class DiagnosticsStore {
  private readonly byUri = new Map<string, Map<Producer, Diagnostic[]>>();

  constructor(private readonly publish: (uri: string, diagnostics: Diagnostic[], version: number | undefined) => void) {}

  set(uri: string, producer: Producer, diagnostics: Diagnostic[], version?: number): void {
    let producers = this.byUri.get(uri);
    if (!producers) this.byUri.set(uri, (producers = new Map()));
    producers.set(producer, diagnostics);
    this.publish(uri, [...producers.values()].flat(), version);
  }

  get(uri: string, producer: Producer): readonly Diagnostic[] {
    return this.byUri.get(uri)?.get(producer) ?? [];
  }

  /** Forgets every producer's diagnostics for `uri` and publishes the empty set. */
  clear(uri: string): void {
    this.byUri.delete(uri);
    this.publish(uri, [], undefined);
  }
}
