/**
 * The state a hook can change, as a person reads it: one line per link, address, route, rule,
 * firewall rule, network sysctl and file, grouped by kind. Two snapshots diff line by line.
 */
import { pathExists } from '../../fileKinds';

export const stateKinds = ['links', 'addresses', 'routes', 'rules', 'iptables', 'ip6tables', 'nft', 'sysctls', 'files'] as const;
export type StateKind = (typeof stateKinds)[number];

/** Kinds absent from a snapshot: the tool is not installed in the sandbox. */
export type StateSnapshot = Partial<Record<StateKind, string[]>>;

export interface StateChange {
  readonly kind: StateKind;
  readonly change: 'added' | 'removed';
  /** The line: `192.168.100.0/24 via 10.0.0.1 dev tun0`, `created /etc/hosts.d/vpn`. */
  readonly item: string;
}

/** What one run's report carries (the JSON's "state"). */
export interface RunState {
  readonly before: StateSnapshot;
  readonly after: StateSnapshot;
  readonly diff: readonly StateChange[];
}

/** Reads the probe's sections (see probeScript). */
export function parseState(text: string): StateSnapshot {
  const state: StateSnapshot = {};
  let current: string[] | undefined;
  const files: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const header = /^@@hooksmith (\w+)$/.exec(line);
    if (header) {
      current = header[1] === 'files' ? files : (state[header[1] as StateKind] = []);
      continue;
    }
    if (current && line.trim()) current.push(normalize(line));
  }
  if (text.includes('@@hooksmith files')) state.files = fileLines(files);
  for (const kind of stateKinds) if (state[kind]) state[kind] = [...new Set(state[kind])].sort();
  return state;
}

/** Route flags that follow the carrier (a tun device with no reader has none) are not changes. */
function normalize(line: string): string {
  return line.replace(/\s+linkdown\b/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * The scratch layer's entries as changes to paths a person knows: upper/etc/x is /etc/x, created
 * when the host has no such file and changed when it has; a whiteout is a deletion; tmp/ and
 * home/ are the private /tmp and HOME (their files are all created).
 */
function fileLines(entries: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of entries) {
    const m = /^(file|whiteout|dir) (upper|tmp|home)\/(.+)$/.exec(entry);
    if (!m) continue;
    const [, type, layer, rest] = m;
    if (layer === 'upper') {
      if (!rest.includes('/')) continue; // the top-level folder of the layer itself
      const file = `/${rest}`;
      if (type === 'whiteout') out.push(`deleted ${file}`);
      else if (!pathExists(file)) out.push(`created ${file}${type === 'dir' ? '/' : ''}`);
      else if (type === 'file') out.push(`changed ${file}`);
    } else if (type === 'file') {
      out.push(`created ${layer === 'tmp' ? '/tmp' : '$HOME'}/${rest}`);
    }
  }
  return out;
}


/** Lines in `after` and not in `before` (added), and the other way round (removed), per kind. */
export function diffState(before: StateSnapshot, after: StateSnapshot): StateChange[] {
  const changes: StateChange[] = [];
  for (const kind of stateKinds) {
    const a = new Set(before[kind] ?? []);
    const b = new Set(after[kind] ?? []);
    for (const item of b) if (!a.has(item)) changes.push({ kind, change: 'added', item });
    for (const item of a) if (!b.has(item)) changes.push({ kind, change: 'removed', item });
  }
  return changes;
}

/** A person's line for one change: `route 192.168.100.0/24 via 10.0.0.1 dev tun0 added`. */
export function describeChange(c: StateChange): string {
  if (c.kind === 'files') return c.change === 'added' ? c.item : `no longer: ${c.item}`;
  return `${kindNoun[c.kind]} ${c.item} ${c.change}`;
}

const kindNoun: Record<StateKind, string> = {
  links: 'link', addresses: 'address', routes: 'route', rules: 'policy rule', iptables: 'iptables rule',
  ip6tables: 'ip6tables rule', nft: 'nft line', sysctls: 'sysctl', files: 'file',
};

/**
 * For an up/down pair (connect then disconnect): the state after the second equals the state before
 * the first, or what was left behind, one sentence per item.
 */
export function pairVerdict(first: { label: string; state: RunState }, second: { label: string; state: RunState }): string[] {
  const left = diffState(first.state.before, second.state.after);
  return left.map((c) => c.kind === 'files'
    ? `${c.item} (${first.label} to ${second.label}) is still there`
    : `${kindNoun[c.kind]} ${c.item} was ${c.change === 'added' ? 'added' : 'removed'} by ${first.label} and is still ${c.change === 'added' ? 'there' : 'missing'} after ${second.label}`);
}

/** For each `up` run followed by a `down` run in a sandbox: the state restored, or what was left behind. */
export function pairNotes(runs: readonly { readonly event: string; readonly state?: unknown }[], up: string, down: string): string[] {
  const notes: string[] = [];
  runs.forEach((first, i) => {
    const second = runs.slice(i + 1).find((r) => r.event === down);
    if (first.event !== up || !second || !first.state || !second.state) return;
    const left = pairVerdict({ label: first.event, state: first.state as RunState }, { label: second.event, state: second.state as RunState });
    notes.push(left.length ? `State NOT restored after ${first.event} then ${second.event}: ${left.join('; ')}.` : `State restored: the state after ${second.event} equals the state before ${first.event}.`);
  });
  return notes;
}
