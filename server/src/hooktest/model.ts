/**
 * The hook test spec (`*.hooktest.yaml`, `hooksmith.test.yaml`) as data: every key, where it may
 * appear, its type and what it means. The checker, completion, hover and the JSON schema all read
 * these tables, so a key is declared once. A test's family adds its own request fields (declared
 * by the family as RequestField data) and its events; nothing here names a family.
 */
import * as path from 'node:path';
import { globMatches } from '../globs/compiledGlob';
import { RequestField, specDocuments } from '../protocol';

/** The shape of a value, as the checker and the schema read it. */
export type ValueType =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'duration' // milliseconds as a number, or "500ms" / "2s"
  | 'env' // a map of variable names to strings
  | 'patterns' // one pattern (string) or a list of them
  | 'commands' // a list of argv patterns, or { contains, inOrder, notContains }
  | 'state' // state kind → patterns, or { present, absent }
  | 'tests' // the list of tests
  | 'matrix' // a list of rows
  | 'expect'; // expectations, and the family's events as keys

export interface KeyDoc {
  readonly key: string;
  readonly type: ValueType;
  readonly doc: string;
  readonly values?: readonly string[];
  readonly required?: boolean;
}

/**
 * The spec files' glob is one, in the protocol (the client's selector and Test Explorer use it);
 * activation takes its alternatives one by one (the client joins those in braces of its own).
 */
export const specFileGlobs = /^\*\*\/\{(.*)\}$/
  .exec(specDocuments.pattern)![1]
  .split(',')
  .map((name) => `**/${name}`);

/** Whether a path is a spec file (the CLI's folder walk, the server's documents). */
export function isSpecFile(file: string): boolean {
  return globMatches(specDocuments.pattern, file.split(path.sep).join('/'));
}

export const topKeys: readonly KeyDoc[] = [
  {
    key: 'tests',
    type: 'tests',
    required: true,
    doc: "The tests of this file: each one simulates a family's events and checks what happened.",
  },
];

/** The keys every test takes, whatever its family (the family's request fields come on top). */
export const testKeys: readonly KeyDoc[] = [
  { key: 'name', type: 'string', required: true, doc: 'What the test is called in reports, the Test Explorer and `--filter`.' },
  {
    key: 'family',
    type: 'string',
    required: true,
    doc: 'The hook family to simulate; its request fields (events, profile, command, confdir, ...) are keys of the test too.',
  },
  { key: 'env', type: 'env', doc: "Variables for the hooks, on top of the family's mock environment (verbatim strings)." },
  {
    key: 'isolation',
    type: 'string',
    values: ['auto', 'sandbox', 'shims'],
    doc:
      'How the run is isolated: `shims` records commands only; `sandbox` runs in throwaway namespaces (needed for ' +
      '`state` and `restored`); `auto` (default) the sandbox where it can start.',
  },
  { key: 'timeout', type: 'duration', doc: 'Per hook, before SIGTERM: milliseconds, or `5s` / `500ms` (default 60s).' },
  { key: 'gap', type: 'duration', doc: 'Between the events of a sequence: milliseconds, or `1s` (default 1s).' },
  { key: 'grace', type: 'duration', doc: 'From SIGTERM to SIGKILL: milliseconds, or `1s` (default 1s).' },
  {
    key: 'allowUnintercepted',
    type: 'boolean',
    doc: 'Shims mode: run hooks whose calls no shim can intercept (those calls run for real).',
  },
  {
    key: 'matrix',
    type: 'matrix',
    doc:
      'Run the test once per row: each row may set `name`, `env` (merged) and any request field. `${VAR}` in an ' +
      "expectation is the row's value of VAR.",
  },
  { key: 'expect', type: 'expect', doc: "Expectations about the whole run, and, under each event's name, about that event's run." },
];

export const rowKeys: readonly KeyDoc[] = [
  { key: 'name', type: 'string', doc: "The row's name in the test's name: `connect [ipv6]`." },
  { key: 'env', type: 'env', doc: "Variables of this row, merged over the test's `env`." },
];

/** Expectations that hold per event (under the event's name) or for every run (at the top of expect). */
export const runKeys: readonly KeyDoc[] = [
  { key: 'exit', type: 'integer', doc: 'The exit status of the hook (of every hook, at the top of `expect`).' },
  { key: 'timedOut', type: 'boolean', doc: 'Whether the hook was stopped at its timeout.' },
  { key: 'killedByNextEvent', type: 'boolean', doc: 'Whether the next event terminated the hook (TerminateScriptOnNextEvent).' },
  {
    key: 'durationUnder',
    type: 'duration',
    doc: 'The run took less than this: milliseconds, or `1s` / `500ms` (for the whole run: from the first start to the last end).',
  },
  {
    key: 'commands',
    type: 'commands',
    doc:
      'Commands the shims recorded. A list: each pattern matched by some command. Or `contains`, `inOrder` (matched ' +
      'in this order), `notContains`. A pattern is argv words with globs: `ip route add 192.168.100.0/24 *` (a last ' +
      '`*` is any further arguments).',
  },
  { key: 'stdout', type: 'patterns', doc: 'The standard output contains each text, or matches each `/regex/`.' },
  { key: 'stderr', type: 'patterns', doc: 'The standard error contains each text, or matches each `/regex/`.' },
  {
    key: 'state',
    type: 'state',
    doc:
      'Sandbox only: what is there after the run, by kind (routes, addresses, rules, iptables, ip6tables, nft, links, ' +
      'sysctls, files). A list: lines present; or `present` and `absent`. Lines are globs: `192.168.100.0/24 *`.',
  },
];

/** Expectations of the whole run only. */
export const wholeRunKeys: readonly KeyDoc[] = [
  { key: 'ok', type: 'boolean', doc: "Every hook started and exited 0 (the simulation's verdict)." },
  { key: 'restored', type: 'boolean', doc: 'Sandbox only: the state after the last event equals the state before the first.' },
];

export const commandKeys: readonly KeyDoc[] = [
  { key: 'contains', type: 'patterns', doc: 'Each pattern is matched by some recorded command, in any order.' },
  { key: 'inOrder', type: 'patterns', doc: 'The patterns are matched by recorded commands in this order (others may come between).' },
  { key: 'notContains', type: 'patterns', doc: 'No recorded command matches any of these patterns.' },
];

export const stateKindKeys: readonly KeyDoc[] = [
  'routes',
  'addresses',
  'rules',
  'iptables',
  'ip6tables',
  'nft',
  'links',
  'sysctls',
  'files',
].map((key) => ({
  key,
  type: 'patterns' as const,
  doc:
    key === 'files'
      ? 'Files written in the sandbox, as the state lists them: `created /etc/vpn.conf`, `changed /etc/hosts` (globs).'
      : `Lines of \`${key}\` in the sandbox's state (globs), present after the run.`,
}));

export const presenceKeys: readonly KeyDoc[] = [
  { key: 'present', type: 'patterns', doc: 'Lines there after the run.' },
  { key: 'absent', type: 'patterns', doc: 'Lines not there after the run.' },
];

/** Keys that only mean something in the sandbox (the state is read there only). */
export const sandboxOnly = new Set(['state', 'restored']);

/** A family request field as a spec key: its value type and doc. */
export function fieldKey(field: RequestField): KeyDoc {
  const type: ValueType = field.type === 'boolean' ? 'boolean' : field.type === 'list' ? 'patterns' : 'string';
  const where = field.type === 'path' ? ' (a path, relative to this file)' : '';
  return {
    key: field.name,
    type,
    values: field.values,
    required: field.required,
    doc: `${field.doc[0].toUpperCase()}${field.doc.slice(1)}${where}.`,
  };
}

/** Where a key sits, for completion and hover: the chain of keys from the top. */
export type KeyContext = 'top' | 'test' | 'row' | 'expect' | 'event' | 'commands' | 'state' | 'presence';
