import type { RuleRecord } from '../diagnostics';
import type { Fixer } from '../lsp/codeActions';
import { moveIntoFix, renameElementFix } from '../lsp/profileFixes';

// Declarations: the records below may be read before the fixes' module has run.
function renameElement(...[doc, d, data, ctx]: Parameters<Fixer>): ReturnType<Fixer> {
  return data?.kind === 'rename-element' ? renameElementFix(doc, d, data.to, ctx) : undefined;
}

function moveInto(...[doc, d, data, ctx]: Parameters<Fixer>): ReturnType<Fixer> {
  return data?.kind === 'move-into' ? moveIntoFix(doc, d, data.parent, ctx) : undefined;
}

/** The profile validator's rules: the schema (HS2xx) and the script references (HS3xx). */
export const profileRules: readonly RuleRecord[] = [
  {
    code: 'HS200',
    title: 'Not an AnyConnect profile',
    severity: 'error',
    group: 'Profile schema (HS2xx)',
    summary: 'The root element is not `<AnyConnectProfile>`.',
  },
  {
    code: 'HS201',
    title: 'Wrong profile namespace',
    severity: 'warning',
    group: 'Profile schema (HS2xx)',
    summary:
      "The root element's `xmlns` attribute has a value other than `http://schemas.xmlsoap.org/encoding/`, for " +
      'example without the final slash or with `https`.',
    fix: 'replace',
  },
  {
    code: 'HS202',
    title: 'Unknown element',
    severity: 'warning',
    group: 'Profile schema (HS2xx)',
    summary:
      'The element is not a known child of its parent and appears nowhere in the schema Hooksmith knows (AnyConnect ' +
      "4.10's `AnyConnectProfile.xsd` plus the seed's script elements).",
    fix: renameElement,
  },
  {
    code: 'HS203',
    title: 'Element in the wrong place',
    severity: 'error',
    group: 'Profile schema (HS2xx)',
    summary: 'The element exists in the schema, but not inside this parent; the message names the parent it belongs in.',
    fix: moveInto,
  },
  {
    code: 'HS204',
    title: 'Elements out of order',
    severity: 'error',
    group: 'Profile schema (HS2xx)',
    summary: 'Inside an element whose children have a fixed order, a child comes after one that must follow it; the message names the two.',
  },
  {
    code: 'HS205',
    title: 'Element repeated',
    severity: 'error',
    group: 'Profile schema (HS2xx)',
    summary: 'An element that may appear only once in its parent appears again.',
  },
  {
    code: 'HS206',
    title: 'Invalid value',
    severity: 'error',
    group: 'Profile schema (HS2xx)',
    summary: "An element's text does not fit its type.",
    fix: 'replace',
  },
  {
    code: 'HS207',
    title: 'Missing value',
    severity: 'error',
    group: 'Profile schema (HS2xx)',
    summary: 'An element whose value is a boolean, a choice, a number or a script name is empty (or holds only white space).',
  },
  {
    code: 'HS208',
    title: 'Text not allowed here',
    severity: 'error',
    group: 'Profile schema (HS2xx)',
    summary:
      'Text appears directly inside an element that holds only child elements: `AnyConnectProfile`, ' +
      '`ClientInitialization`, `ServerList`, `HostEntry`, `BackupServerList`, `LoadBalancingServerList`.',
  },
  {
    code: 'HS209',
    title: 'UserControllable misused',
    severity: 'error',
    group: 'Profile schema (HS2xx)',
    summary:
      'Either the `UserControllable` attribute is on an element that does not take it, or its value is not `true` or ' +
      '`false` (case-sensitive).',
  },
  {
    code: 'HS210',
    title: 'Unknown attribute',
    severity: 'warning',
    group: 'Profile schema (HS2xx)',
    summary: 'An element carries an attribute the schema does not define for it.',
  },
  {
    code: 'HS211',
    title: 'Required element missing',
    severity: 'error',
    group: 'Profile schema (HS2xx)',
    summary: 'An element lacks a child the schema requires.',
  },
  {
    code: 'HS212',
    title: 'Seed-dialect element',
    severity: 'information',
    group: 'Profile schema (HS2xx)',
    summary: '`OnConnectScript`, `OnDisconnectScript` or `TerminateScriptOnNextEvent` appears directly under `ClientInitialization`.',
  },
  {
    code: 'HS301',
    title: 'Script name does not match its event',
    severity: 'error',
    group: 'Script references (HS3xx)',
    summary:
      '`OnConnectScript` names a file whose name starts with `OnDisconnect`, or `OnDisconnectScript` names one that ' +
      'starts with `OnConnect` (compared without regard to case).',
  },
  {
    code: 'HS302',
    title: 'Script path leaves the script folder',
    severity: 'error',
    group: 'Script references (HS3xx)',
    summary:
      'The value of `OnConnectScript` or `OnDisconnectScript` is a path rather than a plain file name: it contains ' +
      '`/` or `\\`, is `..`, starts with a drive letter such as `C:`, or starts with `~`.',
  },
  {
    code: 'HS303',
    title: 'Script name breaks the naming convention',
    severity: 'warning',
    group: 'Script references (HS3xx)',
    summary:
      'The file named by `OnConnectScript` / `OnDisconnectScript` does not follow the convention ' +
      '`OnConnect_<name>.<ext>` / `OnDisconnect_<name>.<ext>`: the prefix written exactly so (case included), an ' +
      'underscore, a name, and an extension of letters and digits.',
  },
  {
    code: 'HS304',
    title: 'Script file not found',
    severity: 'warning',
    group: 'Script references (HS3xx)',
    summary:
      'The file named by `OnConnectScript` / `OnDisconnectScript` is not in any folder Hooksmith searches: the ' +
      "profile's own folder, a `script/` or `scripts/` folder beside it, and the extra folders given by " +
      '`hooksmith.profile.scriptFolders` in VS Code (relative paths resolved against the workspace folder) or ' +
      '`--script-folder DIR` on the command line (repeatable; relative paths resolved against the current directory).',
  },
  {
    code: 'HS305',
    title: 'Script referenced while scripting is disabled',
    severity: 'warning',
    group: 'Script references (HS3xx)',
    summary:
      '`ClientInitialization` has `<EnableScripting>false</EnableScripting>` and also names a script with ' +
      '`OnConnectScript` or `OnDisconnectScript`.',
  },
];
