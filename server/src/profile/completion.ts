import { localName, XmlElement } from '../xml/model';
import { cursorAt, ProfileCursor, Span, specOf, specPath } from './cursor';
import { elementMarkdown, userControllableDoc, valuesOf } from './docs';
import { ElementSpec, profileNamespace, profileRoot, userControllableAttribute } from './schema';
import { nameProblem } from './scripts';
import type { Dialect } from './validate';

export interface ProfileCompletion {
  readonly label: string;
  readonly kind: 'element' | 'value' | 'attribute' | 'file';
  /** Snippet syntax (${1|a,b|}, $0). */
  readonly insert: string;
  readonly replace: Span;
  readonly filterText?: string;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** Keeps the schema's order in the list. */
  readonly sortText: string;
}

export interface ProfileCompletionOptions {
  readonly dialect: Dialect;
  /** Script files in the profile's script folders, by name. */
  readonly scriptFiles?: () => readonly string[];
}

/** Completions at `offset`: allowed child elements, values, attributes, script files. */
export function profileCompletions(text: string, offset: number, options: ProfileCompletionOptions): ProfileCompletion[] {
  const cursor = cursorAt(text, offset);
  switch (cursor.kind) {
    case 'element':
      return elementItems(cursor, options.dialect);
    case 'content':
      return contentItems(cursor, options);
    case 'attribute':
      return attributeItems(cursor.element, cursor.replace);
    case 'attributeValue':
      return attributeValueItems(cursor.attribute, cursor.replace);
    case 'none':
      return [];
  }
}

function elementItems(cursor: Extract<ProfileCursor, { kind: 'element' }>, dialect: Dialect): ProfileCompletion[] {
  const { parent } = cursor;
  if (!parent) return cursor.hasRoot ? [] : [elementItem(profileRoot, [], cursor.replace, cursor.bracket, cursor.nameOnly, 0)];
  const spec = specOf(parent);
  if (!spec) return [];
  const path = [...specPath(parent), spec];
  return allowedChildren(spec, parent, cursor.replace.start, dialect).map((c, i) =>
    elementItem(c, path, cursor.replace, cursor.bracket, cursor.nameOnly, i),
  );
}

/**
 * The children that may go at `at`: not present yet unless they repeat, not seed-only in the
 * cisco dialect, and in a sequence only between the siblings before and after the cursor.
 */
export function allowedChildren(spec: ElementSpec, parent: XmlElement, at: number, dialect: Dialect): ElementSpec[] {
  const children = spec.children ?? [];
  const present = new Set(parent.children.map((c) => localName(c.name)));
  const indexOf = (e: XmlElement): number => children.findIndex((c) => c.name === localName(e.name));
  const before = parent.children.filter((c) => c.start < at).map(indexOf);
  const after = parent.children
    .filter((c) => c.start >= at)
    .map(indexOf)
    .filter((i) => i >= 0);
  const low = Math.max(-1, ...before);
  const high = Math.min(children.length, ...after);
  return children.filter((c, i) => {
    if (dialect === 'cisco' && c.dialect === 'seed') return false;
    if (present.has(c.name) && !c.repeats) return false;
    if (spec.order !== 'sequence') return true;
    return (i > low || (i === low && c.repeats === true)) && (i < high || (i === high && c.repeats === true));
  });
}

function elementItem(
  spec: ElementSpec,
  parents: readonly ElementSpec[],
  replace: Span,
  bracket: boolean,
  nameOnly: boolean,
  order: number,
): ProfileCompletion {
  return {
    label: spec.name,
    kind: 'element',
    insert: nameOnly ? `<${spec.name}` : elementSnippet(spec),
    replace,
    filterText: bracket ? `<${spec.name}` : spec.name,
    detail: spec.dialect === 'seed' ? `${spec.doc} (seed dialect)` : spec.doc,
    documentation: elementMarkdown(spec, parents),
    sortText: String(order).padStart(3, '0'),
  };
}

/** `<Name>${1|true,false|}</Name>`, with the children on their own lines for containers. */
export function elementSnippet(spec: ElementSpec): string {
  const attr = spec.name === profileRoot.name ? ` xmlns="${profileNamespace}"` : '';
  const values = valuesOf(spec);
  const value = values.length
    ? `\${1|${values.map(escapeChoice).join(',')}|}`
    : spec.value
      ? `\${1:${escapeText(spec.default ?? '')}}`
      : '';
  if (!spec.children?.length || spec.opaque) return `<${spec.name}${attr}>${value}</${spec.name}>$0`;
  return `<${spec.name}${attr}>${value}\n\t$0\n</${spec.name}>`;
}

const escapeChoice = (v: string): string => v.replace(/[\\,|$}]/g, (c) => `\\${c}`);
const escapeText = (v: string): string => v.replace(/[\\$}]/g, (c) => `\\${c}`);

/** In an element's text: its values (before any child element), then the children it may take. */
function contentItems(cursor: Extract<ProfileCursor, { kind: 'content' }>, options: ProfileCompletionOptions): ProfileCompletion[] {
  const spec = specOf(cursor.element);
  if (!spec) return [];
  const values = cursor.valueDone ? [] : valueItems(spec, cursor.replace, options);
  const path = [...specPath(cursor.element), spec];
  const children = allowedChildren(spec, cursor.element, cursor.replace.start, options.dialect);
  return [...values, ...children.map((c, i) => elementItem(c, path, cursor.replace, false, false, values.length + i))];
}

function valueItems(spec: ElementSpec, replace: Span, options: ProfileCompletionOptions): ProfileCompletion[] {
  const type = spec.value;
  if (type?.kind === 'script') {
    const files = (options.scriptFiles?.() ?? []).filter((f) => nameProblem(f, type.event) === undefined);
    return files.map((f, i) => ({
      label: f,
      kind: 'file',
      insert: escapeText(f),
      replace,
      detail: `${type.event} script in the script folder`,
      sortText: String(i).padStart(3, '0'),
    }));
  }
  return valuesOf(spec).map((v, i) => ({
    label: v,
    kind: 'value',
    insert: escapeText(v),
    replace,
    detail: v === spec.default ? `${spec.name} (default)` : spec.name,
    sortText: String(i).padStart(3, '0'),
  }));
}

function attributeItems(element: XmlElement, replace: Span): ProfileCompletion[] {
  const spec = specOf(element);
  if (!spec) return [];
  const names = [...(spec.userControllable ? [userControllableAttribute] : []), ...(spec.attributes ?? [])];
  const present = new Set(element.attributes.map((a) => a.name));
  return names
    .filter((n) => !present.has(n))
    .map((n, i) => ({
      label: n,
      kind: 'attribute',
      insert: n === userControllableAttribute ? `${n}="\${1|true,false|}"` : n === 'xmlns' ? `${n}="${profileNamespace}"` : `${n}="$1"`,
      replace,
      documentation: n === userControllableAttribute ? userControllableDoc : undefined,
      sortText: String(i).padStart(3, '0'),
    }));
}

function attributeValueItems(attribute: string, replace: Span): ProfileCompletion[] {
  const values = attribute === userControllableAttribute ? ['true', 'false'] : attribute === 'xmlns' ? [profileNamespace] : [];
  return values.map((v, i) => ({ label: v, kind: 'value', insert: v, replace, sortText: String(i).padStart(3, '0') }));
}
