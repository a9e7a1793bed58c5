import * as fs from 'node:fs';
import * as path from 'node:path';

export const root = path.resolve(__dirname, '../../..');

export interface Snippet {
  readonly title: string;
  readonly prefix: string;
  readonly body: string;
}

/** The snippets of one contributed file, with their body lines joined as VS Code joins them. */
export function readSnippets(file: string): Snippet[] {
  const json = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<
    string,
    { prefix: string | string[]; body: string | string[] }
  >;
  return Object.entries(json).flatMap(([title, s]) => {
    const prefixes = Array.isArray(s.prefix) ? s.prefix : [s.prefix];
    const body = Array.isArray(s.body) ? s.body.join('\n') : s.body;
    return prefixes.map((prefix) => ({ title, prefix, body }));
  });
}

/**
 * Expands a snippet body the way VS Code does when every placeholder keeps its default:
 * ${1:default} (nested), ${1|a,b|} (first choice), mirrors $1 / ${1}, $0, \-escapes, and the
 * TM_* variables given in `variables`. Any other $NAME is a variable VS Code would not know,
 * which in a shell snippet is a forgotten \$: it throws, so the test names the snippet.
 */
export function expandSnippet(body: string, variables: Readonly<Record<string, string>> = {}): string {
  const defaults = new Map<string, string>();
  const parse = (collect: boolean): string => new Expander(body, variables, defaults, collect).all();
  parse(true); // placeholders first, so that a mirror before its placeholder gets its default
  return parse(false);
}

class Expander {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly variables: Readonly<Record<string, string>>,
    private readonly defaults: Map<string, string>,
    private readonly collect: boolean,
  ) {}

  all(): string {
    const out = this.until(() => false);
    if (this.pos < this.text.length) throw new Error(`unexpected "${this.text[this.pos]}" at ${this.pos}`);
    return out;
  }

  /** Text up to `stop` (not consumed); nested placeholders expanded. */
  private until(stop: () => boolean, escapable = '$}\\'): string {
    let out = '';
    while (this.pos < this.text.length && !stop()) {
      const c = this.text[this.pos];
      if (c === '\\' && escapable.includes(this.text[this.pos + 1] ?? '')) {
        out += this.text[this.pos + 1];
        this.pos += 2;
      } else if (c === '$') out += this.dollar();
      else {
        out += c;
        this.pos++;
      }
    }
    return out;
  }

  private dollar(): string {
    const rest = this.text.slice(this.pos);
    const simple = /^\$(\d+|[A-Za-z_]\w*)/.exec(rest);
    if (simple) {
      this.pos += simple[0].length;
      return this.reference(simple[1]);
    }
    const open = /^\$\{(\d+|[A-Za-z_]\w*)([:|}])/.exec(rest);
    if (!open) throw new Error(`a lone $ at ${this.pos}: write \\$ for a literal dollar`);
    this.pos += open[0].length;
    const [, name, kind] = open;
    if (kind === '}') return this.reference(name);
    const value = kind === ':' ? this.until(() => this.text[this.pos] === '}') : this.choice();
    if (this.text[this.pos] !== '}') throw new Error(`\${${name} is not closed`);
    this.pos++;
    if (/^\d+$/.test(name)) {
      if (this.collect && !this.defaults.has(name)) this.defaults.set(name, value);
      return name === '0' ? value : (this.defaults.get(name) ?? value);
    }
    return this.variable(name, value);
  }

  private choice(): string {
    const first = this.until(() => this.text[this.pos] === ',' || this.text[this.pos] === '|', '$}\\,|');
    this.until(() => this.text.startsWith('|}', this.pos), '$}\\,|');
    this.pos++; // the closing |; the } is consumed by the caller
    return first;
  }

  private reference(name: string): string {
    if (/^\d+$/.test(name)) return this.defaults.get(name) ?? '';
    return this.variable(name, undefined);
  }

  private variable(name: string, fallback: string | undefined): string {
    if (Object.hasOwn(this.variables, name)) return this.variables[name];
    if (fallback !== undefined && name.startsWith('TM_')) return fallback;
    throw new Error(`$${name} is not a snippet variable: write \\$${name} for the shell's`);
  }
}
