/**
 * ocserv: its config document (the line reader and the family's rules) and its scripts' content rules, on mutated examples and generated
 * text.
 */
import fc from 'fast-check';
import { configTypeOf, lintConfig } from '../../../server/src/config/configDocs';
import { configContext } from '../../../server/src/config/context';
import { WiredHook } from '../../../server/src/families/family';
import { ocserv } from '../../../server/src/families/ocserv';
import { ocservHooks } from '../../../server/src/families/ocserv/hooks';
import { loadShellParser } from '../../../server/src/shell/parser';
import { configChecks, configText, lintWiredScript, scriptChecks, scriptText } from '../configFamily';
import { FuzzTarget } from '../harness';
import { readSeeds } from '../mutation';

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
const configDocs = configText({
  keys,
  separators: [' = ', '=', ' =', '\t=\t'],
  values,
  odd: ['[vhost:a.example]', '[vhost:', '[global]', '# comment', '', 'no separator here', '= value', '<ca>', '</ca>'],
  seeds: configSeeds,
});

export const ocservConfigTarget: FuzzTarget<string> = {
  name: 'ocserv.conf',
  arbitrary: configDocs,
  run: (text) => {
    const match = configTypeOf(configFile, '');
    if (!match) throw new Error('ocserv.conf not recognised by its name');
    const linted = lintConfig(match, text, configContext(configFile, { roots: [dir], serverPaths: { '/etc/ocserv': 'deploy' } }));
    return linted.findings;
  },
  ...configChecks,
};

export interface OcservScriptInput {
  readonly text: string;
  /** The config keys that name the script (none: mapped by hooksmith.hooks.families). */
  readonly keys: readonly string[];
  readonly restricted: boolean;
}

export const ocservScriptTarget: FuzzTarget<OcservScriptInput> = {
  name: 'ocserv script rules',
  arbitrary: fc.record({ text: scriptText(scriptSeeds), keys: fc.subarray(ocservHooks.map((h) => h.name)), restricted: fc.boolean() }),
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
    return lintWiredScript(dir, configFile, 'ocserv', input.text, wired);
  },
  ...scriptChecks<OcservScriptInput>(),
};
