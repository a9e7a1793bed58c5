/**
 * Runs at most one pending validation per document. Small documents are validated on the
 * next turn of the event loop (a burst of edits collapses into one run); large ones wait a
 * little longer so that typing in a multi-megabyte file does not queue work. A pending
 * validation that a newer one replaces, or a close cancels, is reported as dropped.
 */
export class ValidationScheduler {
  private readonly pending = new Map<string, { readonly timer: NodeJS.Timeout; readonly version: number }>();

  constructor(
    private readonly run: (uri: string, version: number) => void,
    private readonly dropped: (uri: string, version: number) => void = () => undefined,
  ) {}

  /** `version`: the document's version when the change that wants this validation came. */
  schedule(uri: string, size: number, version: number): void {
    this.cancel(uri);
    const delay = Math.min(500, Math.floor(size / 20_000));
    const timer = setTimeout(() => {
      this.pending.delete(uri);
      this.run(uri, version);
    }, delay);
    this.pending.set(uri, { timer, version });
  }

  cancel(uri: string): void {
    const pending = this.pending.get(uri);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(uri);
    this.dropped(uri, pending.version);
  }
}
