import { spawnSync } from 'node:child_process';

/** This machine's addresses, routes (all tables, both families) and rules: a sandbox test checks them unchanged. */
export function hostNetwork(): string {
  const ip = (args: string[]): string => spawnSync('ip', args, { encoding: 'utf8' }).stdout;
  return [ip(['-o', 'addr']), ip(['route', 'show', 'table', 'all']), ip(['-6', 'route', 'show', 'table', 'all']), ip(['rule'])].join('\n');
}
