import { shorewallHooks } from '../hooks';
import type { ShorewallCommand } from '../request';

/**
 * The run-time hooks each command runs, in order. Which hooks: the seed's table (hooks.ts runBy).
 * In which order: Shorewall 5.x's generated script (Compiler.pm generate_script_3, prog.footer,
 * lib.common, prog.header):
 * - start, restart, restore: `detect_configuration` (isusable, once per optional interface) before
 *   `define_firewall`, which runs init, then tcclear (delete_tc1, when CLEAR_TC=Yes), then the
 *   providers' routing (findgw, for a gateway of "detect"), then for restore `restored`, for the
 *   others start, the state set to Started, started.
 * - reload: the seed lists init, tcclear, start, started (no isusable, no findgw).
 * - refresh: hook-families.md and the extension-scripts page: refresh runs "in place of init",
 *   then refreshed. (The page's command table also lists init under refresh; its own description
 *   of refresh wins here, and a note says so when init exists.)
 * - stop: stop_firewall runs stop, then stopped. clear: clear_firewall runs stop_firewall (stop,
 *   stopped), then clear.
 */
export const runTimeOrder: Readonly<Record<ShorewallCommand, readonly string[]>> = {
  start: ['isusable', 'init', 'tcclear', 'findgw', 'start', 'started'],
  restart: ['isusable', 'init', 'tcclear', 'findgw', 'start', 'started'],
  reload: ['init', 'tcclear', 'start', 'started'],
  refresh: ['isusable', 'refresh', 'findgw', 'refreshed'],
  restore: ['isusable', 'init', 'tcclear', 'findgw', 'restored'],
  stop: ['stop', 'stopped'],
  clear: ['stop', 'stopped', 'clear'],
};

/** Hooks that get the interface as $1. */
export const interfaceHooks: ReadonlySet<string> = new Set(['isusable', 'findgw']);

/** Compile-time Perl hooks the rules compiler runs for a command (never run by a simulation). */
export function compileTimeHooks(command: ShorewallCommand): string[] {
  return shorewallHooks.filter((h) => h.runModel === 'perl-compile-time' && h.runBy.includes(command)).map((h) => h.name);
}
