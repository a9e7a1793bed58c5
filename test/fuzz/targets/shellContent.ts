/** The shell content rules: lintHook on mutated example hooks and on hooks from the token grammar, in every family and hook kind. */
import * as path from 'node:path';
import fc from 'fast-check';
import { Finding } from '../../../server/src/diagnostics';
import { HookFile } from '../../../server/src/families/family';
import { lintHook } from '../../../server/src/hooks/lintHook';
import { loadShellParser } from '../../../server/src/shell/parser';
import { findingProblems, FuzzTarget, reduceText } from '../harness';
import { mutated, readSeeds } from '../mutation';
import { perlScript, shellScript } from '../shellGrammar';

/** The finding of a parse cut short by its time budget (server/src/shell/syntax.ts). */
export const gaveUp = (f: Finding): boolean => f.code === 'HS460' && f.message.includes('gave up');

/**
 * Whether the parser failed inside its WebAssembly on a file (server/src/shell/syntax.ts). A file
 * nested deeper than V8's stack lets the parser follow is a fault too, but the expected one: its
 * RangeError harms nothing, the file gets an HS460 that says why, and a fresh parser takes over.
 */
const faulted = (findings: readonly Finding[]): boolean =>
  findings.some((f) => f.code === 'HS460' && f.message.startsWith('The shell parser failed') && !f.message.includes('nests deeper'));

export interface ContentInput {
  /** Where the hook is: its family and kind follow from it. */
  readonly path: string;
  readonly text: string;
  /** An OnDisconnect hook beside an OnConnect one, for the undo rule. */
  readonly disconnect?: string;
}

const shellSeeds = readSeeds([
  'examples/anyconnect/script/OnConnect_routes.sh',
  'examples/anyconnect/script/OnDisconnect_cleanup.sh',
  'examples/seed/scripts/OnConnect_script.sh',
  'examples/seed/scripts/OnDisconnect_script.sh',
  'examples/mistakes/script/OnConnect_routes.sh',
  'examples/shorewall/init',
  'examples/shorewall/isusable',
  'examples/shorewall/lib.private',
  'examples/shorewall/start',
  'examples/shorewall/started',
  'examples/shorewall/stop',
  'examples/mistakes/shorewall/isusable',
  'examples/mistakes/shorewall/start',
  'examples/mistakes/shorewall/stoped',
  'examples/anyconnect/windows/OnConnect_mountdrives.vbs',
]);
const perlSeeds = readSeeds(['examples/shorewall/compile']);
const seeds = [...shellSeeds, ...perlSeeds];

const places = [
  '/opt/cisco/secureclient/vpn/script/OnConnect_x.sh',
  '/opt/cisco/secureclient/vpn/script/OnConnect_x.sh',
  '/opt/cisco/secureclient/vpn/script/OnDisconnect_x.sh',
  '/opt/cisco/secureclient/vpn/script/OnConnect_x',
  '/home/u/windows/OnConnect_x.vbs',
  ...[
    'start',
    'started',
    'stop',
    'isusable',
    'isusable',
    'init',
    'restored',
    'lib.private',
    'save',
    'compile',
    'initdone',
    'maclog',
    'Started',
  ].map((h) => `/etc/shorewall/${h}`),
];

const text = fc.oneof(
  { weight: 3, arbitrary: mutated(fc.constantFrom(...shellSeeds), seeds) },
  { weight: 3, arbitrary: shellScript },
  { weight: 2, arbitrary: mutated(shellScript, seeds) },
  { weight: 1, arbitrary: perlScript },
  { weight: 1, arbitrary: mutated(fc.constantFrom(...perlSeeds, ...shellSeeds), seeds) },
);

const arbitrary: fc.Arbitrary<ContentInput> = fc.record(
  { path: fc.constantFrom(...places), text, disconnect: fc.oneof(shellScript, fc.constantFrom(...shellSeeds)) },
  { requiredKeys: ['path', 'text'] },
);

function fileOf(input: ContentInput): HookFile {
  const sibling = input.disconnect === undefined ? {} : { 'OnDisconnect_undo.sh': input.disconnect };
  const siblings = [path.basename(input.path), ...Object.keys(sibling)];
  return { path: input.path, text: input.text, mode: 0o755, siblings, readSibling: (name) => (sibling as Record<string, string>)[name] };
}

export const shellContentTarget: FuzzTarget<ContentInput> = {
  name: 'shell content rules',
  arbitrary,
  setup: async () => void (await loadShellParser()),
  run: async (input) => {
    await loadShellParser(); // a fresh one after a fault
    return lintHook(fileOf(input))?.findings;
  },
  check: (input, output) => {
    if (output === undefined) return [`${input.path} is not recognised`];
    const findings = output as Finding[];
    return [
      ...findingProblems(input.text, findings),
      ...(faulted(findings) ? ['the shell parser crashed (HS460: the shell parser failed)'] : []),
    ];
  },
  cutShort: (output) => (output as Finding[] | undefined)?.some(gaveUp) ?? false,
  reduce: async (input, fails) => ({ ...input, text: await reduceText(input.text, (t) => fails({ ...input, text: t })) }),
  show: (input) => JSON.stringify(input),
};
