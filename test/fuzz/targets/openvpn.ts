/**
 * OpenVPN: its config document (the line reader with inline blocks, the quote splitter and the
 * family's rules) and its scripts' content rules, on mutated examples and generated text.
 */
import fc from 'fast-check';
import { configTypeOf, lintConfig } from '../../../server/src/config/configDocs';
import { configContext } from '../../../server/src/config/context';
import { wiring } from '../../../server/src/config/wiring';
import { Finding } from '../../../server/src/diagnostics';
import { WiredHook } from '../../../server/src/families/family';
import { openvpn } from '../../../server/src/families/openvpn';
import { hookOf, openvpnEvents } from '../../../server/src/families/openvpn/hooks';
import { lintHook } from '../../../server/src/hooks/lintHook';
import { loadShellParser } from '../../../server/src/shell/parser';
import { findingProblems, FuzzTarget, reduceText } from '../harness';
import { mutated, readSeeds } from '../mutation';
import { shellScript } from '../shellGrammar';
import { gaveUp } from './shellContent';

// A folder that does not exist: every lookup of a script misses the same way on every run.
const dir = '/nonexistent-hooksmith-fuzz/etc/openvpn';
const configFile = `${dir}/client.ovpn`;
const configSeeds = readSeeds(['examples/openvpn/client.conf', 'examples/openvpn/server.conf']);
const scriptSeeds = readSeeds(['examples/openvpn/updown.sh', 'examples/openvpn/scripts/connect.sh', 'examples/openvpn/scripts/learn.sh']);

const keys = [...openvpnEvents, 'script-security', 'user', 'group', 'down-pre', 'plugin', 'dev', 'client', 'remote', 'persist-tunn', 'x'];
const values = [
  'up.sh',
  '"updown.sh lab"',
  "'a b' c",
  '"unclosed',
  'auth.sh via-file',
  '2',
  'nobody',
  '/usr/lib/openvpn/openvpn-plugin-down-root.so "down.sh"',
  'tun',
  '',
  '\\',
  '\0',
];
const line = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(...keys), fc.constantFrom(' ', '\t', '  '), fc.constantFrom(...values))
      .map(([k, s, v]) => `${k}${s}${v}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '<ca>',
      '</ca>',
      '<key>',
      '</key>',
      '<connection>',
      '# comment',
      '; comment',
      '',
      '[Interface]',
      'key = value',
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

export const openvpnConfigTarget: FuzzTarget<string> = {
  name: 'OpenVPN config',
  arbitrary: configText,
  setup: async () => void (await loadShellParser()),
  run: async (text) => {
    await loadShellParser(); // a fresh one after a fault (HS603 parses the down script it finds)
    const match = configTypeOf(configFile, '');
    if (!match) throw new Error('client.ovpn not recognised by its name');
    return lintConfig(match, text, configContext(configFile, { roots: [dir], serverPaths: { '/etc/openvpn': 'deploy' } })).findings;
  },
  check: checkFindings,
  reduce: (input, fails) => reduceText(input, fails),
  show: (input) => JSON.stringify(input),
};

export interface OpenvpnScriptInput {
  readonly text: string;
  /** The directives that name the script (none: mapped by hooksmith.hooks.families). */
  readonly keys: readonly string[];
  readonly userArgs: number;
}

const scriptText = fc.oneof(
  { weight: 3, arbitrary: mutated(fc.constantFrom(...scriptSeeds), scriptSeeds) },
  { weight: 3, arbitrary: shellScript },
  { weight: 2, arbitrary: mutated(shellScript, scriptSeeds) },
);

export const openvpnScriptTarget: FuzzTarget<OpenvpnScriptInput> = {
  name: 'OpenVPN script rules',
  arbitrary: fc.record({ text: scriptText, keys: fc.subarray([...openvpnEvents]), userArgs: fc.nat(3) }),
  setup: async () => void (await loadShellParser()),
  run: async (input) => {
    await loadShellParser();
    const file = `${dir}/script.sh`;
    const userArgs = Object.fromEntries(input.keys.map((k) => [k, input.userArgs]));
    const wired: WiredHook[] = input.keys.map((key) => ({
      family: openvpn,
      hook: hookOf(key as (typeof openvpnEvents)[number]),
      config: configFile,
      key,
      serverPath: 'script.sh',
      file,
      facts: {
        scriptSecurity: 2,
        downPre: false,
        downRoot: false,
        dev: 'tun0',
        devType: 'tun',
        server: true,
        topology: 'subnet',
        userArgs,
      },
    }));
    wiring.set(configFile, wired);
    try {
      return lintHook(
        { path: file, text: input.text, mode: 0o755, siblings: ['script.sh'], readSibling: () => undefined },
        { [dir]: 'openvpn' },
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
