/**
 * The rule registry: every finding the core reports carries one of these codes.
 * Codes are stable (documented in docs/rules/<code>.md); titles may be reworded.
 */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RuleInfo {
  readonly code: string;
  readonly title: string;
  readonly severity: Severity;
}

const table = {
  HS100: ['XML syntax error', 'error'],
  HS101: ['Element is never closed', 'error'],
  HS102: ['Closing tag does not match', 'error'],
  HS103: ['Second root element', 'error'],
  HS104: ['Content outside the root element', 'error'],
  HS105: ['Malformed tag', 'error'],
  HS106: ['Invalid entity or character reference', 'error'],
  HS107: ['External entity is never read', 'error'],
  HS108: ['Entity expansion limit exceeded', 'error'],
  HS109: ['Nesting too deep', 'error'],
  HS110: ['Binary file', 'error'],
  HS111: ['File too large to validate', 'warning'],
  HS112: ['No root element', 'error'],
  HS113: ['Too many problems to show', 'information'],
  HS114: ['Not a regular file', 'error'],
  HS200: ['Not an AnyConnect profile', 'error'],
  HS201: ['Wrong profile namespace', 'warning'],
  HS202: ['Unknown element', 'warning'],
  HS203: ['Element in the wrong place', 'error'],
  HS204: ['Elements out of order', 'error'],
  HS205: ['Element repeated', 'error'],
  HS206: ['Invalid value', 'error'],
  HS207: ['Missing value', 'error'],
  HS208: ['Text not allowed here', 'error'],
  HS209: ['UserControllable misused', 'error'],
  HS210: ['Unknown attribute', 'warning'],
  HS211: ['Required element missing', 'error'],
  HS212: ['Seed-dialect element', 'information'],
  HS301: ['Script name does not match its event', 'error'],
  HS302: ['Script path leaves the script folder', 'error'],
  HS303: ['Script name breaks the naming convention', 'warning'],
  HS304: ['Script file not found', 'warning'],
  HS305: ['Script referenced while scripting is disabled', 'warning'],
  HS401: ['Hook name breaks the naming convention', 'warning'],
  HS402: ['Near miss of a hook name', 'warning'],
  HS403: ['Hook without an extension', 'information'],
  HS404: ['Several hooks for one event', 'warning'],
  HS405: ['Hook is not executable', 'error'],
  HS406: ['Hook without a shebang', 'warning'],
  HS407: ['Hook has CRLF line ends', 'error'],
  HS408: ['Windows-only hook outside the Windows script folder', 'information'],
  HS409: ['Byte-order mark before #!', 'error'],
  HS410: ['Hook name with lookalike letters', 'warning'],
  HS420: ['Near miss of a Shorewall hook name', 'warning'],
  HS421: ['Shorewall hook removed in 5.1.0', 'warning'],
  HS422: ['Compile-time Shorewall hook is not Perl', 'error'],
  HS430: ['Hook writable by group or others', 'warning'],
  HS440: ['exit in a Shorewall run-time hook', 'error'],
  HS441: ['Shebang in a Shorewall run-time hook', 'information'],
  HS442: ['run_iptables in started or restored', 'error'],
  HS443: ['Bare iptables in a Shorewall run-time hook', 'warning'],
  HS444: ['log_rule_limit in a shell hook', 'error'],
  HS445: ['isusable leaves a path without a status', 'warning'],
  HS446: ['Compile-time hook does not end with a true value', 'error'],
  HS450: ['Unknown CISCO_VPN_ variable', 'warning'],
  HS451: ['CISCO_VPN_EVENT compared with a value never sent', 'warning'],
  HS452: ['Change made on connect is never undone', 'warning'],
  HS460: ['Shell syntax error', 'error'],
} as const satisfies Record<string, readonly [string, Severity]>;

export type RuleCode = keyof typeof table;

export const rules: readonly RuleInfo[] = Object.entries(table).map(([code, [title, severity]]) => ({
  code,
  title,
  severity,
}));

/** Where a rule's page lives, relative to the package root (shipped in the .vsix). */
export function ruleDocPath(code: string): string {
  return `docs/rules/${code}.md`;
}

/** A finding in document offsets (UTF-16 code units); faces turn it into ranges. */
export interface Finding {
  readonly code: RuleCode;
  readonly severity: Severity;
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** What a quick fix needs (a new file name, the undo command, ...); travels in Diagnostic.data. */
  readonly fix?: FixData;
}

/** The data a rule leaves for its quick fix. */
export type FixData =
  | { readonly kind: 'rename'; readonly to: string }
  | { readonly kind: 'replace'; readonly with: string }
  | { readonly kind: 'remove-bom' }
  | { readonly kind: 'chmod-go-w' }
  | { readonly kind: 'rename-element'; readonly to: string }
  | { readonly kind: 'move-into'; readonly parent: string }
  | { readonly kind: 'add-default-branch' }
  | { readonly kind: 'undo'; readonly command: string; readonly event: 'OnDisconnect' }
  | { readonly kind: 'create-script'; readonly name: string; readonly event: 'OnConnect' | 'OnDisconnect' };

export function finding(code: RuleCode, start: number, end: number, message: string, severity?: Severity): Finding {
  return { code, severity: severity ?? table[code][1], message, start, end };
}

export function withFix(f: Finding, fix: FixData): Finding {
  return { ...f, fix };
}
