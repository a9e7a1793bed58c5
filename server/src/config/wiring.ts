import * as path from 'node:path';
import type { WiredHook } from '../families/family';

/**
 * Which workspace files the config documents seen so far wire as hooks (a server config's key
 * names /etc/vpn/up.sh, found at deploy/vpn/up.sh). Recognition
 * asks it before the families' name rules, so a script with any name is a hook once a config
 * names it. The server fills it as it lints config documents (open or scanned), the CLI before it
 * lints the rest; one per process, as recognition is asked from everywhere.
 */
export class WiringIndex {
  private readonly byConfig = new Map<string, readonly WiredHook[]>();
  private byFile = new Map<string, WiredHook[]>();

  /** Replaces what `config` wires; answers the files whose wiring changed (to be linted again). */
  set(config: string, wired: readonly WiredHook[]): string[] {
    const key = path.resolve(config);
    const before = this.byConfig.get(key) ?? [];
    const same = before.length === wired.length && before.every((w, i) => sameWiring(w, wired[i]));
    if (same) return [];
    if (wired.length) this.byConfig.set(key, wired);
    else this.byConfig.delete(key);
    this.rebuild();
    return [...new Set([...before, ...wired].flatMap((w) => (w.file ? [w.file] : [])))];
  }

  /** The config keys that name `file`; undefined when none does. */
  wiredTo(file: string): readonly WiredHook[] | undefined {
    return this.byFile.get(path.resolve(file));
  }

  /** Every hook `config` wires. */
  of(config: string): readonly WiredHook[] {
    return this.byConfig.get(path.resolve(config)) ?? [];
  }

  clear(): void {
    this.byConfig.clear();
    this.byFile.clear();
  }

  private rebuild(): void {
    const byFile = new Map<string, WiredHook[]>();
    for (const wired of this.byConfig.values()) {
      for (const w of wired) {
        if (!w.file) continue;
        const file = path.resolve(w.file);
        byFile.set(file, [...(byFile.get(file) ?? []), w]);
      }
    }
    this.byFile = byFile;
  }
}

function sameWiring(a: WiredHook, b: WiredHook): boolean {
  return (
    a.family === b.family &&
    a.hook === b.hook &&
    a.key === b.key &&
    a.file === b.file &&
    a.serverPath === b.serverPath &&
    JSON.stringify(a.facts ?? {}) === JSON.stringify(b.facts ?? {})
  );
}

/** The one index of this process. */
export const wiring = new WiringIndex();
