/**
 * OpenVPN: its config document (the line reader with inline blocks, the quote splitter and the
 * family's rules) and its scripts' content rules, on mutated examples and generated text.
 */
import fc from 'fast-check';
import { configTypeOf, lintConfig } from '../../../server/src/config/configDocs';
import { configContext } from '../../../server/src/config/context';
import { WiredHook } from '../../../server/src/families/family';
import { openvpn } from '../../../server/src/families/openvpn';
import { hookOf, openvpnEvents } from '../../../server/src/families/openvpn/hooks';
import { loadShellParser } from '../../../server/src/shell/parser';
import { configChecks, configText, lintWiredScript, scriptChecks, scriptText } from '../configFamily';
import { FuzzTarget } from '../harness';
import { readSeeds } from '../mutation';

// A folder that does not exist: every lookup of a script misses the same way on every run.
const dir = '/nonexistent-hooksmith-fuzz/etc/openvpn';
const configFile = `${dir}/client.ovpn`;
const configSeeds = readSeeds(['examples/openvpn/client.conf', 'examples/openvpn/server.conf']);
const scriptSeeds = readSeeds(['examples/openvpn/updown.sh', 'examples/openvpn/scripts/connect.sh', 'examples/openvpn/scripts/learn.sh']);

const keys = [
  ...openvpnEvents,
  ...['script-security', 'user', 'group', 'down-pre', 'plugin', 'dev', 'client', 'remote', 'persist-tunn', 'x', '--up', '--'],
];
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
  // parse_line's corners: a quote inside a word, a word glued after a closing quote, a comment, a bad backslash.
  'it"s',
  '"up.sh"lab',
  'up.sh # note ;x',
  "'up.sh C:\\temp'",
  '"C:\\temp"',
];
const configDocs = configText({
  keys,
  separators: [' ', '\t', '  '],
  values,
  odd: ['<ca>', '</ca>', '<key>', '</key>', '<connection>', '# comment', '; comment', '', '[Interface]', 'key = value'],
  seeds: configSeeds,
});

export const openvpnConfigTarget: FuzzTarget<string> = {
  name: 'OpenVPN config',
  arbitrary: configDocs,
  setup: async () => void (await loadShellParser()),
  run: async (text) => {
    await loadShellParser(); // a fresh one after a fault (HS603 parses the down script it finds)
    const match = configTypeOf(configFile, '');
    if (!match) throw new Error('client.ovpn not recognised by its name');
    return lintConfig(match, text, configContext(configFile, { roots: [dir], serverPaths: { '/etc/openvpn': 'deploy' } })).findings;
  },
  ...configChecks,
};

export interface OpenvpnScriptInput {
  readonly text: string;
  /** The directives that name the script (none: mapped by hooksmith.hooks.families). */
  readonly keys: readonly string[];
  readonly userArgs: number;
}

export const openvpnScriptTarget: FuzzTarget<OpenvpnScriptInput> = {
  name: 'OpenVPN script rules',
  arbitrary: fc.record({ text: scriptText(scriptSeeds), keys: fc.subarray([...openvpnEvents]), userArgs: fc.nat(3) }),
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
    return lintWiredScript(dir, configFile, 'openvpn', input.text, wired);
  },
  ...scriptChecks<OpenvpnScriptInput>(),
};
