/**
 * Time from didChange to the publishDiagnostics of that version, over stdio against the
 * bundled server (`node dist/server.js --stdio`), for the ~30 KB profile.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../test/helpers/lspClient';
import { median, p95 } from './stats';

/** A value in the document that the edits rewrite; `values` cycle, `invalid` ones draw a diagnostic. */
interface EditSite {
  readonly line: number;
  readonly character: number;
  /** The value now in the document. */
  current: string;
  readonly values: readonly string[];
  readonly invalid: ReadonlySet<string>;
  next: number;
}

interface Edit {
  readonly site: EditSite;
  readonly text: string;
}

export interface LatencyResult {
  readonly edits: number;
  readonly withDiagnostics: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

const waitMs = 10_000;

/** Opens `text` as `file`, then times `edits` incremental edits after `warmup` untimed ones. */
export async function benchLspLatency(file: string, text: string, edits = 200, warmup = 20): Promise<LatencyResult> {
  const session = await LspClient.start();
  try {
    const uri = pathToFileURL(file).href;
    await session.open(uri, text);
    const first = await session.forVersion(uri, 1, waitMs);
    if (first.diagnostics.length) throw new Error(`The 30 KB profile got ${first.diagnostics.length} diagnostics on open`);
    const sites = editSites(text);
    const times: number[] = [];
    let withDiagnostics = 0;
    for (let i = 0; i < warmup + edits; i++) {
      const { ms, diagnostics } = await timeEdit(session, uri, i + 2, nextEdit(sites[i % sites.length]));
      checkDiagnostics(diagnostics, sites, i + 2);
      if (i < warmup) continue;
      times.push(ms);
      if (diagnostics) withDiagnostics++;
    }
    return { edits, withDiagnostics, p50Ms: median(times), p95Ms: p95(times) };
  } finally {
    await session.stop();
  }
}

/** Sends one edit and waits for its version's diagnostics. */
async function timeEdit(session: LspClient, uri: string, version: number, edit: Edit): Promise<{ ms: number; diagnostics: number }> {
  const { site, text } = edit;
  const end = site.character + site.current.length;
  const range = { start: { line: site.line, character: site.character }, end: { line: site.line, character: end } };
  const sent = performance.now();
  await session.change(uri, version, [{ range, text }]);
  const published = await session.forVersion(uri, version, waitMs);
  const ms = performance.now() - sent; // the waiter resolves inside the notification handler
  site.current = text;
  return { ms, diagnostics: published.diagnostics.length };
}

/** One diagnostic per site that now holds an invalid value, none otherwise. */
function checkDiagnostics(got: number, sites: readonly EditSite[], version: number): void {
  const expected = sites.filter((s) => s.invalid.has(s.current)).length;
  if (got === expected) return;
  const state = sites.map((s) => JSON.stringify(s.current)).join(', ');
  throw new Error(`Version ${version} (values ${state}) got ${got} diagnostics, expected ${expected}`);
}

function nextEdit(site: EditSite): Edit {
  const text = site.values[site.next];
  site.next = (site.next + 1) % site.values.length;
  return { site, text };
}

/** A boolean in ClientInitialization (valid and invalid values) and a HostName in the middle of the ServerList. */
function editSites(text: string): EditSite[] {
  const bool = siteAfter(text, '<AutoConnectOnStart UserControllable="true">', 0);
  const host = siteAfter(text, '<HostName>', Math.floor(text.length / 2));
  return [
    {
      ...position(text, bool.offset),
      current: bool.value,
      values: ['true', 'ture', 'false', 'False'],
      invalid: new Set(['ture', 'False']),
      next: 0,
    },
    { ...position(text, host.offset), current: host.value, values: [`${host.value} (renamed)`, host.value], invalid: new Set(), next: 0 },
  ];
}

/** The text value that follows the first `marker` at or after `from`. */
function siteAfter(text: string, marker: string, from: number): { offset: number; value: string } {
  const at = text.indexOf(marker, from);
  if (at < 0) throw new Error(`The 30 KB profile has no ${marker}`);
  const offset = at + marker.length;
  return { offset, value: text.slice(offset, text.indexOf('<', offset)) };
}

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
