import { anyconnectHooks } from './hooks';
import { anyconnectEnv } from './env';
import { AnyConnectEvent } from './naming';

export interface ScriptTemplate {
  readonly text: string;
  /** Shell scripts need the execute bit; Windows scripts are run by their host. */
  readonly executable: boolean;
}

interface Dialect {
  readonly comment: string;
  readonly eol: string;
  /** Lines before the comment (a shebang must come first) and after it. */
  readonly first: readonly string[];
  readonly setup: readonly string[];
  /** The log line, given the script's name. */
  readonly log: (name: string) => string;
}

const batch: Dialect = {
  comment: 'rem',
  eol: '\r\n',
  first: ['@echo off'],
  setup: [],
  log: (name) => `echo VPN: ${name} ran for %CISCO_VPN_USERNAME%`,
};

// Windows hosts read CRLF natively; the shell needs LF (HS407).
const dialects: Readonly<Record<string, Dialect>> = {
  vbs: {
    comment: "'",
    eol: '\r\n',
    first: [],
    setup: ['Set objShell = CreateObject("WScript.Shell")'],
    log: (name) => `objShell.LogEvent 4, "VPN: ${name} ran for " & objShell.ExpandEnvironmentStrings("%CISCO_VPN_USERNAME%")`,
  },
  ps1: { comment: '#', eol: '\r\n', first: [], setup: [], log: (name) => `Write-Output "VPN: ${name} ran for $env:CISCO_VPN_USERNAME"` },
  bat: batch,
  cmd: batch,
};

const shell = (interpreter: string): Dialect => ({
  comment: '#',
  eol: '\n',
  first: [`#!/bin/${interpreter}`],
  setup: [],
  log: (name) => `logger "VPN: ${name} ran ($CISCO_VPN_EVENT) for $CISCO_VPN_USERNAME on $CISCO_VPN_SERVER"`,
});

/** A file name as the template writes it in code: quotes, $, % and backquotes could run something. */
const inert = (name: string): string => name.replace(/[^\w.+@ -]/g, '_');

/** A starting point for a script the profile names: what runs it, the environment it gets, a log line. */
export function scriptTemplate(fileName: string, event: AnyConnectEvent): ScriptTemplate {
  const name = inert(fileName);
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1].toLowerCase() ?? '';
  const windows = Object.hasOwn(dialects, ext) ? dialects[ext] : undefined;
  const dialect = windows ?? shell(ext === 'bash' ? 'bash' : 'sh');
  const c = dialect.comment;
  const width = Math.max(...anyconnectEnv.map((v) => v.name.length));
  const lines = [
    ...dialect.first,
    `${c} ${name}: ${anyconnectHooks.find((h) => h.name === event)?.description ?? event}`,
    `${c} The executor sets:`,
    ...anyconnectEnv.map((v) => `${c}   ${v.name.padEnd(width)}  ${v.meaning}`),
    ...dialect.setup,
    dialect.log(name),
  ];
  return { text: lines.join(dialect.eol) + dialect.eol, executable: windows === undefined };
}

/** A new OnDisconnect hook holding the commands that undo OnConnect's changes. */
export function disconnectHookText(shebangLine: string, onConnect: string, command: string): string {
  return `${shebangLine}\n# Undoes what ${inert(onConnect)} does on connect.\n${command}\n`;
}
