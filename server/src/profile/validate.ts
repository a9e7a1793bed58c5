import { Finding, finding, withFix } from '../diagnostics';
import { nearest } from '../text/nearest';
import { clip } from '../text/clip';
import { localName, XmlAttribute, XmlElement } from '../xml/model';
import { childSpec, describeType, ElementSpec, ocservSampleStrays, placesOf, profileNamespace, profileRoot, ValueType } from './schema';
import { valueSpan } from './valueSpan';

export type Dialect = 'auto' | 'cisco' | 'seed';

export interface SchemaContext {
  readonly text: string;
  readonly dialect: Dialect;
  readonly report: (f: Finding) => void;
}

/** What the checks read of an element: its name and where that is (the name spans start + 1 .. nameEnd). */
export type ElementHead = Pick<XmlElement, 'name' | 'start' | 'nameEnd'>;

/** What checkText reads of an element besides its head. */
export type ElementTexts = Pick<XmlElement, 'texts' | 'startTagEnd'>;

/** Checks the tree below `root` against the schema table. */
export function validateSchema(root: XmlElement, ctx: SchemaContext): void {
  if (checkRoot(root, ctx)) validateElement(root, profileRoot, ctx);
}

/** The root's name and namespace; false when it is not a profile at all (nothing below it is checked then). */
export function checkRoot(root: ElementHead & Pick<XmlElement, 'attributes'>, ctx: SchemaContext): boolean {
  if (localName(root.name) !== profileRoot.name) {
    ctx.report(
      finding(
        'HS200',
        root.start + 1,
        root.nameEnd,
        `The root element is <${root.name}>; an AnyConnect profile's root is <${profileRoot.name}>.`,
      ),
    );
    return false;
  }
  checkNamespace(root, ctx);
  return true;
}

function checkNamespace(root: Pick<XmlElement, 'attributes'>, ctx: SchemaContext): void {
  const xmlns = root.attributes.find((a) => a.name === 'xmlns');
  if (!xmlns || xmlns.value === profileNamespace) return;
  const f = finding(
    'HS201',
    xmlns.valueStart,
    xmlns.valueEnd,
    `The profile namespace is "${profileNamespace}"; "${xmlns.value}" makes schema-aware tools (and the Profile Editor) reject the file.`,
  );
  ctx.report(withFix(f, { kind: 'replace', with: profileNamespace }));
}

function validateElement(
  element: XmlElement,
  spec: ElementSpec,
  ctx: SchemaContext,
  children: readonly XmlElement[] = element.children,
): void {
  for (const attr of element.attributes) checkAttribute(element, spec, attr, ctx);
  checkText(element, spec, ctx);
  if (spec.opaque) return;
  checkChildren(element, spec, ctx, children);
}

/**
 * After a missing end tag (HS101, reported by the scanner) everything up to the parent's end tag
 * nests inside the unclosed element. As a compiler's recovery does, the end tag is assumed before
 * the first child it cannot hold: that child and the rest are checked as its siblings, so one
 * mistake gives one error instead of one "not allowed in" per following element.
 */
function recoverUnclosed(element: XmlElement, spec: ElementSpec): { own: readonly XmlElement[]; spilled: readonly XmlElement[] } {
  if (element.closed || spec.opaque) return { own: element.children, spilled: noElements };
  const cut = element.children.findIndex((c) => !childSpec(spec, localName(c.name)));
  if (cut < 0) return { own: element.children, spilled: noElements };
  return { own: element.children.slice(0, cut), spilled: element.children.slice(cut) };
}

const noElements: readonly XmlElement[] = Object.freeze([]);
const noSpecs: readonly ElementSpec[] = Object.freeze([]);
const booleanValues: readonly string[] = Object.freeze(['true', 'false']);
const noValues: readonly string[] = Object.freeze([]);

// ---- attributes -----------------------------------------------------------------------

export function checkAttribute(element: ElementHead, spec: ElementSpec, attr: XmlAttribute, ctx: SchemaContext): void {
  if (attr.name === 'xmlns' || attr.name.startsWith('xmlns:')) return; // namespace declarations are always legal
  if (attr.name === 'UserControllable') return checkUserControllable(element, spec, attr, ctx);
  if (spec.opaque || spec.attributes?.includes(attr.name)) return;
  const allowed = spec.attributes?.length ? ` (allowed: ${spec.attributes.join(', ')})` : '';
  ctx.report(finding('HS210', attr.nameStart, attr.nameEnd, `<${element.name}> has no attribute '${attr.name}'${allowed}.`));
}

function checkUserControllable(element: ElementHead, spec: ElementSpec, attr: XmlAttribute, ctx: SchemaContext): void {
  if (!spec.userControllable) {
    ctx.report(
      finding(
        'HS209',
        attr.nameStart,
        attr.nameEnd,
        `<${element.name}> does not take UserControllable; the user cannot change this preference.`,
      ),
    );
    return;
  }
  if (attr.value !== 'true' && attr.value !== 'false') {
    ctx.report(finding('HS209', attr.valueStart, attr.valueEnd, `UserControllable must be true or false, not "${attr.value}".`));
  }
}

// ---- text -----------------------------------------------------------------------------

export function checkText(element: ElementHead & ElementTexts, spec: ElementSpec, ctx: SchemaContext): void {
  if (!spec.value && element.texts.length === 0) return; // a container without text: the common case
  if (spec.value?.kind === 'string') return; // xs:string takes any text, even none (the Profile Editor writes empty ones)
  const span = valueSpan(element, ctx.text);
  if (!spec.value) {
    if (span.value !== '' && !spec.opaque) {
      ctx.report(
        finding(
          'HS208',
          span.start,
          span.end,
          `<${element.name}> holds only elements; the text "${clip(span.value)}" is not allowed here.`,
        ),
      );
    }
    return;
  }
  if (span.value === '') {
    const choices = describeType(spec.value);
    ctx.report(finding('HS207', element.start + 1, element.nameEnd, `<${element.name}> needs a value: ${choices}.`));
    return;
  }
  const problem = valueProblem(span.value, spec.value);
  if (!problem) return;
  const f = finding('HS206', span.start, span.end, `<${element.name}>: ${problem}`);
  const written = sameButCase(span.value, spec.value);
  ctx.report(written ? withFix(f, { kind: 'replace', with: written }) : f);
}

/** The allowed value `value` differs from only in letter case ("True" for "true"). */
function sameButCase(value: string, type: ValueType): string | undefined {
  const values = type.kind === 'boolean' ? booleanValues : type.kind === 'enum' ? type.values : noValues;
  return values.find((v) => v !== value && v.toLowerCase() === value.toLowerCase());
}

/**
 * Whether text[start, end), without the white space around it, is a value of `type` that checkText takes as it is (not empty,
 * no problem): found in place, without cutting the value out, for the values of a large profile. The schema's values hold no
 * white space (test/server/profile/validate.test.ts checks), so one found in place is what trimming the run would find.
 */
export function valueFitsAt(text: string, start: number, end: number, type: ValueType): boolean {
  // Loops without calls, and no iterator: this runs for a few values in a profile of thousands, mostly before V8 optimises it.
  for (let c = text.charCodeAt(start); start < end && (c === 32 || c === 10 || c === 13 || c === 9); c = text.charCodeAt(++start));
  for (let c = text.charCodeAt(end - 1); end > start && (c === 32 || c === 10 || c === 13 || c === 9); c = text.charCodeAt(--end - 1));
  if (start === end) return false;
  if (type.kind === 'boolean' || type.kind === 'enum') {
    const values = type.kind === 'boolean' ? booleanValues : type.values;
    for (let i = 0; i < values.length; i++) if (values[i].length === end - start && text.startsWith(values[i], start)) return true;
    return false;
  }
  if (type.kind === 'int') {
    for (let i = start; i < end; i++) if (!isDigit(text.charCodeAt(i))) return false;
    const n = Number(text.slice(start, end));
    return n >= type.min && n <= type.max;
  }
  return true; // a string or a script: any text that is not empty
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Why `value` does not fit `type`, or undefined when it does. */
export function valueProblem(value: string, type: ValueType): string | undefined {
  switch (type.kind) {
    case 'boolean':
    case 'enum': {
      const values = type.kind === 'boolean' ? booleanValues : type.values;
      if (values.includes(value)) return undefined;
      const written = sameButCase(value, type);
      if (written) return `"${value}" must be written "${written}" (values are case-sensitive).`;
      return `"${clip(value)}" is not one of: ${values.join(', ')}.`;
    }
    case 'int': {
      if (!/^[0-9]+$/.test(value)) return `"${clip(value)}" is not a whole number (${type.min} to ${type.max}).`;
      const n = Number(value);
      return n < type.min || n > type.max ? `${value} is out of range: ${type.min} to ${type.max}.` : undefined;
    }
    case 'string':
    case 'script':
      return undefined;
  }
}

// ---- children -------------------------------------------------------------------------

/**
 * What the checks on an element's children read of its spec, worked out once per spec: a large
 * profile asks for it at every element, and a lookup by position replaces a set of names and a
 * search of the sequence for each child.
 */
export class ChildTable {
  /** Each child's position in spec.children, by name (the last spec of a name, as childSpec finds it). */
  readonly positions: Map<string, number>;
  /** Each position's place in the schema's sequence (the first spec of its name). */
  readonly sequence: readonly number[];
  /** The required children, and where each one's name is looked up. */
  readonly required: readonly ElementSpec[];
  readonly requiredAt: readonly number[];

  constructor(readonly spec: ElementSpec) {
    const children = spec.children ?? noSpecs;
    this.positions = new Map(children.map((c, i) => [c.name, i]));
    this.sequence = children.map((c) => children.indexOf(c));
    this.required = children.filter((c) => c.required);
    this.requiredAt = this.required.map((c) => this.positions.get(c.name) as number);
  }

  /** The tables of the children's own specs, by position, each made when tableAt is first asked for it. */
  readonly childTables: (ChildTable | undefined)[] = [];

  /** The table of the child spec at `position`: found from its parent's, with no lookup by spec for each element. */
  tableAt(position: number): ChildTable {
    return (this.childTables[position] ??= childTable((this.spec.children as readonly ElementSpec[])[position]));
  }
}

const tables = new WeakMap<ElementSpec, ChildTable>();

export function childTable(spec: ElementSpec): ChildTable {
  let table = tables.get(spec);
  if (!table) tables.set(spec, (table = new ChildTable(spec)));
  return table;
}

const noChildren = new ChildTable({ name: '', doc: '' });

/**
 * The children of one element met so far: which (by position in its spec, stamped with this
 * element's generation, so that starting the next element clears nothing), and the last one in
 * the schema's sequence.
 */
export class ChildOrder {
  table = noChildren;
  /** Read and written by checkChild too, for each element, without a call. */
  readonly stamps: number[] = [];
  generation = 0;
  lastIndex = -1;
  lastName = '';
  /** The position of the child meet was told of last. */
  lastMet = -1;

  /** Starts over for an element of `spec`. */
  reset(spec: ElementSpec): this {
    return this.resetTo(this.table.spec === spec ? this.table : childTable(spec));
  }

  /** Starts over for an element whose spec's table is `table`. */
  resetTo(table: ChildTable): this {
    this.table = table;
    while (this.stamps.length < table.sequence.length) this.stamps.push(0);
    this.generation++;
    this.lastIndex = -1;
    this.lastName = '';
    return this;
  }

  has(position: number): boolean {
    return this.stamps[position] === this.generation;
  }

  /** Marks the child at `position` met; returns whether it had been met before (in one call: this runs for every element). */
  meet(position: number): boolean {
    const met = this.stamps[position] === this.generation;
    this.stamps[position] = this.generation;
    this.lastMet = position;
    return met;
  }
}

/**
 * One ChildOrder per nesting level, reused by every element at that level: a new Map per element
 * was most of the garbage made validating a large profile, and garbage makes the young-generation
 * GC run, copying the still young part of the tree each time.
 */
const orderAtDepth: ChildOrder[] = [];
let depth = 0;

function checkChildren(element: XmlElement, spec: ElementSpec, ctx: SchemaContext, children: readonly XmlElement[]): void {
  if (children.length === 0 && childTable(spec).required.length === 0) return;
  const order = (orderAtDepth[depth] ??= new ChildOrder()).reset(spec);
  depth++;
  try {
    checkEachChild(element, ctx, children, order);
  } finally {
    depth--;
  }
  reportMissing(element, order, ctx);
}

/** HS211 for each required child of `element` that `order` has not met. */
export function reportMissing(element: ElementHead, order: ChildOrder, ctx: SchemaContext): void {
  const { required, requiredAt } = order.table;
  for (let i = 0; i < required.length; i++) {
    const cs = required[i];
    if (!order.has(requiredAt[i])) {
      ctx.report(finding('HS211', element.start + 1, element.nameEnd, `<${element.name}> has no <${cs.name}>; it is required.`));
    }
  }
}

function checkEachChild(element: XmlElement, ctx: SchemaContext, children: readonly XmlElement[], order: ChildOrder): void {
  // Copied only when a child's recovery spills elements into it (the rare, broken case).
  let queue = children;
  for (let i = 0; i < queue.length; i++) {
    const child = queue[i];
    const cs = checkChild(element, child, order, ctx);
    if (!cs) continue;
    if (child.closed || cs.opaque) {
      validateElement(child, cs, ctx, child.children);
      continue;
    }
    const { own, spilled } = recoverUnclosed(child, cs);
    if (spilled.length) {
      if (queue === children) queue = [...children];
      (queue as XmlElement[]).splice(i + 1, 0, ...spilled);
    }
    validateElement(child, cs, ctx, own);
  }
}

/**
 * The checks on `child` as one of `element`'s children, in document order (`order`, reset for
 * `element`'s spec, holds those met before it): unknown, repeated, out of sequence, of the seed
 * dialect. Returns the child's spec, or undefined when it is unknown here (and nothing inside it is checked).
 */
export function checkChild(element: ElementHead, child: ElementHead, order: ChildOrder, ctx: SchemaContext): ElementSpec | undefined {
  const { spec, positions, sequence } = order.table;
  // No schema name has a prefix: a name without one is its own local name, found without looking for a colon in it.
  const position = positions.get(child.name) ?? positions.get(localName(child.name));
  if (position === undefined) {
    reportUnknown(child, spec, ctx);
    return undefined;
  }
  const cs = (spec.children as readonly ElementSpec[])[position];
  // order.meet(position), without a call: this runs for every element.
  const met = order.stamps[position] === order.generation;
  order.stamps[position] = order.generation;
  order.lastMet = position;
  if (met && !cs.repeats) {
    ctx.report(
      finding('HS205', child.start + 1, child.nameEnd, `<${child.name}> appears more than once in <${element.name}>; only one is allowed.`),
    );
  }
  if (spec.order === 'sequence') {
    const index = sequence[position];
    if (index < order.lastIndex) {
      ctx.report(
        finding('HS204', child.start + 1, child.nameEnd, `In <${element.name}>, <${child.name}> must come before <${order.lastName}>.`),
      );
    } else {
      order.lastIndex = index;
      order.lastName = child.name;
    }
  }
  if (cs.dialect === 'seed') reportDialect(child, cs, ctx);
  return cs;
}

function reportDialect(child: ElementHead, cs: ElementSpec, ctx: SchemaContext): void {
  if (ctx.dialect === 'seed') return;
  const note = cs.ciscoNote ?? '';
  if (ctx.dialect === 'auto') {
    ctx.report(finding('HS212', child.start + 1, child.nameEnd, `<${child.name}> is read by the seed's executor only. ${note}`));
  } else {
    ctx.report(
      finding(
        'HS212',
        child.start + 1,
        child.nameEnd,
        `<${child.name}> is not in Cisco's schema (profile dialect is "cisco"). ${note}`,
        'error',
      ),
    );
  }
}

function reportUnknown(child: ElementHead, parent: ElementSpec, ctx: SchemaContext): void {
  const at = [child.start + 1, child.nameEnd] as const;
  const places = placesOf(localName(child.name)).filter((p) => p.parents.length > 0);
  if (places.length) {
    const parents = new Set(places.map((p) => `<${p.parents[p.parents.length - 1].name}>`));
    const where = [...parents].join(' or ');
    const f = finding('HS203', ...at, `<${child.name}> is not allowed in <${parent.name}>; it belongs inside ${where}.`);
    ctx.report(parents.size === 1 ? withFix(f, { kind: 'move-into', parent: places[0].parents[places[0].parents.length - 1].name }) : f);
    return;
  }
  if (ocservSampleStrays.has(localName(child.name))) {
    ctx.report(
      finding(
        'HS202',
        ...at,
        `<${child.name}> is in no AnyConnect schema: it is copied from ocserv's sample profile, and Cisco's client ignores it.`,
      ),
    );
    return;
  }
  const suggestion = nearest(
    localName(child.name),
    (parent.children ?? []).map((c) => c.name),
  );
  const newer = 'it may be newer than the schema Hooksmith knows (AnyConnect 4.10)';
  const hint = suggestion ? ` Did you mean <${suggestion}>? If not, ${newer}.` : ` It is a typo, or ${newer}.`;
  const f = finding('HS202', ...at, `<${child.name}> is not a known child of <${parent.name}>.${hint}`);
  // A prefixed name keeps its prefix: only the local part was misspelt.
  const to = suggestion && child.name.slice(0, child.name.length - localName(child.name).length) + suggestion;
  ctx.report(to ? withFix(f, { kind: 'rename-element', to }) : f);
}
