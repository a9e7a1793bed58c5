import { Finding, finding } from '../../diagnostics';
import { ShellCommand } from '../../shell/walk';
import { Change, changesMade, changesUndone, isUndone, netChangeKinds } from '../common/changes';
import { ParsedLine } from './analysis';
import { HookKey } from './hooks';
import { CalledScript } from './calledScripts';
import { lineName, substituted } from './lines';
import * as path from 'node:path';

const upKeys: readonly HookKey[] = ['PreUp', 'PostUp'];

/** A command with `%i` replaced by the interface's name, as wg-quick runs it: `-i %i` and `-i wg0` then compare alike. */
function asRun(c: ShellCommand, iface: string): ShellCommand {
  return { ...c, args: c.args.map((a) => substituted(a, iface)) };
}

interface Undo {
  readonly key: string;
  readonly line: ParsedLine;
  readonly command: ShellCommand;
}

const isUp = (l: ParsedLine): boolean => upKeys.includes(l.line.key);

/** What the down lines, and the scripts they run, undo: the keys of their deletes and flushes (%i and $1 ... replaced). */
export function undoneKeys(lines: readonly ParsedLine[], iface: string, scripts: readonly CalledScript[]): Set<string> {
  const keys = new Set<string>();
  for (const l of lines.filter((x) => !isUp(x))) for (const c of l.commands) for (const k of changesUndone([asRun(c, iface)])) keys.add(k);
  for (const s of scripts.filter((x) => !isUp(x.line))) for (const k of changesUndone(s.commands)) keys.add(k);
  return keys;
}

/**
 * PreDown / PostDown must remove, rule for rule, what PreUp / PostUp added (an iptables rule with
 * the same spec, the same route, routing rule, ipset entry or nft element), the scripts the lines
 * run included. A change no down line (nor a script one runs) undoes is reported: on the down line
 * that deletes a rule of the same chain with another spec (the usual slip: a match left out), else
 * on the up line's command, or on the call of the script that makes it.
 */
export function undoFindings(lines: readonly ParsedLine[], iface: string, scripts: readonly CalledScript[] = []): Finding[] {
  const downs = lines.filter((l) => !isUp(l));
  const undos: Undo[] = downs.flatMap((line) =>
    line.commands.flatMap((command) => [...changesUndone([asRun(command, iface)])].map((key) => ({ key, line, command }))),
  );
  const undone = undoneKeys(lines, iface, scripts);
  const out: Finding[] = [];
  for (const up of lines.filter(isUp)) {
    for (const command of up.commands) {
      for (const change of changesMade([asRun(command, iface)], netChangeKinds)) {
        if (isUndone(change, undone) || onInterface(change, iface)) continue;
        out.push(report(up, change, closestUndo(change, undos), iface));
      }
    }
  }
  for (const s of scripts.filter((x) => isUp(x.line))) {
    const left = changesMade(s.commands, netChangeKinds).filter((c) => !isUndone(c, undone));
    if (left.length) out.push(scriptReport(s, left, iface));
  }
  return out;
}

/**
 * A route or an address on the interface itself: wg-quick down deletes the interface before PostDown, and the kernel takes
 * them with it (a route through it in any table too), so nothing needs undoing.
 */
function onInterface(change: Change, iface: string): boolean {
  if (change.kind !== 'route' && change.kind !== 'address') return false;
  const args = change.command.args;
  const dev = args.indexOf('dev');
  return dev >= 0 && args[dev + 1] === iface;
}

/** At the call of a script whose changes no down removes: the first one named, the count of the others. */
function scriptReport(s: CalledScript, left: readonly Change[], iface: string): Finding {
  const name = path.basename(s.file);
  const first = left[0];
  const down = s.line.line.key === 'PreUp' ? 'PreDown' : 'PostDown';
  const others = left.length > 1 ? ` (and ${left.length - 1} more change${left.length > 2 ? 's' : ''})` : '';
  return finding(
    'HS654',
    s.start,
    s.end,
    `${lineName(s.line.line)} runs ${name}, which adds ${first.what}${others}, and no PreDown or PostDown line, nor a ` +
      `script one runs, removes it: it stays after wg-quick down, and each up adds one more. Run ` +
      `${first.undo.split(iface).join('%i')} on down (in the down script, or as ${down} = ...).`,
  );
}

/** A delete in the same chain (or set) whose spec differs from the change's. */
function closestUndo(change: Change, undos: readonly Undo[]): { undo: Undo; missing: string[]; extra: string[] } | undefined {
  const words = change.key.slice(change.scope.length).trim().split(/\s+/).filter(Boolean);
  let best: { undo: Undo; missing: string[]; extra: string[] } | undefined;
  for (const undo of undos) {
    if (!undo.key.startsWith(`${change.scope} `) || change.key === change.scope) continue;
    const theirs = undo.key.slice(change.scope.length).trim().split(/\s+/);
    const missing = words.filter((w) => !theirs.includes(w));
    const extra = theirs.filter((w) => !words.includes(w));
    if (!best || missing.length + extra.length < best.missing.length + best.extra.length) best = { undo, missing, extra };
  }
  return best;
}

function report(up: ParsedLine, change: Change, near: ReturnType<typeof closestUndo>, iface: string): Finding {
  const undo = change.undo.split(iface).join('%i');
  if (near) {
    const { undo: u, missing, extra } = near;
    const diff = [missing.length ? `lacks ${missing.join(' ')}` : '', extra.length ? `has ${extra.join(' ')} besides` : '']
      .filter(Boolean)
      .join(' and ');
    return finding(
      'HS654',
      u.line.line.start + u.command.startIndex,
      u.line.line.start + u.command.endIndex,
      `This ${u.line.line.key} does not undo ${lineName(up.line)}: its spec ${diff || 'differs'}, so it removes nothing (and ` +
        `fails, which stops wg-quick down there): the ${change.what} stays, and each up adds one more. Write ${undo}.`,
    );
  }
  const down = up.line.key === 'PreUp' ? 'PreDown' : 'PostDown';
  return finding(
    'HS654',
    up.line.start + change.command.startIndex,
    up.line.start + change.command.endIndex,
    `${lineName(up.line)} adds ${change.what} and no PreDown or PostDown line removes it: it stays after wg-quick down, ` +
      `and each up adds one more. Add ${down} = ${undo}.`,
  );
}
