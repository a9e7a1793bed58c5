/**
 * The spec checker: YAML (with positions) to tests, every mistake an HS8xx finding at the exact
 * range of the key or value at fault. A test with an error of its own is not run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, Node, Pair, parseDocument, YAMLMap } from 'yaml';
import { finding, Finding, RuleCode } from '../diagnostics';
import type { HookFamily } from '../families/family';
import { checkRequest, RequestField, SimulationError } from '../protocol';
import { familyById, familyEvents, requestFields, testableFamilies } from './families';
import { commandKeys, KeyDoc, presenceKeys, rowKeys, runKeys, sandboxOnly, stateKindKeys, testKeys, topKeys, wholeRunKeys } from './model';
import { nearest } from '../text/nearest';
import { argvMatcher, lineMatcher, PatternError, textMatcher } from './patterns';
import { Expectation, ExpectationKind, HookTest, instances, MatrixRow, Span, SpecFile } from './spec';

export interface CheckOptions {
  /** Whether a path exists (the editor may ask its own file system); default: the disk. */
  readonly exists?: (file: string) => boolean;
}

/** Checks a spec's text; `file` is its absolute path (relative paths in it are resolved from its folder). */
export function checkSpec(text: string, file: string, options: CheckOptions = {}): SpecFile {
  const c = new Checker(text, file, options.exists ?? ((p) => fs.existsSync(p)));
  const tests = c.spec();
  return { file, text, tests, findings: c.findings.sort((a, b) => a.start - b.start) };
}

type Pairs = Pair<unknown, unknown>[];

function spanOf(node: unknown, fallback: Span): Span {
  const range = (node as Node | undefined)?.range;
  return range ? { start: range[0], end: range[1] } : fallback;
}

class Checker {
  readonly findings: Finding[] = [];
  private errors = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly exists: (p: string) => boolean,
  ) {}

  private report(code: RuleCode, span: Span, message: string): void {
    // In the text, and without the line break a block node's range ends with.
    const start = Math.min(span.start, this.text.length);
    let end = Math.min(Math.max(span.end, start), this.text.length);
    while (end > start && /\s/.test(this.text[end - 1])) end--;
    const f = finding(code, start, end, message);
    if (f.severity === 'error') this.errors++;
    this.findings.push(f);
  }

  spec(): HookTest[] {
    const doc = parseDocument(this.text, { uniqueKeys: true, prettyErrors: false });
    for (const e of doc.errors) this.report('HS800', { start: e.pos[0], end: e.pos[1] }, `Not valid YAML: ${e.message.split('\n')[0]}`);
    if (doc.errors.length) return [];
    const whole = { start: 0, end: Math.min(this.text.length, this.text.indexOf('\n') < 0 ? this.text.length : this.text.indexOf('\n')) };
    if (!isMap(doc.contents)) {
      if (doc.contents === null) this.report('HS807', whole, 'The spec is empty: it needs `tests:`, a list of tests.');
      else this.report('HS802', spanOf(doc.contents, whole), 'A spec is a map with `tests:`, a list of tests.');
      return [];
    }
    const pairs = this.keys(doc.contents, topKeys, 'at the top of a spec');
    const tests = pairs.get('tests');
    if (!tests) {
      this.report('HS807', spanOf(doc.contents, whole), 'The spec has no `tests:` (a list of tests).');
      return [];
    }
    if (!isSeq(tests.value)) {
      this.report('HS802', spanOf(tests.value ?? tests.key, whole), '`tests` must be a list of tests (items starting with `- name:`).');
      return [];
    }
    const checked = tests.value.items.flatMap((item) => {
      const before = this.errors;
      const test = this.test(item, spanOf(item, whole));
      return test && this.errors === before ? [test] : [];
    });
    this.duplicates(checked);
    return checked;
  }

  /** The pairs of a map by key; unknown keys reported (with the nearest known key). */
  private keys(
    map: YAMLMap,
    known: readonly KeyDoc[],
    where: string,
    more: readonly string[] = [],
    unknownAs?: (key: string, pair: Pair) => boolean,
  ): Map<string, Pair> {
    const out = new Map<string, Pair>();
    for (const pair of map.items as Pairs) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const span = spanOf(pair.key, spanOf(map, { start: 0, end: 0 }));
      if (key === undefined) {
        this.report('HS802', span, 'Keys are plain names.');
        continue;
      }
      if (known.some((k) => k.key === key) || more.includes(key)) out.set(key, pair);
      else if (!unknownAs?.(key, pair)) this.report('HS801', span, unknownKey(key, where, [...known.map((k) => k.key), ...more]));
    }
    return out;
  }

  private test(item: unknown, itemSpan: Span): HookTest | undefined {
    if (!isMap(item))
      return (this.report('HS802', itemSpan, 'A test is a map: `name:`, `family:`, what to simulate and `expect:`.'), undefined);
    const errorsBefore = this.errors;
    const familyPair = (item.items as Pairs).find((p) => isScalar(p.key) && p.key.value === 'family');
    const family = this.family(familyPair, itemSpan);
    const fields = family ? requestFields(family) : [];
    // Without a known family its fields cannot be told from mistakes: only the family is reported.
    const pairs = this.keys(
      item,
      testKeys,
      'in a test',
      fields.map((f) => f.name),
      () => !family,
    );
    const namePair = pairs.get('name');
    const nameSpan = spanOf(namePair?.value ?? namePair?.key, firstKey(item, itemSpan));
    const name = namePair && this.scalarString(namePair, "The test's `name` is a text.");
    if (!namePair) this.report('HS807', firstKey(item, itemSpan), 'This test has no `name:`.');
    if (!family) return undefined;
    const request: Record<string, unknown> = { kind: family.id };
    for (const field of fields) {
      const pair = pairs.get(field.name);
      if (pair) this.field(family, field, pair, request);
    }
    this.common(pairs, request);
    const rows = pairs.get('matrix') ? this.matrix(pairs.get('matrix')!, family) : [];
    for (const field of fields.filter((f) => f.required)) {
      if (!pairs.has(field.name) && (rows.length === 0 || rows.some((r) => r.fields[field.name] === undefined))) {
        this.report(
          'HS807',
          nameSpan,
          `This ${family.id} test needs \`${field.name}:\` ` +
            `(${field.doc})${rows.length ? ', in the test or in every row of its matrix' : ''}.`,
        );
      }
    }
    const expectPair = pairs.get('expect');
    const expectations = expectPair ? this.expect(expectPair, family) : [];
    if (!expectPair)
      this.report('HS807', nameSpan, 'This test has no `expect:`: say what the run should do (`exit: 0`, `commands:`, ...).');
    this.sandboxOnly(expectations, request, rows);
    if (name === undefined) return undefined;
    const test: HookTest = { name, file: this.file, span: itemSpan, nameSpan, request, rows, expectations };
    // The family's own check says something new only about a test that passed the spec's checks.
    if (this.errors === errorsBefore) this.requestChecks(test, family);
    return test;
  }

  private family(pair: Pair | undefined, itemSpan: Span): HookFamily | undefined {
    const ids = testableFamilies().map((f) => f.id);
    if (!pair) return (this.report('HS807', firstKeyOf(itemSpan), `This test has no \`family:\` (${ids.join(', ')}).`), undefined);
    const family = familyById(isScalar(pair.value) ? pair.value.value : undefined);
    if (!family)
      this.report(
        'HS803',
        spanOf(pair.value ?? pair.key, itemSpan),
        `${isScalar(pair.value) ? `'${String(pair.value.value)}' is not a family Hooksmith simulates` : '`family` must name a family'}: ` +
          `use ${ids.join(', ')}.`,
      );
    return family;
  }

  /** A family request field: its type, its values (events, commands), a path that exists. */
  private field(family: HookFamily, field: RequestField, pair: Pair, into: Record<string, unknown>): void {
    const span = spanOf(pair.value ?? pair.key, { start: 0, end: 0 });
    const noun = field.item ?? field.name;
    if (field.type === 'boolean') {
      if (isScalar(pair.value) && typeof pair.value.value === 'boolean') into[field.name] = pair.value.value;
      else this.report('HS802', span, `\`${field.name}\` is true or false.`);
      return;
    }
    if (field.type === 'list') {
      const items = isSeq(pair.value) ? pair.value.items : [pair.value];
      const values: string[] = [];
      for (const node of items) {
        const v = isScalar(node) ? node.value : undefined;
        if (typeof v !== 'string') this.report('HS802', spanOf(node, span), `\`${field.name}\` is a list of ${noun} names.`);
        else if (field.values && !field.values.includes(v))
          this.report('HS804', spanOf(node, span), `${family.product} has no ${noun} '${v}': use ${field.values.join(', ')}.`);
        else values.push(v);
      }
      into[field.name] = values;
      return;
    }
    const v = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof v !== 'string' || v === '') return this.report('HS802', span, `\`${field.name}\` is a text: ${field.doc}.`);
    if (field.type === 'choice' && field.values && !field.values.includes(v))
      return this.report('HS804', span, `${family.product} has no ${noun} '${v}': use ${field.values.join(', ')}.`);
    if (field.type === 'path') {
      const abs = path.resolve(path.dirname(this.file), v);
      if (!this.exists(abs)) return this.report('HS805', span, `${v} does not exist (looked for ${abs}).`);
      into[field.name] = abs;
      return;
    }
    into[field.name] = v;
  }

  /** env, isolation, timeout, gap, grace, allowUnintercepted. */
  private common(pairs: Map<string, Pair>, into: Record<string, unknown>): void {
    const env = pairs.get('env');
    if (env) into.env = this.env(env);
    const isolation = pairs.get('isolation');
    if (isolation) {
      const v = isScalar(isolation.value) ? isolation.value.value : undefined;
      if (v === 'auto' || v === 'sandbox' || v === 'shims') into.isolation = v;
      else this.report('HS802', spanOf(isolation.value ?? isolation.key, { start: 0, end: 0 }), '`isolation` is auto, sandbox or shims.');
    }
    const times: [string, string, number][] = [
      ['timeout', 'timeoutMs', 1],
      ['gap', 'gapMs', 0],
      ['grace', 'graceMs', 0],
    ];
    for (const [key, field, min] of times) {
      const pair = pairs.get(key);
      const ms = pair && this.duration(pair, min);
      if (ms !== undefined) into[field] = ms;
    }
    const allow = pairs.get('allowUnintercepted');
    if (allow) {
      if (isScalar(allow.value) && typeof allow.value.value === 'boolean') into.allowUnintercepted = allow.value.value;
      else this.report('HS802', spanOf(allow.value ?? allow.key, { start: 0, end: 0 }), '`allowUnintercepted` is true or false.');
    }
  }

  private env(pair: Pair): Record<string, string> | undefined {
    const span = spanOf(pair.value ?? pair.key, { start: 0, end: 0 });
    if (!isMap(pair.value))
      return (this.report('HS802', span, '`env` maps variable names to values: `CISCO_VPN_USERNAME: alice`.'), undefined);
    const env: Record<string, string> = {};
    for (const p of pair.value.items as Pairs) {
      const key = isScalar(p.key) ? String(p.key.value) : '';
      const v = isScalar(p.value) ? p.value.value : undefined;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
        this.report('HS802', spanOf(p.key, span), `'${key}' is not a shell variable name (letters, digits, _).`);
      else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') env[key] = String(v);
      else this.report('HS802', spanOf(p.value ?? p.key, span), `The value of ${key} is a text.`);
    }
    return env;
  }

  /** Milliseconds as a number, or `500ms` / `2s`; at least `min` ms and at most an hour. */
  private duration(pair: Pair, min: number): number | undefined {
    const span = spanOf(pair.value ?? pair.key, { start: 0, end: 0 });
    const v = isScalar(pair.value) ? pair.value.value : undefined;
    const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$/.exec(v) : undefined;
    const ms = typeof v === 'number' ? v : m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : NaN;
    if (!(Number.isFinite(ms) && ms >= min && ms <= 3_600_000)) {
      return (
        this.report(
          'HS802',
          span,
          `\`${String(pair.key)}\` is a duration from ${min} ms to 1 hour: milliseconds (\`500\`), or \`500ms\`, \`2s\`.`,
        ),
        undefined
      );
    }
    return ms;
  }

  private scalarString(pair: Pair, message: string): string | undefined {
    const v = isScalar(pair.value) ? pair.value.value : undefined;
    if ((typeof v === 'string' && v.trim()) || typeof v === 'number') return String(v);
    return (this.report('HS802', spanOf(pair.value ?? pair.key, { start: 0, end: 0 }), message), undefined);
  }

  private matrix(pair: Pair, family: HookFamily): MatrixRow[] {
    const span = spanOf(pair.value ?? pair.key, { start: 0, end: 0 });
    if (!isSeq(pair.value) || pair.value.items.length === 0)
      return (this.report('HS802', span, '`matrix` is a list of rows: `- { name: ipv6, env: { ... } }`.'), []);
    const fields = requestFields(family);
    return pair.value.items.flatMap((item, i): MatrixRow[] => {
      const rowSpan = spanOf(item, span);
      if (!isMap(item)) return (this.report('HS802', rowSpan, 'A row is a map: `name`, `env` and request fields.'), []);
      const pairs = this.keys(
        item,
        rowKeys,
        'in a matrix row',
        fields.map((f) => f.name),
      );
      const out: Record<string, unknown> = {};
      for (const field of fields) {
        const p = pairs.get(field.name);
        if (p) this.field(family, field, p, out);
      }
      const env = pairs.get('env') ? (this.env(pairs.get('env')!) ?? {}) : {};
      const named = pairs.get('name') && this.scalarString(pairs.get('name')!, "A row's `name` is a text.");
      const name =
        named ??
        (Object.entries({ ...out, ...env })
          .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
          .join(' ') ||
          String(i + 1));
      return [{ name, env, fields: out, span: rowSpan }];
    });
  }

  private expect(pair: Pair, family: HookFamily): Expectation[] {
    const span = spanOf(pair.value ?? pair.key, { start: 0, end: 0 });
    if (!isMap(pair.value))
      return (this.report('HS802', span, "`expect` is a map: `exit: 0`, `commands:`, and each event's own under its name."), []);
    const events = familyEvents(family);
    const out: Expectation[] = [];
    const eventPairs: [string, Pair][] = [];
    const pairs = this.keys(pair.value, [...runKeys, ...wholeRunKeys], 'in `expect`', [], (key, p) => {
      if (events.includes(key)) return (eventPairs.push([key, p]), true);
      if (
        nearest(
          key,
          [...runKeys, ...wholeRunKeys].map((k) => k.key),
        )
      )
        return false;
      this.report(
        'HS804',
        spanOf(p.key, span),
        `${family.product} has no event '${key}', and it is no expectation: use an event (${events.join(', ')}) or ` +
          `${[...runKeys, ...wholeRunKeys].map((k) => k.key).join(', ')}.`,
      );
      return true;
    });
    for (const [key, p] of pairs) out.push(...this.expectation(key, p, undefined));
    for (const [event, p] of eventPairs) {
      const s = spanOf(p.value ?? p.key, span);
      if (!isMap(p.value)) {
        this.report('HS802', s, `The expectations of ${event} are a map: \`exit: 0\`, \`commands:\`, ...`);
        continue;
      }
      for (const [key, q] of this.keys(p.value, runKeys, `under ${event}`)) out.push(...this.expectation(key, q, event));
    }
    return out;
  }

  private expectation(key: string, pair: Pair, event: string | undefined): Expectation[] {
    const span = pairSpan(pair);
    const valueSpan = spanOf(pair.value ?? pair.key, span);
    const v = isScalar(pair.value) ? pair.value.value : undefined;
    const one = (kind: ExpectationKind, value: Expectation['value']): Expectation[] => [{ kind, event, value, span }];
    switch (key) {
      case 'exit':
        if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255) return one('exit', v);
        return (this.report('HS802', valueSpan, '`exit` is an exit status, a whole number from 0 to 255.'), []);
      case 'timedOut':
      case 'killedByNextEvent':
      case 'ok':
      case 'restored':
        if (typeof v === 'boolean') return one(key, v);
        return (this.report('HS802', valueSpan, `\`${key}\` is true or false.`), []);
      case 'durationUnder': {
        const ms = this.duration(pair, 1);
        return ms === undefined ? [] : one('durationUnder', ms);
      }
      case 'stdout':
      case 'stderr':
        return this.patterns(pair, 'text').map((p) => ({ kind: key, event, value: [p.value], span: p.span }));
      case 'commands':
        return this.commands(pair, event);
      case 'state':
        return this.state(pair, event);
    }
    return [];
  }

  /** One pattern or a list; each compiled now, so a bad one is found before any run. */
  private patterns(pair: Pair, kind: 'text' | 'argv' | 'line'): { value: string | readonly string[]; span: Span }[] {
    const span = spanOf(pair.value ?? pair.key, pairSpan(pair));
    const items = isSeq(pair.value) ? pair.value.items : [pair.value];
    return items.flatMap((node) => {
      const s = spanOf(node, span);
      const value = patternValue(node, kind === 'argv');
      if (value === undefined) {
        // `- logger "VPN: x"` reads as a map in YAML: the colon and space end a key.
        const hint = isMap(node) ? ' This one reads as a map: put a pattern holding ": " in quotes.' : '';
        this.report(
          'HS802',
          s,
          (kind === 'argv'
            ? 'A command pattern is a text (`ip route add 10.0.0.0/8 *`) or a list of argument patterns.'
            : 'A pattern is a text, or `/regex/`.') + hint,
        );
        return [];
      }
      try {
        // `${VAR}` stands for a row's value: checked as a plain word.
        const probe = (t: string) => t.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/g, 'x');
        if (kind === 'text') textMatcher(probe(value as string));
        else if (kind === 'line') lineMatcher(probe(value as string));
        else argvMatcher(typeof value === 'string' ? probe(value) : value.map(probe));
      } catch (e) {
        if (!(e instanceof PatternError)) throw e;
        this.report('HS806', s, e.message);
        return [];
      }
      return [{ value, span: s }];
    });
  }

  private commands(pair: Pair, event: string | undefined): Expectation[] {
    const each = (kind: ExpectationKind, p: Pair): Expectation[] =>
      this.patterns(p, 'argv').map((x) => ({ kind, event, value: [x.value], span: x.span }));
    if (!isMap(pair.value)) return each('commands.contains', pair);
    const out: Expectation[] = [];
    for (const [key, p] of this.keys(pair.value, commandKeys, 'under `commands`')) {
      if (key === 'inOrder') {
        const all = this.patterns(p, 'argv');
        if (all.length) out.push({ kind: 'commands.inOrder', event, value: all.map((x) => x.value), span: pairSpan(p) });
      } else out.push(...each(key === 'contains' ? 'commands.contains' : 'commands.notContains', p));
    }
    return out;
  }

  private state(pair: Pair, event: string | undefined): Expectation[] {
    const span = spanOf(pair.value ?? pair.key, pairSpan(pair));
    if (!isMap(pair.value))
      return (
        this.report('HS802', span, '`state` maps kinds (routes, addresses, rules, iptables, files, ...) to the lines there after the run.'),
        []
      );
    const out: Expectation[] = [];
    for (const [stateKind, p] of this.keys(pair.value, stateKindKeys, 'under `state`')) {
      const each = (kind: ExpectationKind, q: Pair) =>
        this.patterns(q, 'line').map((x) => ({ kind, event, stateKind, value: [x.value as string], span: x.span }));
      if (!isMap(p.value)) {
        out.push(...each('state.present', p));
        continue;
      }
      for (const [key, q] of this.keys(p.value, presenceKeys, `under ${stateKind}`))
        out.push(...each(key === 'present' ? 'state.present' : 'state.absent', q));
    }
    return out;
  }

  /** `state` and `restored` need the sandbox: the state is read nowhere else. */
  private sandboxOnly(expectations: readonly Expectation[], request: Record<string, unknown>, rows: readonly MatrixRow[]): void {
    if (request.isolation === 'sandbox' && rows.every((r) => r.fields.isolation === undefined)) return;
    for (const e of expectations) {
      const key = e.kind.startsWith('state') ? 'state' : e.kind;
      if (sandboxOnly.has(key))
        this.report(
          'HS808',
          e.span,
          `\`${key}\` is read in the sandbox only: add \`isolation: sandbox\` to this ` +
            `test${request.isolation ? ` (it has ${String(request.isolation)})` : ''}.`,
        );
    }
  }

  /** The family's own check of each request the test makes (reserved variables, ranges). */
  private requestChecks(test: HookTest, family: HookFamily): void {
    const spec = family.simulation!.request;
    for (const instance of instances(test)) {
      try {
        checkRequest(instance.request, [spec]);
      } catch (e) {
        if (!(e instanceof SimulationError)) throw e;
        this.report(
          'HS810',
          instance.row?.span ?? test.nameSpan,
          `${family.product} cannot be simulated as this test asks${instance.row ? ` (row ${instance.row.name})` : ''}: ${e.message}`,
        );
        return;
      }
    }
  }

  private duplicates(tests: readonly HookTest[]): void {
    const seen = new Set<string>();
    for (const t of tests) {
      if (seen.has(t.name))
        this.report('HS809', t.nameSpan, `Another test in this file is named '${t.name}': reports and --filter tell tests apart by name.`);
      seen.add(t.name);
    }
  }
}

function patternValue(node: unknown, words: boolean): string | readonly string[] | undefined {
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value);
  if (words && isSeq(node) && node.items.length && node.items.every((n) => isScalar(n) && typeof n.value === 'string'))
    return node.items.map((n) => String((n as { value: unknown }).value));
  return undefined;
}

function pairSpan(pair: Pair): Span {
  const key = spanOf(pair.key, { start: 0, end: 0 });
  return { start: key.start, end: spanOf(pair.value, key).end };
}

function firstKey(map: YAMLMap, fallback: Span): Span {
  return spanOf((map.items[0] as Pair | undefined)?.key, fallback);
}

function firstKeyOf(span: Span): Span {
  return { start: span.start, end: span.start };
}

function unknownKey(key: string, where: string, known: readonly string[]): string {
  const near = nearest(key, known);
  return `Unknown key '${key}' ${where}${near ? `: did you mean '${near}'?` : `: use ${known.join(', ')}.`}`;
}
