import { Finding, finding } from '../diagnostics';

/** Limits that stop billion-laughs style expansion long before it costs anything. */
export const entityLimits = {
  maxDeclarations: 100,
  maxDepth: 8,
  maxExpandedChars: 10_000,
} as const;

export interface EntityDeclaration {
  readonly name: string;
  /** Replacement text of an internal entity; undefined for an external one (never read). */
  readonly value: string | undefined;
}

/** A Map, not an object literal: '&constructor;' must not find Object.prototype's members. */
const predefined = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

/**
 * A reference's name and its ';', read where the '&' is: looking for the next ';' instead made
 * text full of bare '&' quadratic (each one searched to the end of the text).
 */
const reference = /(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_:][-\w.:]*);/y;

/**
 * Decodes character and entity references in text or attribute values.
 * One instance per document: the expansion budget is shared by the whole document.
 */
export class EntityDecoder {
  private readonly declared = new Map<string, EntityDeclaration>();
  private expandedChars = 0;
  private limitReported = false;

  constructor(private readonly report: (f: Finding) => void) {}

  declare(entity: EntityDeclaration): boolean {
    if (this.declared.size >= entityLimits.maxDeclarations) return false;
    if (!this.declared.has(entity.name)) this.declared.set(entity.name, entity);
    return true;
  }

  /** Decodes `raw`, found at document offset `offset`. */
  decode(raw: string, offset: number): string {
    if (raw.indexOf('&') < 0) return raw;
    return this.expand(raw, offset, 0, true);
  }

  private expand(raw: string, offset: number, depth: number, positioned: boolean): string {
    let out = '';
    let i = 0;
    while (i < raw.length) {
      const amp = raw.indexOf('&', i);
      if (amp < 0) {
        out += raw.slice(i);
        break;
      }
      out += raw.slice(i, amp);
      reference.lastIndex = amp + 1;
      const name = reference.exec(raw)?.[1];
      const at = positioned ? offset + amp : offset;
      if (name === undefined) {
        this.report(finding('HS106', at, at + 1, "A bare '&' must be written as &amp; (or start a reference such as &lt;)."));
        out += '&';
        i = amp + 1;
        continue;
      }
      const semi = amp + name.length + 1;
      const end = positioned ? offset + semi + 1 : offset;
      out += this.resolve(name, at, end, depth);
      i = semi + 1;
    }
    return out;
  }

  private resolve(name: string, start: number, end: number, depth: number): string {
    if (name.startsWith('#')) return this.charRef(name, start, end);
    const known = predefined.get(name);
    if (known !== undefined) return known;
    const entity = this.declared.get(name);
    if (!entity) {
      this.report(finding('HS106', start, end, `Entity '&${name};' is not defined.`));
      return '';
    }
    if (entity.value === undefined) return ''; // external: reported at its declaration, never read
    if (depth >= entityLimits.maxDepth || this.expandedChars + entity.value.length > entityLimits.maxExpandedChars) {
      this.limitExceeded(start, end);
      return '';
    }
    this.expandedChars += entity.value.length;
    return this.expand(entity.value, start, depth + 1, false);
  }

  private charRef(name: string, start: number, end: number): string {
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    if (!isXmlChar(code)) {
      this.report(finding('HS106', start, end, `'&${name};' is not a character XML allows.`));
      return '';
    }
    return String.fromCodePoint(code);
  }

  private limitExceeded(start: number, end: number): void {
    if (this.limitReported) return;
    this.limitReported = true;
    this.report(
      finding(
        'HS108',
        start,
        end,
        `Entity expansion stopped: more than ${entityLimits.maxExpandedChars} characters or ${entityLimits.maxDepth} ` +
          `levels of nesting (a "billion laughs" pattern). References past the limit expand to nothing.`,
      ),
    );
  }
}

export function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}
