/**
 * ocserv: its config document (the line reader and the family's rules) and its scripts' content rules, on mutated examples and generated
 * text.
 */
import fc from 'fast-check';
import { configTypeOf, lintConfig } from '../../../server/src/config/configDocs';
import { configContext } from '../../../server/src/config/context';
import { wiring } from '../../../server/src/config/wiring';
import { Finding } from '../../../server/src/diagnostics';
import { WiredHook } from '../../../server/src/families/family';
import { ocserv } from '../../../server/src/families/ocserv';
import { ocservHooks } from '../../../server/src/families/ocserv/hooks';
import { lintHook } from '../../../server/src/hooks/lintHook';
import { loadShellParser } from '../../../server/src/shell/parser';
import { findingProblems, FuzzTarget, reduceText } from '../harness';
import { mutated, readSeeds } from '../mutation';
import { shellScript } from '../shellGrammar';
import { gaveUp } from './shellContent';

// A folder that does not exist: every lookup of a server path misses the same way on every run.
const dir = '/nonexistent-hooksmith-fuzz/srv/vpn';
const configFile = `${dir}/ocserv.conf`;
const configSeeds = readSeeds(['examples/ocserv/ocserv.conf']);
const scriptSeeds = readSeeds(['examples/ocserv/connect.sh', 'examples/ocserv/disconnect.sh']);

const keys = [
  'connect-script',
  'disconnect-script',
  'host-update-script',
  'user-profile',
  'restrict-user-to-routes',
  'restrict-user-to-ports',
  'auth',
  'tcp-port',
  'conect-script',
  'x',
];
const values = [
  '/etc/ocserv/connect.sh',
  'connect.sh',
  '',
  'true',
  'false',
  '"plain[passwd=/etc/ocserv/passwd]"',
  'profile.xml',
  '/etc/passwd',
  '\0',
  ' = = ',
];
const line = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(...keys), fc.constantFrom(' = ', '=', ' =', '\t=\t'), fc.constantFrom(...values))
      .map(([k, s, v]) => `${k}${s}${v}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '[vhost:a.example]',
      '[vhost:',
      '[global]',
      '# comment',
      '',
      'no separator here',
      '= value',
      '<ca>',
      '</ca>',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);
const generated = fc
  .tuple(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, eol, bom]) => `${bom ? '\uFEFF' : ''}${lines.join(eol)}`);
const configText = fc.oneof(
  { weight: 2, arbitrary: mutated(fc.constantFrom(...configSeeds), configSeeds) },
  { weight: 2, arbitrary: generated },
  { weight: 1, arbitrary: mutated(generated, configSeeds) },
);

function checkFindings(text: string, output: unknown): string[] {
  return findingProblems(text, output as Finding[]);
}

export const ocservConfigTarget: FuzzTarget<string> = {
  name: 'ocserv.conf',
  arbitrary: configText,
  run: (text) => {
    const match = configTypeOf(configFile, '');
    if (!match) throw new Error('ocserv.conf not recognised by its name');
    const linted = lintConfig(match, text, configContext(configFile, { roots: [dir], serverPaths: { '/etc/ocserv': 'deploy' } }));
    return linted.findings;
  },
  check: checkFindings,
  reduce: (input, fails) => reduceText(input, fails),
  show: (input) => JSON.stringify(input),
};

export interface OcservScriptInput {
  readonly text: string;
  /** The config keys that name the script (none: mapped by hooksmith.hooks.families). */
  readonly keys: readonly string[];
  readonly restricted: boolean;
}

const scriptText = fc.oneof(
  { weight: 3, arbitrary: mutated(fc.constantFrom(...scriptSeeds), scriptSeeds) },
  { weight: 3, arbitrary: shellScript },
  { weight: 2, arbitrary: mutated(shellScript, scriptSeeds) },
);

export const ocservScriptTarget: FuzzTarget<OcservScriptInput> = {
  name: 'ocserv script rules',
  arbitrary: fc.record({ text: scriptText, keys: fc.subarray(ocservHooks.map((h) => h.name)), restricted: fc.boolean() }),
  setup: async () => void (await loadShellParser()),
  run: async (input) => {
    await loadShellParser(); // a fresh one after a fault
    const file = `${dir}/script.sh`;
    const wired: WiredHook[] = input.keys.map((key) => ({
      family: ocserv,
      hook: ocservHooks.find((h) => h.name === key)!,
      config: configFile,
      key,
      serverPath: `/etc/ocserv/${key}`,
      file,
      facts: { restricted: input.restricted, scripts: { 'disconnect-script': `${dir}/missing.sh` } },
    }));
    wiring.set(configFile, wired);
    try {
      return lintHook(
        { path: file, text: input.text, mode: 0o755, siblings: ['script.sh'], readSibling: () => undefined },
        { [dir]: 'ocserv' },
      )?.findings;
    } finally {
      wiring.set(configFile, []);
    }
  },
  check: (input, output) => (output === undefined ? ['the script is not recognised'] : checkFindings(input.text, output)),
  cutShort: (output) => (output as Finding[] | undefined)?.some(gaveUp) ?? false,
  reduce: async (input, fails) => ({ ...input, text: await reduceText(input.text, (t) => fails({ ...input, text: t })) }),
  show: (input) => JSON.stringify(input),
};
