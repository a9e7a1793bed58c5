import * as path from 'node:path';
import { KnownFiles } from '../protocol';

/** What the server made of an open document: a profile, a family's hook (its id), or neither. */
export type DocumentKind = 'profile' | { readonly family: string; readonly language: string } | undefined;

/**
 * Tells the client which files are profiles and which are each family's hooks (open documents and
 * the workspace scan), so that menus, commands and lenses follow the server's recognition and not
 * a pattern of the client's own. Sent after a short pause, and only when it changed.
 */
export class KnownFilesTracker {
  private readonly open = new Map<string, { readonly file: string; readonly kind: DocumentKind }>();
  private timer: NodeJS.Timeout | undefined;
  private last = '';

  constructor(
    private readonly familyIds: readonly string[],
    private readonly scanned: () => readonly [string, string][],
    private readonly send: (known: KnownFiles) => void,
  ) {}

  document(uri: string, file: string | undefined, kind: DocumentKind): void {
    if (file === undefined) return;
    this.open.set(uri, { file: path.normalize(file), kind });
    this.changed();
  }

  closed(uri: string): void {
    if (this.open.delete(uri)) this.changed();
  }

  changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), 50);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private flush(): void {
    const hooks: Record<string, Set<string>> = Object.fromEntries(this.familyIds.map((id) => [id, new Set<string>()]));
    for (const [file, family] of this.scanned()) hooks[family]?.add(file);
    const profiles = new Set<string>();
    const languages: Record<string, string> = {};
    for (const { file, kind } of this.open.values()) {
      if (kind === 'profile') profiles.add(file);
      else if (kind) {
        hooks[kind.family]?.add(file);
        languages[file] = kind.language;
      }
    }
    const known: KnownFiles = {
      profiles: [...profiles].sort(),
      hooks: Object.fromEntries(Object.entries(hooks).map(([id, files]) => [id, [...files].sort()])),
      languages: Object.fromEntries(Object.entries(languages).sort(([a], [b]) => a.localeCompare(b))),
    };
    const text = JSON.stringify(known);
    if (text === this.last) return;
    this.last = text;
    this.send(known);
  }
}
