/**
 * Completion and hover in a spec, from the key tables and the test's family. Where the cursor is
 * is read from the lines above it (their indentation and keys), so a half-written spec that does
 * not parse yet still gets its keys.
 */
import { familyById, familyEvents, requestFields, testableFamilies } from './families';
import { commandKeys, fieldKey, KeyDoc, presenceKeys, rowKeys, runKeys, stateKindKeys, testKeys, topKeys, wholeRunKeys } from './model';

export interface SpecCompletion {
  readonly label: string;
  readonly kind: 'key' | 'value';
  readonly detail: string;
  readonly documentation: string;
  /** What is inserted: `key: ` for a key. */
  readonly insertText: string;
}

interface Line {
  readonly indent: number;
  /** The key written on the line (after a list dash), if any. */
  readonly key?: string;
  readonly keyStart: number;
  readonly dash: boolean;
  readonly value: string;
}

function readLine(text: string): Line {
  const m = /^(\s*)(-\s+)?(?:([A-Za-z_][\w.-]*)\s*:(?:\s+|$))?(.*)$/.exec(text) as RegExpExecArray;
  const indent = m[1].length + (m[2]?.length ?? 0);
  return { indent, key: m[3], keyStart: indent, dash: m[2] !== undefined, value: m[4] ?? '' };
}

/** The keys from the top down to the map the line at `lineNo` sits in, with a column. */
function parents(lines: readonly string[], lineNo: number, column: number): { path: string[]; itemStart: number } {
  const path: string[] = [];
  let limit = column;
  let itemStart = 0;
  for (let i = lineNo - 1; i >= 0 && limit > 0; i--) {
    const l = readLine(lines[i]);
    if (!lines[i].trim() || lines[i].trim().startsWith('#')) continue;
    // A list item's dash at a smaller column opens the item the cursor is in: its first key is a sibling.
    if (l.dash && l.indent <= limit && lines[i].indexOf('-') < limit) {
      if (path.length === 0 && itemStart === 0) itemStart = i;
      limit = lines[i].indexOf('-');
      continue;
    }
    if (l.key && l.indent < limit) {
      path.unshift(l.key);
      limit = l.indent;
    }
  }
  return { path, itemStart };
}

/** The `family:` of the test around line `lineNo`: searched up to its item's dash, then down to the next item. */
function familyAround(lines: readonly string[], lineNo: number): string | undefined {
  let start = lineNo;
  while (start > 0 && !/^\s{0,4}-\s/.test(lines[start])) start--;
  for (let i = start; i < lines.length; i++) {
    if (i > start && /^\s{0,4}-\s/.test(lines[i])) break;
    const m = /^\s*(?:-\s+)?family\s*:\s*([\w-]+)/.exec(lines[i]);
    if (m) return m[1];
  }
  return undefined;
}

/** The keys allowed in the map at `path` (tests and rows collapse their list level). */
function keysAt(path: readonly string[], family: string | undefined): KeyDoc[] {
  const fam = familyById(family);
  const fields = fam ? requestFields(fam).map(fieldKey) : [];
  const events = fam ? familyEvents(fam) : [];
  const last = path[path.length - 1];
  if (path.length === 0) return [...topKeys];
  if (path.length === 1 && last === 'tests') return [...testKeys, ...fields];
  if (last === 'matrix') return [...rowKeys, ...fields];
  if (last === 'expect')
    return [...runKeys, ...wholeRunKeys, ...events.map((e) => eventKey(e, fam?.hooks.find((h) => h.name === e)?.description))];
  if (last === 'commands') return [...commandKeys];
  if (last === 'state') return [...stateKindKeys];
  if (path[path.length - 2] === 'state') return [...presenceKeys];
  if (path[path.length - 2] === 'expect' && events.includes(last)) return [...runKeys];
  return [];
}

function eventKey(event: string, description?: string): KeyDoc {
  return { key: event, type: 'expect', doc: `Expectations of the ${event} run${description ? ` (${description})` : ''}.` };
}

function where(text: string, offset: number) {
  const lines = text.split('\n');
  const before = text.slice(0, offset);
  const lineNo = before.split('\n').length - 1;
  const column = offset - (before.lastIndexOf('\n') + 1);
  return { lines, lineNo, column, line: lines[lineNo] ?? '' };
}

/** Keys of the map the cursor is in, or values of the key before it. */
export function specCompletions(text: string, offset: number): SpecCompletion[] {
  const { lines, lineNo, column, line } = where(text, offset);
  const head = readLine(line.slice(0, column));
  const family = familyAround(lines, lineNo);
  if (head.key && column > line.indexOf(':')) return valuesOf(head.key, family);
  const { path } = parents(lines, lineNo, head.indent);
  return keysAt(path, family).map((k) => ({ label: k.key, kind: 'key', detail: k.type, documentation: k.doc, insertText: `${k.key}: ` }));
}

function valuesOf(key: string, family: string | undefined): SpecCompletion[] {
  const value = (label: string, doc: string): SpecCompletion => ({
    label,
    kind: 'value',
    detail: key,
    documentation: doc,
    insertText: label,
  });
  if (key === 'family') return testableFamilies().map((f) => value(f.id, f.displayName));
  const fam = familyById(family);
  const k = [...testKeys, ...(fam ? requestFields(fam).map(fieldKey) : []), ...runKeys, ...wholeRunKeys].find((d) => d.key === key);
  if (k?.values) return k.values.map((v) => value(v, k.doc));
  if (k?.type === 'boolean') return ['true', 'false'].map((v) => value(v, k.doc));
  return [];
}

/** The doc of the key under the cursor, with its range (offsets). */
export function specHover(text: string, offset: number): { markdown: string; start: number; end: number } | undefined {
  const { lines, lineNo, column, line } = where(text, offset);
  const l = readLine(line);
  if (!l.key || column < l.keyStart || column > l.keyStart + l.key.length) return undefined;
  const { path } = parents(lines, lineNo, l.indent);
  const doc = keysAt(path, familyAround(lines, lineNo)).find((k) => k.key === l.key);
  if (!doc) return undefined;
  const lineStart = offset - column;
  return {
    markdown: `**${doc.key}** (${doc.type})\n\n${doc.doc}`,
    start: lineStart + l.keyStart,
    end: lineStart + l.keyStart + l.key.length,
  };
}
