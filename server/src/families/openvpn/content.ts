import * as path from 'node:path';
import { append } from '../../append';
import { Finding, finding, withFix } from '../../diagnostics';
import { Node, sourceOf, Tree } from '../../shell/parser';
import { shellSyntaxFindings, withinParseBudget } from '../../shell/syntax';
import { assignedNames, commands, ShellCommand, Span, VariableUse, variableUses } from '../../shell/walk';
import { nearest } from '../../text/nearest';
import { bomBeforeShebang, interpreter, isPosix, onFirstLine, shebang, shellInterpreters, writableByOthers } from '../common/fileChecks';
import { shellOwnVariables as shellOwn } from '../common/shellVariables';
import { HookFile, Recognized } from '../family';
import { OpenvpnFacts } from './config';
import { appendedArgs, OpenvpnEvent, openvpnEnv } from './hooks';

/** What the content rules know of a script: the directives that run it, and its config's facts. */
export interface ScriptRoles {
  readonly events: readonly OpenvpnEvent[];
  readonly facts: OpenvpnFacts | undefined;
  /** auth-user-pass-verify's method, when a config says. */
  readonly viaFile: boolean;
}

export function rolesOf(recognized: Recognized): ScriptRoles {
  const facts = recognized.wiredBy?.find((w) => w.facts)?.facts as OpenvpnFacts | undefined;
  const viaFile = recognized.wiredBy?.some((w) => w.key === 'auth-user-pass-verify' && w.facts?.authMethod === 'via-file') ?? false;
  return { events: recognized.hook.runBy as OpenvpnEvent[], facts, viaFile };
}

/** The file itself: OpenVPN execs it (execve, no shell), as root or as the dropped user. */
export function fileFindings(file: HookFile): Finding[] {
  const found: Finding[] = [];
  const name = path.basename(file.path);
  if (file.mode !== undefined && isPosix() && (file.mode & 0o111) === 0)
    found.push(
      onFirstLine(file, 'HS625', `${name} is not executable: OpenVPN execs it without a shell, so the exec fails. Run chmod +x ${name}.`),
    );
  if (bomBeforeShebang(file) || !file.text.startsWith('#!')) {
    const why = bomBeforeShebang(file) ? 'a UTF-8 byte-order mark comes before its #! line' : 'it has no #! line';
    found.push(
      onFirstLine(
        file,
        'HS626',
        `OpenVPN execs this script directly (no shell) and ${why}: the exec fails with "Exec format error". Start it with #!/bin/sh.`,
      ),
    );
  }
  const writable = writableByOthers(file, 'root');
  if (writable) found.push(writable);
  return found;
}

/** Content rules for shell scripts (other interpreters are not parsed). */
export function contentFindings(file: HookFile, recognized: Recognized): Finding[] {
  const line = shebang(file.text);
  if (line !== undefined && !shellInterpreters.has(interpreter(line))) return [];
  const roles = rolesOf(recognized);
  return withinParseBudget(file.text, (tree) => {
    const found = shellSyntaxFindings(tree);
    const uses = variableUses(tree); // once: each use is a node read out of WebAssembly
    const cmds = commands(tree);
    append(found, authTypeOnly(tree), positional(tree, uses, roles), trustedIpInRules(cmds, uses), misspelt(tree, uses));
    append(found, emptyOnDelete(tree, uses, roles));
    if (roles.events.includes('client-connect')) append(found, incidentalLast(tree));
    return found;
  });
}

const unquote = (s: string): string => s.replace(/^(["'])(.*)\1$/s, '$2');

/** `auth-user-pass-verify` compared with script_type and `user-pass-verify` nowhere: the source sends the latter. */
function authTypeOnly(tree: Tree): Finding[] {
  const source = sourceOf(tree);
  if (!/script_type/.test(source) || /(^|[^-\w])user-pass-verify/.test(source.replace(/auth-user-pass-verify/g, ''))) return [];
  const message =
    'OpenVPN sets script_type=user-pass-verify for auth-user-pass-verify (ssl_verify.c); only its man page says ' +
    'auth-user-pass-verify. As written this branch never runs and the check falls through. Accept both: ' +
    'user-pass-verify|auth-user-pass-verify.';
  const found: Finding[] = [];
  for (const c of tree.rootNode.descendantsOfType('case_statement')) {
    if (!c || !/script_type/.test(c.childForFieldName('value')?.text ?? '')) continue;
    for (const item of c.namedChildren) {
      if (item?.type !== 'case_item') continue;
      for (const v of item.childrenForFieldName('value')) {
        if (v && unquote(v.text) === 'auth-user-pass-verify')
          found.push(
            withFix(finding('HS620', v.startIndex, v.endIndex, message), {
              kind: 'replace',
              with: 'user-pass-verify|auth-user-pass-verify',
            }),
          );
      }
    }
  }
  for (const w of testedWords(tree, source)) {
    if (unquote(w.text) === 'auth-user-pass-verify') found.push(finding('HS620', w.startIndex, w.endIndex, message));
  }
  return found;
}

/**
 * The words, strings and raw strings (not parts of a string) inside each outermost `[ ]`/`[[ ]]`
 * test or binary expression whose text names script_type. One cursor walk: an unclosed `[[` before
 * a long pipeline (found by fuzzing) nests every `|` in a binary expression, and asking each of
 * them for its parent, text and descendants was quadratic.
 */
function testedWords(tree: Tree, source: string): Span[] {
  const found: Span[] = [];
  const cursor = tree.walk();
  const above: (string | undefined)[] = []; // per level above the cursor: its type when inside a tested node
  try {
    for (;;) {
      const type = cursor.nodeType;
      const parent = above.length > 0 ? above[above.length - 1] : undefined;
      const tested = parent !== undefined || (tests.has(type) && /script_type/.test(source.slice(cursor.startIndex, cursor.endIndex)));
      if (parent !== undefined && parent !== 'string' && words.has(type))
        found.push({ startIndex: cursor.startIndex, endIndex: cursor.endIndex, text: source.slice(cursor.startIndex, cursor.endIndex) });
      // An outermost test without script_type has none in its parts either: its subtree is skipped.
      if ((tested || !tests.has(type)) && cursor.gotoFirstChild()) {
        above.push(tested ? type : undefined);
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return found;
        above.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}

const tests = new Set(['test_command', 'binary_expression']);
const words = new Set(['word', 'string', 'raw_string']);

/** $N beyond what OpenVPN passes for every directive that runs the script; $3 (cn) on learn-address's delete. */
function positional(tree: Tree, uses: readonly VariableUse[], roles: ScriptRoles): Finding[] {
  const numbered = uses.filter((u) => /^[1-9]$/.test(u.name));
  if (!numbered.length || !roles.events.length) return [];
  const bodies = tree.rootNode.descendantsOfType('function_definition').flatMap((f) => (f ? [[f.startIndex, f.endIndex] as const] : []));
  const passed = (e: OpenvpnEvent): number =>
    (roles.facts?.userArgs[e] ?? 0) + (e === 'auth-user-pass-verify' ? (roles.viaFile ? 1 : 0) : appendedArgs[e].length);
  const most = Math.max(...roles.events.map(passed));
  const found: Finding[] = [];
  const deletes = deleteBranches(tree, roles);
  for (const u of numbered) {
    if (bodies.some(([s, e]) => s <= u.node.startIndex && u.node.endIndex <= e)) continue;
    const n = Number(u.name);
    const span = dollarSpan(tree, u.node);
    if (n > most) {
      const what = roles.events.map((e) => `${e}: ${passed(e)}`).join(', ');
      found.push(
        finding(
          'HS621',
          span.start,
          span.end,
          `$${n} is always empty: OpenVPN passes ${roles.events.length > 1 ? 'at most ' : ''}${most} argument(s) here ` +
            `(${what}; your own words in the directive come first, then OpenVPN's). Read the environment instead ($dev, ` +
            `$ifconfig_local, $common_name, ...).`,
        ),
      );
    } else if (n === 3 && inside(deletes, u)) {
      found.push(
        finding(
          'HS621',
          span.start,
          span.end,
          '$3 is empty here: learn-address passes the common name only for add and update, never for delete ' +
            '(op addr only). Find the client by its address ($2) instead.',
        ),
      );
    }
  }
  const held = argumentNames(tree);
  for (const u of uses) {
    if (held.get(u.name) !== 3 || !inside(deletes, u)) continue;
    const span = dollarSpan(tree, u.node);
    found.push(
      finding(
        'HS621',
        span.start,
        span.end,
        `$${u.name} is empty here: it holds $3, and learn-address passes the common name only for add and update, never ` +
          'for delete (op addr only). Find the client by its address ($2) instead.',
      ),
    );
  }
  return found;
}

const inside = (branches: readonly (readonly [number, number])[], u: VariableUse): boolean =>
  branches.some(([s, e]) => s <= u.node.startIndex && u.node.endIndex <= e);

/** Names the script gives its arguments (`op="$1"`, `cn=$3`): assigned once, from one positional parameter. */
function argumentNames(tree: Tree): Map<string, number> {
  const held = new Map<string, number>();
  const twice = new Set<string>();
  for (const a of tree.rootNode.descendantsOfType('variable_assignment')) {
    const name = a?.childForFieldName('name')?.text;
    if (!a || !name) continue;
    const n = /^"?\$\{?([1-9])\}?"?$/.exec(a.childForFieldName('value')?.text ?? '');
    if (held.has(name) || !n) twice.add(name);
    else held.set(name, Number(n[1]));
  }
  for (const name of twice) held.delete(name);
  return held;
}

/**
 * OpenVPN's variables read in learn-address's delete branch: multi.c learn_address_script runs delete
 * with no client instance, in a fresh env_set that holds script_type alone.
 */
function emptyOnDelete(tree: Tree, uses: readonly VariableUse[], roles: ScriptRoles): Finding[] {
  const deletes = deleteBranches(tree, roles);
  if (!deletes.length) return [];
  const own = assignedNames(tree);
  return uses.flatMap((u) => {
    if (u.name === 'script_type' || own.has(u.name) || !(known.has(u.name) || numberedFamilies.test(u.name))) return [];
    if (!deletes.some(([s, e]) => s <= u.node.startIndex && u.node.endIndex <= e)) return [];
    const span = dollarSpan(tree, u.node);
    return [
      finding(
        'HS631',
        span.start,
        span.end,
        `$${u.name} is empty here: on delete OpenVPN no longer has the client, and runs learn-address with script_type ` +
          'as its only variable. Find what you need by the address ($2), for example from what add recorded.',
      ),
    ];
  });
}

/** The `delete)` branches of a case on $1 in a learn-address script with no words of its own. */
function deleteBranches(tree: Tree, roles: ScriptRoles): (readonly [number, number])[] {
  if (!roles.events.includes('learn-address') || (roles.facts?.userArgs['learn-address'] ?? 0) > 0) return [];
  const held = argumentNames(tree);
  return tree.rootNode.descendantsOfType('case_statement').flatMap((c) => {
    const on = /^"?\$\{?(\w+)\}?"?$/.exec(c?.childForFieldName('value')?.text ?? '')?.[1];
    if (!c || !on || (on !== '1' && held.get(on) !== 1)) return [];
    return c.namedChildren.flatMap((i) =>
      i?.type === 'case_item' && i.childrenForFieldName('value').some((v) => v && unquote(v.text) === 'delete')
        ? [[i.startIndex, i.endIndex] as const]
        : [],
    );
  });
}

function dollarSpan(tree: Tree, node: Node): { start: number; end: number } {
  const source = sourceOf(tree);
  const braced = source[node.startIndex - 1] === '{';
  return {
    start: node.startIndex - (braced ? 2 : 1),
    end: node.endIndex + (braced && source[node.endIndex] === '}' ? 1 : 0),
  };
}

const firewall = new Set(['iptables', 'ip6tables', 'nft', 'ipset', 'ip']);

/** $trusted_ip in a firewall rule or route: the peer's public address, where the tunnel address was usually meant. */
function trustedIpInRules(cmds: readonly ShellCommand[], uses: readonly VariableUse[]): Finding[] {
  const trusted = uses.filter((u) => u.name === 'trusted_ip' || u.name === 'trusted_ip6');
  if (!trusted.length) return [];
  const rules = cmds.filter((c) => firewall.has(c.name.split('/').pop() ?? ''));
  return trusted
    .filter((u) => rules.some((c) => c.startIndex <= u.node.startIndex && u.node.endIndex <= c.endIndex))
    .map((u) =>
      finding(
        'HS622',
        u.node.startIndex,
        u.node.endIndex,
        `$${u.name} is the client's real (public) address, not its address in the tunnel: a rule about tunnel traffic ` +
          `needs $ifconfig_pool_remote_ip${u.name.endsWith('6') ? '6' : ''}. Keep $${u.name} only if the rule really is about the ` +
          'outside connection.',
        'hint',
      ),
    );
}

const known = new Set(openvpnEnv.map((v) => v.name));
const numberedFamilies = new RegExp(
  String.raw`^(route_(network|netmask|gateway|metric)_\d+|route_ipv6_(network|gateway)_\d+|foreign_option_\d+|remote_(port_)?\d+|` +
    String.raw`proto_\d+|local_port_\d+|local_\d+|tls_(id|serial|serial_hex|digest|digest_sha256)_\d+|X509_\d+_\w+|ifconfig_pool_\w+|` +
    String.raw`peer_cert|auth_control_file|client_connect_config_file|client_connect_deferred_file|auth_failed_reason_file|` +
    String.raw`auth_pending_file|password|dev_idx|redirect_gateway|link_mtu|verb|common_name|username)$`,
);

/** $ifconfig_remote_ip, $common_nam: a name one or two letters from an OpenVPN variable, which OpenVPN never sets. */
function misspelt(tree: Tree, uses: readonly VariableUse[]): Finding[] {
  const suspects = uses.filter(
    (u) => u.name.length >= 4 && !known.has(u.name) && !shellOwn.has(u.name) && !/^\d/.test(u.name) && !numberedFamilies.test(u.name),
  );
  if (!suspects.length) return [];
  const own = assignedNames(tree);
  const guesses = new Map<string, string | undefined>();
  return suspects.flatMap((u) => {
    if (own.has(u.name)) return [];
    // No variable of OpenVPN's is longer than 30 characters: a longer name is two edits from none of them.
    if (!guesses.has(u.name)) guesses.set(u.name, u.name.length <= 32 ? nearest(u.name, known) : undefined);
    const guess = guesses.get(u.name);
    if (!guess) return [];
    const f = finding(
      'HS624',
      u.node.startIndex,
      u.node.endIndex,
      `OpenVPN never sets $${u.name}: did you mean $${guess}? As written it expands to an empty string.`,
      'warning',
    );
    return [withFix(f, { kind: 'replace', with: guess })];
  });
}

const incidental = new Set(['echo', 'printf', 'logger', 'tee', 'mail', 'mailx', 'curl', 'wget', 'systemctl', 'service', 'sync']);

/** client-connect's last command is its status: a trailing `echo ... >> log` decides whether the client stays. */
function incidentalLast(tree: Tree): Finding[] {
  const statements = tree.rootNode.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const last = statements[statements.length - 1];
  if (!last || (last.type !== 'command' && last.type !== 'redirected_statement')) return [];
  const cmd = last.type === 'redirected_statement' ? last.namedChildren.find((c) => c?.type === 'command') : last;
  if (!cmd) return [];
  const name = (cmd.childForFieldName('name')?.text ?? '').split('/').pop() ?? '';
  if (name === 'exit' || name === 'true' || name === ':') return [];
  const redirect = last.type === 'redirected_statement' && /(^|\s)\d?>>?/.test(last.text.slice(cmd.endIndex - last.startIndex));
  if (!incidental.has(name) && !redirect) return [];
  const what = redirect ? `writing to ${last.text.slice(cmd.endIndex - last.startIndex).trim()}` : name;
  return [
    finding(
      'HS623',
      last.startIndex,
      last.endIndex,
      `This is the script's last command, so its exit status is client-connect's: if ${what} fails (a full disk, a ` +
        `log file it may not write as the dropped user), OpenVPN disconnects the client. End with an explicit exit 0 ` +
        `once the real checks have passed (or add || true here).`,
    ),
  ];
}
