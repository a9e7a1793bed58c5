import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { allRules, RuleRecord } from '../diagnostics';
import { relativeInside } from './baseDir';
import { ruleDocUrl } from './docsUrl';
import { escapeControls } from './escape';
import { Located } from './lintFiles';

/** How many files of each kind were linted, for the summary. */
export interface FileCounts {
  readonly profiles: number;
  readonly hooks: number;
  /** Config documents (ocserv.conf). */
  readonly configs?: number;
  /** Hook test specs (*.hooktest.yaml). */
  readonly specs?: number;
  /** Paths that could not be read (exit status 2): the summary must not call the run clean. */
  readonly unread?: number;
}

export function formatText(diagnostics: readonly Located[], counts: FileCounts): string {
  const lines = diagnostics.map(
    (d) =>
      `${escapeControls(d.file)}:${d.line}:${d.column}: ${d.severity} ${d.code} ${escapeControls(d.message)}${d.url ? ` <${d.url}>` : ''}`,
  );
  const count = (...severities: string[]): number => diagnostics.filter((d) => severities.includes(d.severity)).length;
  const files = filesLinted(counts);
  const unread = counts.unread ? `; ${plural(counts.unread, 'path')} not read (see the messages)` : '';
  const summary = diagnostics.length
    ? `${plural(diagnostics.length, 'problem')} (${plural(count('error'), 'error')}, ` +
      `${plural(count('warning'), 'warning')}, ${plural(count('information', 'hint'), 'note')}) in ${files}${unread}`
    : unread
      ? `0 problems in ${files}${unread}`
      : `No problems in ${files}`;
  return [...lines, summary].join('\n') + '\n';
}

/** "3 profiles and 7 hooks"; a kind with none is left out unless both are; config files and hook test specs when there are some. */
function filesLinted({ profiles, hooks, configs, specs }: FileCounts): string {
  if (!configs && !specs) return profilesAndHooks(profiles, hooks);
  const kinds = [
    profiles ? plural(profiles, 'profile') : '',
    hooks ? plural(hooks, 'hook') : '',
    configs ? plural(configs, 'config file') : '',
    specs ? plural(specs, 'hook test spec') : '',
  ].filter(Boolean);
  return kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]}` : kinds[0];
}

function profilesAndHooks(profiles: number, hooks: number): string {
  if (!hooks && profiles) return plural(profiles, 'profile');
  if (!profiles && hooks) return plural(hooks, 'hook');
  return `${plural(profiles, 'profile')} and ${plural(hooks, 'hook')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatJson(diagnostics: readonly Located[]): string {
  return JSON.stringify({ diagnostics }, null, 2) + '\n';
}

const sarifLevels = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

export interface SarifOptions {
  /** The repository root that artifact URIs are relative to (SRCROOT). */
  readonly base: string;
  /** The folder the file names in `diagnostics` are relative to. */
  readonly cwd: string;
  /** https base of the rule pages. */
  readonly docsBaseUrl: string;
}

/**
 * SARIF 2.1.0, as GitHub code scanning reads it: paths relative to the repository root, rule help on the web, rule metadata from the rule
 * records.
 */
export function formatSarif(diagnostics: readonly Located[], version: string, { base, cwd, docsBaseUrl }: SarifOptions): string {
  const rules = allRules();
  const foreign = foreignRules(diagnostics);
  const ruleIds = [...rules.map((r) => r.code), ...foreign.map((r) => r.id)];
  const run = {
    tool: {
      driver: {
        name: 'hooksmith',
        version,
        informationUri: ruleDocUrl(docsBaseUrl, 'index'),
        rules: [...rules.map((r) => sarifRule(r, docsBaseUrl)), ...foreign],
      },
    },
    originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(base + path.sep).toString() } },
    columnKind: 'utf16CodeUnits',
    results: diagnostics.map((d) => ({
      ruleId: d.code,
      ruleIndex: ruleIds.indexOf(d.code),
      level: sarifLevels[d.severity],
      message: { text: d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifact(d.file, base, cwd),
            region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
          },
        },
      ],
    })),
  };
  return JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] }, null, 2) + '\n';
}

function sarifRule(r: RuleRecord, docsBaseUrl: string) {
  const helpUri = ruleDocUrl(docsBaseUrl, r.code);
  return {
    id: r.code,
    name: r.title
      .replace(/[^A-Za-z0-9]+/g, ' ')
      .trim()
      .replace(/ (\w)/g, (_, c: string) => c.toUpperCase()),
    shortDescription: { text: r.title },
    fullDescription: { text: r.summary },
    help: { text: `${r.summary} ${helpUri}`, markdown: `**${r.code}: ${r.title}**\n\n${r.summary}\n\n[Read more](${helpUri})` },
    helpUri,
    defaultConfiguration: { level: sarifLevels[r.severity] },
  };
}

/**
 * ShellCheck's codes among the results, as SARIF rules that link to its wiki: its message for a code
 * is the same wherever it is found, so the first one met is the rule's help text, and its level the rule's.
 */
function foreignRules(diagnostics: readonly Located[]) {
  const seen = new Map<string, Located & { url: string }>();
  for (const d of diagnostics) if (d.url && !seen.has(d.code)) seen.set(d.code, { ...d, url: d.url });
  return [...seen.values()].map(({ code: id, url: helpUri, message, severity }) => ({
    id,
    name: id,
    shortDescription: { text: `ShellCheck ${id}` },
    help: { text: `ShellCheck ${id}: ${message} ${helpUri}`, markdown: `**ShellCheck ${id}**\n\n${message}\n\n[Read more](${helpUri})` },
    helpUri,
    defaultConfiguration: { level: sarifLevels[severity] },
  }));
}

function artifact(file: string, base: string, cwd: string): { uri: string; uriBaseId?: string } {
  const relative = relativeInside(base, cwd, file);
  if (relative !== undefined) return { uri: relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
  return { uri: pathToFileURL(path.resolve(cwd, file)).toString() };
}
