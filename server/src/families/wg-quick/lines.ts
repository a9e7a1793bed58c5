import * as path from 'node:path';
import { ConfigEntry, ParsedConfig } from '../../config/keyValue';
import { HookKey, hookKeyOf } from './hooks';

/**
 * One PreUp / PostUp / PreDown / PostDown line as wg-quick reads it (linux.bash, parse_options):
 * the line is cut at its first `#`, the value is what follows the first `=`, trimmed. `text` is
 * exactly what wg-quick evals (before %i), and `start` its offset in the config, so an offset in
 * `text` plus `start` is the place in the file.
 */
export interface HookLine {
  readonly entry: ConfigEntry;
  readonly key: HookKey;
  /** Inside [Interface]: only there does wg-quick run it. */
  readonly inInterface: boolean;
  readonly text: string;
  readonly start: number;
  /** Offset in the config of a `#` inside the value that cut it short, when there is one. */
  readonly cutAt: number | undefined;
  /** 1-based position among the lines of the same key, in file order. */
  readonly nth: number;
}

const blank = /[ \t\r\v\f]/;

export function isInterfaceSection(section: string | undefined): boolean {
  return section?.toLowerCase() === 'interface';
}

/** The hook lines of a config, in file order (the order wg-quick runs each key's lines in). */
export function hookLines(config: ParsedConfig): HookLine[] {
  const counts = new Map<HookKey, number>();
  const out: HookLine[] = [];
  for (const entry of config.entries) {
    const key = hookKeyOf(entry.key);
    if (!key) continue;
    const hash = entry.value.indexOf('#');
    let end = hash < 0 ? entry.value.length : hash;
    while (end > 0 && blank.test(entry.value[end - 1])) end--;
    const nth = (counts.get(key) ?? 0) + 1;
    counts.set(key, nth);
    out.push({
      entry,
      key,
      inInterface: isInterfaceSection(entry.section),
      text: entry.value.slice(0, end),
      start: entry.valueSpan.start,
      cutAt: hash < 0 ? undefined : entry.valueSpan.start + hash,
      nth,
    });
  }
  return out;
}

/** The interface a config file brings up: its name without `.conf` (wg0.conf → wg0). */
export function interfaceOf(file: string): string {
  return path.basename(file).replace(/\.conf$/i, '');
}

/** What wg-quick runs for a line: `%i` replaced by the interface's name, nothing else substituted. */
export function substituted(text: string, iface: string): string {
  return text.split('%i').join(iface);
}

/** How a hook line is written in messages: `PostUp (line 7)`. */
export function lineName(line: HookLine): string {
  return `${line.key} (line ${line.entry.line + 1})`;
}
