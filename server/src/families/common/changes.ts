import { ShellCommand } from '../../shell/walk';

/** A change to the machine that the matching "down" hook (OnDisconnect, a disconnect branch) should undo. */
export interface Change {
  readonly command: ShellCommand;
  /** What the change is, for messages: "Route 192.168.100.0/24 added". */
  readonly what: string;
  /** Identity shared by the change and its undo: "route 192.168.100.0/24", "mount /mnt/share", "drive Z:". */
  readonly key: string;
  readonly kind: 'ip-route' | 'route' | 'route-macos' | 'mount' | 'net-use' | 'iptables';
}

const ipOptionsWithValue = ['-f', '-family', '-n', '-netns'];

const base = (name: string): string => name.split('/').pop() ?? name;

/** Positional arguments: options and the values of options that take one are skipped. */
function operands(args: readonly string[], withValue: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (withValue.includes(args[i])) i++;
    else if (!args[i].startsWith('-')) out.push(args[i]);
  }
  return out;
}

/** `ip route add`, `route add`, `route -n add`, `mount`, `mount_smbfs`, `net use Z:` in a hook. */
export function changesMade(cmds: readonly ShellCommand[]): Change[] {
  return cmds.flatMap((c) => {
    const change = changeOf(c);
    return change ? [change] : [];
  });
}

function changeOf(c: ShellCommand): Change | undefined {
  const name = base(c.name);
  const rule = iptablesRule(name, c.args);
  if (rule && (rule.verb === 'append' || rule.verb === 'insert')) {
    return { command: c, kind: 'iptables', key: rule.key, what: `${name} rule "${rule.spec}" added to ${rule.chain}` };
  }
  const ops = operands(c.args, ['-t', '-o', '-O', '-L', '-F']);
  if (name === 'ip') {
    const [object, verb, dest] = operands(c.args, ipOptionsWithValue);
    if (/^r(o(ute?)?)?$/.test(object ?? '') && /^(add|a|append|replace|prepend)$/.test(verb ?? '') && dest) {
      return { command: c, kind: 'ip-route', key: `route ${dest}`, what: `Route ${dest} added` };
    }
  }
  if (name === 'route' && ops[0] === 'add' && ops[1]) {
    const kind = c.args.includes('-n') ? 'route-macos' : 'route';
    return { command: c, kind, key: `route ${ops[1]}`, what: `Route ${ops[1]} added` };
  }
  if ((name === 'mount' || name === 'mount.cifs' || name === 'mount_smbfs') && ops.length >= 2) {
    const target = ops[ops.length - 1];
    return { command: c, kind: 'mount', key: `mount ${target}`, what: `${target} mounted` };
  }
  if (name === 'net' && ops[0]?.toLowerCase() === 'use' && /^[A-Za-z]:$/.test(ops[1] ?? '') && !hasDelete(c.args)) {
    const drive = ops[1].toUpperCase();
    return { command: c, kind: 'net-use', key: `drive ${drive}`, what: `Drive ${drive} mapped` };
  }
  return undefined;
}

function hasDelete(args: readonly string[]): boolean {
  return args.some((a) => /^\/d(elete)?$/i.test(a));
}

/** An iptables / ip6tables rule command: what it does to which chain, and the key its undo shares. */
export interface IptablesRule {
  readonly verb: 'append' | 'insert' | 'delete' | 'flush';
  readonly table: string;
  readonly chain: string;
  /** The rule's matches and target, as written. */
  readonly spec: string;
  readonly key: string;
  /** Index in the arguments of the verb (-A, -I, -D, -F). */
  readonly verbAt: number;
}

const iptablesVerbs: Readonly<Record<string, IptablesRule['verb']>> = {
  '-A': 'append',
  '--append': 'append',
  '-I': 'insert',
  '--insert': 'insert',
  '-D': 'delete',
  '--delete': 'delete',
  '-F': 'flush',
  '--flush': 'flush',
};

/** `iptables [-t T] -A|-I|-D|-F CHAIN [N] spec...` (ip6tables alike); undefined for anything else. */
export function iptablesRule(name: string, args: readonly string[]): IptablesRule | undefined {
  if (name !== 'iptables' && name !== 'ip6tables') return undefined;
  let table = 'filter';
  let verbAt = -1;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-t' || args[i] === '--table') table = args[++i] ?? table;
    else if (verbAt < 0 && iptablesVerbs[args[i]]) verbAt = i;
    else if (verbAt >= 0) rest.push(args[i]);
  }
  if (verbAt < 0) return undefined;
  const verb = iptablesVerbs[args[verbAt]];
  const [chain = '', ...after] = rest;
  const spec = (/^\d+$/.test(after[0] ?? '') && verb !== 'append' ? after.slice(1) : after).join(' ');
  return { verb, table, chain, spec, verbAt, key: `${name} ${table} ${chain} ${verb === 'flush' ? '*' : spec}` };
}

/** Whether `change` is among the undone keys: by its own key, or by a flush of its chain. */
export function isUndone(change: Change, undone: ReadonlySet<string>): boolean {
  return undone.has(change.key) || (change.kind === 'iptables' && undone.has(change.key.replace(/^(\S+ \S+ \S+) .*$/, '$1 *')));
}

/** The keys of the changes these commands undo. */
export function changesUndone(cmds: readonly ShellCommand[]): string[] {
  return cmds.flatMap((c) => {
    const name = base(c.name);
    const rule = iptablesRule(name, c.args);
    if (rule) return rule.verb === 'delete' || rule.verb === 'flush' ? [rule.key] : [];
    const ops = operands(c.args, name === 'ip' ? ipOptionsWithValue : ['-t']);
    if (name === 'ip' && /^r(o(ute?)?)?$/.test(ops[0] ?? '') && /^(del|delete|d|flush)$/.test(ops[1] ?? '') && ops[2])
      return [`route ${ops[2]}`];
    if (name === 'route' && /^(del|delete)$/.test(ops[0] ?? '') && ops[1]) return [`route ${ops[1]}`];
    if (name === 'umount' || (name === 'diskutil' && /^unmount/.test(ops[0] ?? ''))) return ops.map((t) => `mount ${t}`);
    if (name === 'net' && ops[0]?.toLowerCase() === 'use' && hasDelete(c.args) && ops[1]) return [`drive ${ops[1].toUpperCase()}`];
    return [];
  });
}

/** The command that undoes a change, as the message and the quick fix write it. */
export function undoOf(change: Change): string {
  const target = change.key.slice(change.key.indexOf(' ') + 1);
  switch (change.kind) {
    case 'ip-route':
      return `ip route del ${target}`;
    case 'route':
      return `route del ${target}`;
    case 'route-macos':
      return `route -n delete ${target}`;
    case 'mount':
      return `umount ${target}`;
    case 'net-use':
      return `net use ${target} /delete /yes`;
    case 'iptables': {
      const [name, table, chain] = change.key.split(' ');
      const rule = iptablesRule(name, change.command.args);
      return `${name}${table === 'filter' ? '' : ` -t ${table}`} -D ${chain} ${rule?.spec ?? ''}`.trim();
    }
  }
}
