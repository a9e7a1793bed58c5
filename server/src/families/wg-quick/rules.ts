import type { RuleRecord } from '../../diagnostics';

const config = 'wg-quick configs';
const scripts = 'wg-quick hook scripts';

/** The family's rules (HS650–HS699). The config's rules are file-level: the workspace scan shows them for configs that are not open. */
export const wgRules: readonly RuleRecord[] = [
  {
    code: 'HS650',
    title: 'Key in the wrong section',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary:
      'A key of a wg-quick config is outside the section it belongs to: PreUp, PostUp, PreDown, PostDown, Address, ' +
      'DNS, MTU, Table, SaveConfig, PrivateKey, ListenPort and FwMark only count in `[Interface]`, PublicKey, ' +
      'PresharedKey, AllowedIPs, Endpoint and PersistentKeepalive only in `[Peer]`.',
  },
  {
    code: 'HS651',
    title: 'Unknown key in a wg-quick config',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary: 'A key that neither wg-quick nor wg knows: `wg setconf` rejects the line and `wg-quick up` fails.',
    fix: 'replace',
  },
  {
    code: 'HS652',
    title: 'Shell syntax error in a hook line',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary:
      'A PreUp, PostUp, PreDown or PostDown value that bash cannot parse (a quote never closed, a parenthesis left ' +
      "open): wg-quick's `eval` of it fails and the command aborts.",
  },
  {
    code: 'HS653',
    title: '"#" inside a hook line cuts it short',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary:
      'A hook value has a `#` that is not a shell comment (inside quotes or a word): wg-quick cuts every line at its ' +
      'first `#` before it reads the value, so what follows never runs.',
  },
  {
    code: 'HS654',
    title: 'A change made on up is never undone on down',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary:
      'A PreUp or PostUp line (or a script it runs) adds an iptables rule, an ipset entry, an nft element or rule, a ' +
      'route or a routing rule that no PreDown or PostDown line (nor a script one runs) removes with the same spec: ' +
      'each up adds one more.',
  },
  {
    code: 'HS655',
    title: 'Interface name where %i belongs',
    severity: 'hint',
    group: config,
    fileLevel: true,
    summary:
      "A hook line names the config's own interface (`wg0` in `wg0.conf`): `%i` says the same and keeps working when " +
      'the file is copied or renamed.',
    fix: 'replace',
  },
  {
    code: 'HS656',
    title: 'Config file name wg-quick refuses',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary:
      'wg-quick takes the interface name from the file name and refuses one that does not match ' +
      '`^[a-zA-Z0-9_=+.-]{1,15}\\.conf$` (at most 15 characters before `.conf`, no spaces).',
    fix: 'rename',
  },
  {
    code: 'HS657',
    title: 'Config readable by group or others',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary: 'The config holds the interface private key and its group or others may read it; wg-quick warns about it too.',
  },
  {
    code: 'HS658',
    title: 'Script a hook line runs is not in the workspace',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary:
      'A hook line runs a script by its path and the script is not in the workspace (at its path, through ' +
      '`hooksmith.hooks.serverPaths`, or beside the config): Hooksmith cannot check it.',
  },
  {
    code: 'HS659',
    title: 'Unknown section in a wg-quick config',
    severity: 'warning',
    group: config,
    fileLevel: true,
    summary: 'A section other than `[Interface]` and `[Peer]`: wg rejects it and `wg-quick up` fails.',
  },
  {
    code: 'HS660',
    title: '%i in a hook script',
    severity: 'warning',
    group: scripts,
    summary:
      'A script a wg-quick hook line runs contains `%i`: wg-quick replaces `%i` only in the config line itself, so ' +
      'the script sees the two characters; pass the name as an argument (`PostUp = /path/script %i`) and read `$1`.',
  },
  {
    code: 'HS661',
    title: 'Hook script is not executable',
    severity: 'error',
    group: config,
    fileLevel: true,
    summary:
      'A hook line runs a script by its path and the workspace copy has no execute bit: bash answers "Permission ' +
      'denied" and wg-quick aborts.',
  },
];
