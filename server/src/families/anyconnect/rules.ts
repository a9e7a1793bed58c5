import type { RuleRecord } from '../../diagnostics';
import { undoFixer } from './fixes';

/** The family's rules, with their fixes. */
export const anyconnectRules: readonly RuleRecord[] = [
  {
    code: 'HS401',
    title: 'Hook name breaks the naming convention',
    severity: 'warning',
    group: 'AnyConnect naming and files',
    summary:
      'The name of an AnyConnect hook starts with `OnConnect` / `OnDisconnect` in another letter case ' +
      "(`onconnect_routes.sh`), or starts with the prefix as written but does not follow the seed's convention " +
      '`OnConnect_<name>.<ext>` / `OnDisconnect_<name>.<ext>`: no underscore after the prefix (`OnConnect-routes.sh`, ' +
      "`OnConnectRoutes.sh`) or no name at all (`OnConnect.sh`, and `OnConnect.vbs`, the name under which Cisco's " +
      'client installs a script pushed by a gateway).',
    fix: 'rename',
  },
  {
    code: 'HS402',
    title: 'Near miss of a hook name',
    severity: 'warning',
    group: 'AnyConnect naming and files',
    summary:
      'A file name looks like an AnyConnect hook whose prefix is misspelt (`OnConect_routes.sh`, ' +
      '`OnDisconect_cleanup.sh`) or split (`On_Connect_routes.sh`): the letters at the start of the name, with `_`, ' +
      '`-` and spaces left out and letter case ignored, are within two edits (a letter added, removed or changed) of ' +
      '`OnConnect` or `OnDisconnect`.',
    fix: 'rename',
  },
  {
    code: 'HS403',
    title: 'Hook without an extension',
    severity: 'information',
    group: 'AnyConnect naming and files',
    summary: 'The name of an AnyConnect hook has no extension (it does not end in `.` followed by letters or digits).',
  },
  {
    code: 'HS404',
    title: 'Several hooks for one event',
    severity: 'warning',
    group: 'AnyConnect naming and files',
    summary: 'More than one file in the same folder starts with `OnConnect` (or with `OnDisconnect`), written exactly so.',
  },
  {
    code: 'HS405',
    title: 'Hook is not executable',
    severity: 'error',
    group: 'AnyConnect naming and files',
    summary: 'An AnyConnect hook on disk has no execute bit (for its owner, group or others).',
    fix: 'makeExecutable',
  },
  {
    code: 'HS406',
    title: 'Hook without a shebang',
    severity: 'warning',
    group: 'AnyConnect naming and files',
    summary: 'An AnyConnect hook does not start with `#!`.',
  },
  {
    code: 'HS407',
    title: 'Hook has CRLF line ends',
    severity: 'error',
    group: 'AnyConnect naming and files',
    summary: 'An AnyConnect hook has Windows line ends (CR LF).',
    fix: 'crlf',
  },
  {
    code: 'HS408',
    title: 'Windows-only hook outside the Windows script folder',
    severity: 'information',
    group: 'AnyConnect naming and files',
    summary:
      'An AnyConnect hook is a Windows script (`.vbs`, `.bat`, `.cmd` or `.ps1`) and its folder is not a Windows ' +
      "script folder: the folder's path contains neither `Cisco\\Cisco Secure Client\\VPN\\Script` (or `Cisco\\Cisco " +
      'AnyConnect Secure Mobility Client\\Script`) nor a folder named `windows`.',
  },
  {
    code: 'HS409',
    title: 'Byte-order mark before #!',
    severity: 'error',
    group: 'AnyConnect naming and files',
    summary:
      'An AnyConnect hook starts with a UTF-8 byte-order mark (the bytes `EF BB BF`, which some Windows editors write ' +
      'as "UTF-8 with BOM") before its `#!` line.',
    fix: 'removeBom',
  },
  {
    code: 'HS410',
    title: 'Hook name with lookalike letters',
    severity: 'warning',
    group: 'AnyConnect naming and files',
    summary:
      'A file name spells `OnConnect` or `OnDisconnect` (or a near miss of them) only once letters from other scripts ' +
      'that look like Latin ones are read as their Latin twins.',
  },
  {
    code: 'HS450',
    title: 'Unknown CISCO_VPN_ variable',
    severity: 'warning',
    group: 'AnyConnect content',
    summary:
      'An AnyConnect shell hook uses a variable whose name starts with `CISCO_VPN_` but is not one of the four the ' +
      "seed's executor sets: `CISCO_VPN_USERNAME`, `CISCO_VPN_SERVER`, `CISCO_VPN_IP`, `CISCO_VPN_EVENT`.",
    fix: 'replace',
  },
  {
    code: 'HS451',
    title: 'CISCO_VPN_EVENT compared with a value never sent',
    severity: 'warning',
    group: 'AnyConnect content',
    summary: 'An AnyConnect shell hook compares `CISCO_VPN_EVENT` in a test (`[ ...',
  },
  {
    code: 'HS452',
    title: 'Change made on connect is never undone',
    severity: 'warning',
    group: 'AnyConnect content',
    summary: 'An OnConnect shell hook makes a change to the machine that no OnDisconnect hook in the same folder undoes.',
    fix: undoFixer,
  },
];
