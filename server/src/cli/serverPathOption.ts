import { defineEntry } from './defineEntry';
import { UsageError } from './usageError';

/** DIR=LOCAL: the first '=' splits (a server path holds none). */
export function addServerPath(paths: Record<string, string>, value: string): void {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1 || !value.startsWith('/'))
    throw new UsageError(`--server-path takes DIR=LOCAL with DIR an absolute folder on the server, not '${value}'.`);
  defineEntry(paths, value.slice(0, eq), value.slice(eq + 1));
}
