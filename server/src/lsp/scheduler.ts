/**
 * Runs at most one pending validation per document. Small documents are validated on the
 * next turn of the event loop (a burst of edits collapses into one run); large ones wait a
 * little longer so that typing in a multi-megabyte file does not queue work.
 */
export class ValidationScheduler {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly run: (uri: string) => void) {}

  schedule(uri: string, size: number): void {
    this.cancel(uri);
    const delay = Math.min(500, Math.floor(size / 20_000));
    this.pending.set(
      uri,
      setTimeout(() => {
        this.pending.delete(uri);
        this.run(uri);
      }, delay),
    );
  }

  cancel(uri: string): void {
    const timer = this.pending.get(uri);
    if (timer) clearTimeout(timer);
    this.pending.delete(uri);
  }
}
