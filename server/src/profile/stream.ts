import { Finding } from '../diagnostics';
import { XmlAttribute, XmlText } from '../xml/model';
import { scanXmlInto, TagEnd, XmlSink } from '../xml/scanner';
import { ElementSpec, profileRoot } from './schema';
import { isClientInitialization, isEnableScripting, reportScriptRefs, ScriptFolders, ScriptRef, scriptEvent } from './scripts';
import {
  checkAttribute,
  checkChild,
  checkRoot,
  checkText,
  childTable,
  ChildOrder,
  ChildTable,
  Dialect,
  ElementHead,
  ElementTexts,
  reportMissing,
  SchemaContext,
  valueFitsAt,
} from './validate';

/**
 * The profile validator without a tree, for the CLI: the schema and script checks run on the
 * scanner's events as it reads, keeping one frame per open element. On a large profile the
 * tree was most of the run (the young-generation GC copying a tree that all survives).
 *
 * The findings are the tree validator's, in the same order after the sort by position: each
 * element's checks are the same functions, and the only ones that can share a range (those on an
 * element's name) are made in the tree's order. A document with an element that is never closed
 * (or nested too deep) is left to the tree validator, whose recovery needs the whole tree: this
 * returns undefined for it.
 */
export function validateStreaming(
  text: string,
  options: { readonly dialect: Dialect; readonly scriptFolders?: ScriptFolders },
): Finding[] | undefined {
  const validator = new StreamValidator(text, options.dialect);
  const problems = scanXmlInto(text, validator);
  if (validator.broken) return undefined;
  const findings = [...problems, ...validator.findings];
  reportScriptRefs(validator.scriptRefs, validator.enableScripting, text, options.scriptFolders, (f) => void findings.push(f));
  return findings;
}

const enum Role {
  None,
  /** The root's first <ClientInitialization>. */
  ClientInitialization,
  /** A child of it that names a script. */
  Script,
  /** Its first <EnableScripting>. */
  EnableScripting,
}

/** One open element; reused by every element at its depth, so that reading makes next to no garbage. */
class Frame implements ElementHead, ElementTexts {
  name = '';
  start = 0;
  startTagEnd = 0;
  /** What it is checked against; undefined when nothing checks it (unknown, inside an opaque element, a second root). */
  spec: ElementSpec | undefined = undefined;
  /** Its children are checked against spec, in `order`. */
  checksChildren = false;
  /** The table of spec's children, when they are checked. */
  table: ChildTable | undefined = undefined;
  readonly order = new ChildOrder();
  /**
   * `order` has been reset for this element: not until its first child, as most elements have none (a
   * leaf's reset was a good part of validating it), nor at all for one without children that needs none.
   */
  ordered = false;
  /** Its runs of text are kept, as only a check reads them (not for xs:string values, most of a large profile). */
  keepsTexts = false;
  /** Its one run of text while that is plain text[runStart, runEnd) (-1: none, or they are in `runs`): the usual value is not cut out. */
  runStart = -1;
  runEnd = -1;
  /** Its runs, once there is more than one or one with references. */
  private readonly runs: XmlText[] = [];
  role = Role.None;
  event: ScriptRef['event'] = 'OnConnect';

  constructor(private readonly source: string) {}

  get texts(): readonly XmlText[] {
    return this.runStart < 0
      ? this.runs
      : [{ start: this.runStart, end: this.runEnd, value: this.source.slice(this.runStart, this.runEnd) }];
  }

  get hasText(): boolean {
    return this.runStart >= 0 || this.runs.length > 0;
  }

  clearTexts(): void {
    this.runStart = -1;
    if (this.runs.length) this.runs.length = 0;
  }

  /** A run of text[start, end), `value` decoded (undefined: plain, the text itself). */
  addText(start: number, end: number, value: string | undefined): void {
    if (value === undefined && !this.hasText) {
      this.runStart = start;
      this.runEnd = end;
      return;
    }
    if (this.runStart >= 0) this.runs.push(this.texts[0]);
    this.runStart = -1;
    this.runs.push({ start, end, value: value ?? this.source.slice(start, end) });
  }

  get nameEnd(): number {
    return this.start + 1 + this.name.length;
  }

  /** What checks read of it once it is closed (the frame itself is reused). */
  snapshot(): ElementHead & ElementTexts {
    const { name, start, nameEnd, startTagEnd } = this;
    return { name, start, nameEnd, startTagEnd, texts: this.texts.slice() };
  }
}

class StreamValidator implements XmlSink {
  readonly findings: Finding[] = [];
  readonly scriptRefs: ScriptRef[] = [];
  enableScripting: ElementTexts | undefined;
  /** An element was left open or the scan stopped: the tree validator's recovery is needed. */
  broken = false;
  /** The open element keeps its text (see Frame.keepsTexts): the scanner calls text() only then. */
  wantsText = false;
  private readonly ctx: SchemaContext;
  private readonly frames: Frame[] = [];
  /** How many elements are open. */
  private depth = 0;
  private roots = 0;
  private ciSeen = false;
  /** The first root's attributes: its namespace is checked before them, once they are all read. */
  private readonly rootAttributes: XmlAttribute[] = [];

  constructor(
    private readonly source: string,
    dialect: Dialect,
  ) {
    this.ctx = { text: source, dialect, report: (f) => void this.findings.push(f) };
  }

  open(name: string, start: number): void {
    const depth = this.depth;
    const frame = (this.frames[depth] ??= new Frame(this.source));
    frame.name = name;
    frame.start = start;
    if (frame.keepsTexts) frame.clearTexts(); // only an element that kept text has any
    frame.role = Role.None;
    // The first root is settled at its tagEnd; a second one is never checked.
    const parent = depth === 0 ? undefined : this.frames[depth - 1];
    let spec: ElementSpec | undefined;
    let table: ChildTable | undefined;
    if (parent?.checksChildren) {
      const { order } = parent;
      if (!parent.ordered) {
        order.resetTo(parent.table as ChildTable);
        parent.ordered = true;
      }
      spec = checkChild(parent, frame, order, this.ctx);
      if (spec && !spec.opaque) table = order.table.childTables[order.lastMet] ?? order.table.tableAt(order.lastMet);
    }
    // settle(frame, spec, table), without a call: this runs for every element.
    frame.spec = spec;
    frame.table = table;
    frame.checksChildren = table !== undefined;
    frame.ordered = false;
    frame.keepsTexts = spec !== undefined && spec.value?.kind !== 'string';
    if (parent === undefined) this.roots++;
    else if (depth <= 2 && this.roots === 1) this.findRole(frame, parent, depth);
  }

  /** `table` is spec's table when its children are checked (spec is not opaque). */
  private settle(frame: Frame, spec: ElementSpec | undefined, table: ChildTable | undefined): void {
    frame.spec = spec;
    frame.table = table;
    frame.checksChildren = table !== undefined;
    frame.ordered = false;
    frame.keepsTexts = (spec !== undefined && spec.value?.kind !== 'string') || frame.role !== Role.None;
  }

  /** Where the script checks look: the first root's first <ClientInitialization> and its children. */
  private findRole(frame: Frame, parent: Frame, depth: number): void {
    if (depth === 1 && !this.ciSeen && isClientInitialization(frame.name)) {
      this.ciSeen = true;
      frame.role = Role.ClientInitialization;
    } else if (depth === 2 && parent.role === Role.ClientInitialization) {
      const event = scriptEvent(frame.name);
      if (event) {
        frame.role = Role.Script;
        frame.event = event;
      } else if (this.enableScripting === undefined && isEnableScripting(frame.name)) frame.role = Role.EnableScripting;
      frame.keepsTexts ||= frame.role !== Role.None;
    }
  }

  attribute(attr: XmlAttribute): void {
    const frame = this.frames[this.depth];
    if (this.depth === 0 && this.roots === 1) this.rootAttributes.push(attr);
    else if (frame.spec) checkAttribute(frame, frame.spec, attr, this.ctx);
  }

  tagEnd(end: number, how: TagEnd): void {
    const frame = this.frames[this.depth];
    frame.startTagEnd = end;
    if (this.depth === 0 && this.roots === 1) this.settleRoot(frame);
    if (how === 'open') {
      this.depth++;
      this.wantsText = frame.keepsTexts;
    } else if (how === 'self-closed') this.finish(frame);
    else this.broken = true;
  }

  private settleRoot(root: Frame): void {
    const attributes = this.rootAttributes;
    if (!checkRoot({ name: root.name, start: root.start, nameEnd: root.nameEnd, attributes }, this.ctx)) return;
    this.settle(root, profileRoot, childTable(profileRoot));
    for (const attr of attributes) checkAttribute(root, profileRoot, attr, this.ctx);
  }

  text(start: number, end: number, value: string | undefined): void {
    this.frames[this.depth - 1].addText(start, end, value);
  }

  close(_end: number, closed: boolean): void {
    if (!closed) this.broken = true;
    const depth = --this.depth;
    this.wantsText = depth > 0 && this.frames[depth - 1].keepsTexts;
    const frame = this.frames[depth];
    // Most elements are an xs:string value or a container with no text: nothing is left to check at their end.
    if (!this.broken && (frame.keepsTexts || frame.ordered || frame.table?.required.length)) this.finish(frame);
  }

  /** The checks made once the whole element is read: its text, its required children; the script checks' inputs. */
  private finish(frame: Frame): void {
    const { spec } = frame;
    if (spec) {
      // Only what checkText would look at: no call for an xs:string value or a container without text (most elements), nor for
      // a value of one plain run that fits its type, found fitting where it lies (checkText would cut it out and trim it first).
      if (frame.keepsTexts) {
        const { value } = spec;
        const fits = value !== undefined && frame.runStart >= 0 && valueFitsAt(this.source, frame.runStart, frame.runEnd, value);
        if (!fits && (value !== undefined || frame.hasText)) checkText(frame, spec, this.ctx);
      }
      if (frame.ordered) reportMissing(frame, frame.order, this.ctx);
      else if (frame.table?.required.length) reportMissing(frame, frame.order.resetTo(frame.table), this.ctx);
    }
    if (frame.role === Role.Script) this.scriptRefs.push({ element: frame.snapshot(), event: frame.event });
    else if (frame.role === Role.EnableScripting) this.enableScripting = frame.snapshot();
  }
}
