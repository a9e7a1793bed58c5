/**
 * The result view's page, as a pure function of the report: a banner (dry run or LIVE), a timeline
 * of events, runs and signals, then one card per run. No scripts; the CSP allows only the page's
 * own style element (by nonce), and every string from the report is escaped.
 */
import type { SimulationReport } from '../../../server/src/protocol';
import {
  baseName,
  chosenBy,
  commandLine,
  recordedCall,
  isEventRun,
  outcome,
  outcomeKind,
  plural,
  Run,
  runFacts,
  runTitle,
  signalText,
  summaryLine,
} from './format';

export interface ResultHtmlOptions {
  /** Allows the page's one style element; fresh for every render. */
  readonly nonce: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
const esc = escapeHtml;

export function resultHtml(report: SimulationReport, opts: ResultHtmlOptions): string {
  return page(
    opts,
    `${banner(report)}
${report.runs.length ? timeline(report.runs) : ''}
${report.runs.map(card).join('\n')}
${list(
  'Skipped',
  report.skipped.map((s) => `${s.label}: ${s.reason}`),
  'skipped',
)}
${list('Notes', report.notes, 'notes')}`,
  );
}

/** The page while a run is in progress (or once it ended without a report): never the previous result. */
export function statusHtml(title: string, state: 'running' | 'ended', message: string, opts: ResultHtmlOptions): string {
  return page(
    opts,
    `<header class="banner ${state}" role="status">
<h1>${esc(state === 'running' ? `Running: ${title}` : title)}</h1>
<p class="summary">${esc(message)}</p>
</header>`,
  );
}

function page(opts: ResultHtmlOptions, body: string): string {
  const nonce = esc(opts.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hooksmith simulation</title>
<style nonce="${nonce}">${styles}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function banner(report: SimulationReport): string {
  const heading = !report.dryRun
    ? 'LIVE run: the hooks ran for real on this machine'
    : report.isolation?.mode === 'sandbox'
      ? `Dry run in a sandbox (${report.isolation.tool ?? 'namespaces'}): nothing the hooks did reached this machine`
      : 'Dry run with the shims only: calls that bypass them would run for real';
  const status = report.cancelled ? 'stopped' : report.ok ? 'ok' : 'failed';
  const cancelled = report.cancelled ? ' The simulation was cancelled: its hooks were stopped.' : '';
  return `<header class="banner ${report.dryRun ? 'dry' : 'live'}">
<h1>${esc(heading)}</h1>
<p class="summary ${status}">${esc(summaryLine(report))}${cancelled}</p>
</header>`;
}

function list(title: string, items: readonly string[], cls: string): string {
  if (!items.length) return '';
  return `<section class="${cls}"><h2>${esc(title)}</h2><ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul></section>`;
}

function card(run: Run, index: number): string {
  const kind = outcomeKind(run);
  const why = chosenBy(run);
  return `<article class="run ${kind}" id="run-${index}">
<h2><span class="badge ${kind}">${esc(kind === 'not-run' ? 'not run' : outcome(run))}</span> ${esc(runTitle(run))}</h2>
${run.notRun ? `<p class="notrun">${esc(run.notRun.message)}</p>` : ''}
${why ? `<p class="chosen">Chosen by: ${esc(why)}</p>` : ''}
<p class="path"><code>${esc(run.script)}</code></p>
${items('', runFacts(run), 'facts')}
${items('Signals sent to its process group', run.signalsSent.map(signalText), 'signals')}
${items('Warnings', run.warnings, 'warnings')}
${commands(run)}
${stateDiff(run)}
${notIntercepted(run)}
${output('Output', run.stdout, run.stdoutTruncated)}
${output('Errors (stderr)', run.stderr, run.stderrTruncated)}
${environment(run.env)}
</article>`;
}

function items(title: string, lines: readonly string[], cls: string): string {
  if (!lines.length) return '';
  return `${title ? `<h3>${esc(title)}</h3>` : ''}<ul class="${cls}">${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`;
}

function commands(run: Run): string {
  if (run.notRun) return '';
  if (!run.commands.length)
    return '<h3>Would run</h3><p class="none">No recorded command (ip, iptables, mount, logger, … were not called).</p>';
  if (run.commands.some((c) => c.sandbox)) {
    const ran = run.commands.map((c) => `<li class="${c.sandbox?.ran ? 'ran' : 'recorded'}"><code>${esc(recordedCall(c))}</code></li>`);
    return (
      `<h3>Commands (${esc(plural(run.commands.length, 'command'))}, recorded by the shims; the network tools ran in the ` +
      `sandbox)</h3><ol class="commands">${ran.join('')}</ol>`
    );
  }
  const rows = run.commands.map((c) => `<li><code>${esc(commandLine(c.argv))}</code></li>`).join('');
  return (
    `<h3>Would run (${esc(plural(run.commands.length, 'command'))}, recorded by the dry-run shims)</h3><ol ` +
    `class="commands">${rows}</ol>`
  );
}

/** What the hook changed in the sandbox: added lines green, removed red, by kind. */
function stateDiff(run: Run): string {
  if (!run.state) return '';
  if (!run.state.diff.length)
    return (
      '<h3>State in the sandbox</h3><p class="none">Unchanged: links, addresses, routes, rules, firewall, sysctls and ' +
      'files are as before the hook.</p>'
    );
  const rows = run.state.diff
    .map((c) => `<li class="${c.change}"><code>${c.change === 'added' ? '+' : '−'} ${esc(c.kind)}: ${esc(c.item)}</code></li>`)
    .join('');
  return `<h3>State changes in the sandbox (${esc(plural(run.state.diff.length, 'change'))})</h3><ul class="diff">${rows}</ul>`;
}

function notIntercepted(run: Run): string {
  if (!run.notIntercepted.length) return '';
  if (run.state) {
    const rows = run.notIntercepted.map((c) => `<li>line ${c.line}: <code>${esc(c.text)}</code>: ${esc(c.why)}</li>`).join('');
    return `<h3>Not intercepted by the shims (they ran inside the sandbox; their effect is in the state changes)</h3><ul>${rows}</ul>`;
  }
  const rows = run.notIntercepted.map((c) => `<li>line ${c.line}: <code>${esc(c.text)}</code>: ${esc(c.why)}</li>`).join('');
  return `<h3 class="warn">Not intercepted: these calls run for real even in a dry run</h3><ul class="uncaught">${rows}</ul>`;
}

function output(title: string, text: string, truncated: boolean): string {
  if (!text) return '';
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const note = truncated ? ', cut at the output cap' : '';
  return `<details open><summary>${esc(`${title} (${plural(lines, 'line')}${note})`)}</summary><pre>${esc(text)}</pre></details>`;
}

function environment(env: Readonly<Record<string, string>>): string {
  const names = Object.keys(env).sort();
  if (!names.length) return '';
  const rows = names.map((n) => `<tr><th>${esc(n)}</th><td><code>${esc(env[n])}</code></td></tr>`).join('');
  return `<details><summary>Environment (${esc(plural(names.length, 'variable'))})</summary><table class="env">${rows}</table></details>`;
}

interface Span {
  readonly label: string;
  readonly kind: string;
  readonly firedAt?: number;
  readonly start: number;
  readonly end: number;
  readonly signals: readonly { readonly at: number; readonly text: string }[];
}

/** AnyConnect runs carry their own times; Shorewall's hooks run one after another. */
function spans(runs: readonly Run[]): Span[] {
  let cursor = 0;
  return runs.map((run) => {
    const start = isEventRun(run) ? run.startedAtMs : cursor;
    const end = start + run.durationMs;
    cursor = end;
    return {
      label: `${run.label} (${baseName(run.script)})`,
      kind: outcomeKind(run),
      firedAt: isEventRun(run) ? run.firedAtMs : undefined,
      start,
      end,
      signals: run.signalsSent.map((s) => ({ at: start + s.atMs, text: signalText(s) })),
    };
  });
}

const chart = { left: 230, width: 420, row: 24, top: 8 };

/**
 * Characters of a label that fit left of the bars at 12 px (about 7 px each, with a gap): more are cut in the middle, the whole label in
 * its tooltip.
 */
export const maxLabelChars = Math.floor((chart.left - 12) / 7);

export function fitLabel(label: string): string {
  if (label.length <= maxLabelChars) return label;
  const keep = maxLabelChars - 1;
  const head = Math.ceil(keep / 2);
  return `${label.slice(0, head)}…${label.slice(label.length - (keep - head))}`;
}

function timeline(runs: readonly Run[]): string {
  const all = spans(runs);
  const total = Math.max(1, ...all.flatMap((s) => [s.end, s.firedAt ?? 0, ...s.signals.map((g) => g.at)]));
  const x = (ms: number): number => Math.round(chart.left + (ms / total) * chart.width);
  const rows = all.map((s, i) => {
    const y = chart.top + i * chart.row;
    const fired =
      s.firedAt === undefined
        ? ''
        : `<line class="fired" x1="${x(s.firedAt)}" x2="${x(s.firedAt)}" y1="${y}" ` +
          `y2="${y + chart.row - 6}"><title>${esc(`event fired at ${s.firedAt} ms`)}</title></line>`;
    const bar =
      `<rect class="bar ${s.kind}" x="${x(s.start)}" y="${y + 4}" width="${Math.max(2, x(s.end) - x(s.start))}" ` +
      `height="${chart.row - 14}"><title>${esc(`${s.label}: ${s.start}–${s.end} ms`)}</title></rect>`;
    const signals = s.signals
      .map(
        (g) =>
          `<line class="signal" x1="${x(g.at)}" x2="${x(g.at)}" y1="${y}" y2="${y + chart.row - 6}"><title>${esc(g.text)}</title></line>`,
      )
      .join('');
    return (
      `<text class="label" x="0" ` +
      `y="${y + chart.row - 10}"><title>${esc(s.label)}</title>${esc(fitLabel(s.label))}</text>${fired}${bar}${signals}`
    );
  });
  const axisY = chart.top + all.length * chart.row + 4;
  const height = axisY + 18;
  return `<section class="timeline"><h2>Timeline</h2>
<svg role="img" aria-label="Timeline of the runs"
  viewBox="0 0 ${chart.left + chart.width + 50} ${height}" preserveAspectRatio="xMinYMin meet">
${rows.join('\n')}
<line class="axis" x1="${chart.left}" x2="${chart.left + chart.width}" y1="${axisY}" y2="${axisY}"/>
<text class="tick" x="${chart.left}" y="${axisY + 14}">0 ms</text>
<text class="tick end" x="${chart.left + chart.width}" y="${axisY + 14}">${total} ms</text>
</svg>
<p class="legend"><span class="key fired"></span>event fired
<span class="key bar"></span>hook running <span class="key signal"></span>signal sent</p>
</section>`;
}

const styles = `
body {
  font-family: var(--vscode-font-family, sans-serif); font-size: var(--vscode-font-size, 13px); color: var(--vscode-foreground, #ccc);
  background: var(--vscode-editor-background, #1e1e1e); padding: 0 16px 16px; line-height: 1.4;
}
h1 { font-size: 1.25em; margin: 0 0 4px; }
h2 { font-size: 1.1em; margin: 0 0 6px; }
h3 { font-size: 0.95em; margin: 10px 0 4px; }
code, pre { font-family: var(--vscode-editor-font-family, monospace); font-size: var(--vscode-editor-font-size, 12px); }
pre {
  background: var(--vscode-textCodeBlock-background, rgba(128,128,128,.15)); padding: 6px 8px; white-space: pre-wrap; word-break: break-all;
  margin: 4px 0;
}
ul, ol { margin: 2px 0; padding-left: 22px; }
.banner { padding: 10px 12px; margin: 12px 0; border-left: 6px solid; }
.banner.dry { border-color: var(--vscode-charts-blue, #3794ff); background: rgba(55,148,255,.10); }
.banner.running, .banner.ended { border-color: var(--vscode-disabledForeground, #888); background: rgba(128,128,128,.10); }
.banner.live { border-color: var(--vscode-charts-red, #f14c4c); background: rgba(241,76,76,.16); }
.summary { margin: 0; }
.run { border: 1px solid var(--vscode-panel-border, rgba(128,128,128,.35)); border-left: 6px solid; padding: 8px 12px; margin: 10px 0; }
.run.ok { border-left-color: var(--vscode-testing-iconPassed, #3fb950); }
.run.failed { border-left-color: var(--vscode-testing-iconFailed, #f85149); }
.run.stopped { border-left-color: var(--vscode-charts-orange, #d18616); }
.run.not-run { border-left-color: var(--vscode-disabledForeground, #888); }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: .85em; margin-right: 6px; color: #fff; }
.badge.ok { background: #2e7d32; } .badge.failed { background: #c62828; }
.badge.stopped { background: #b26a00; } .badge.not-run { background: #616161; }
.summary.ok { color: var(--vscode-testing-iconPassed, #3fb950); } .summary.failed { color: var(--vscode-testing-iconFailed, #f85149); }
.summary.stopped { color: var(--vscode-charts-orange, #d18616); }
.chosen, .path, .notrun, .none { margin: 2px 0; }
.path { opacity: .75; }
.warn, .warnings li, .uncaught li { color: var(--vscode-editorWarning-foreground, #cca700); }
.diff { list-style: none; padding-left: 4px; }
.diff .added code { color: var(--vscode-gitDecoration-addedResourceForeground, #3fb950); }
.diff .removed code { color: var(--vscode-gitDecoration-deletedResourceForeground, #f85149); }
.commands code { background: var(--vscode-textCodeBlock-background, rgba(128,128,128,.15)); padding: 1px 4px; }
details { margin: 6px 0; } summary { cursor: pointer; }
.env th { text-align: left; font-weight: normal; padding-right: 12px; opacity: .8; }
svg { width: 100%; max-width: ${chart.left + chart.width + 50}px; height: auto; }
svg text { fill: var(--vscode-foreground, #ccc); font-size: 12px; font-family: var(--vscode-font-family, sans-serif); }
svg text.end { text-anchor: end; }
svg .axis { stroke: var(--vscode-foreground, #ccc); opacity: .4; }
svg .bar.ok { fill: var(--vscode-testing-iconPassed, #3fb950); } svg .bar.failed { fill: var(--vscode-testing-iconFailed, #f85149); }
svg .bar.stopped { fill: var(--vscode-charts-orange, #d18616); } svg .bar.not-run { fill: var(--vscode-disabledForeground, #888); }
svg .fired { stroke: var(--vscode-charts-blue, #3794ff); stroke-width: 2; stroke-dasharray: 3 2; }
svg .signal { stroke: var(--vscode-charts-red, #f14c4c); stroke-width: 3; }
.legend { font-size: .85em; opacity: .85; }
.key { display: inline-block; width: 14px; height: 8px; margin: 0 4px 0 10px; vertical-align: middle; }
.key.fired { border-left: 2px dashed var(--vscode-charts-blue, #3794ff); width: 0; height: 12px; }
.key.bar { background: var(--vscode-testing-iconPassed, #3fb950); }
.key.signal { background: var(--vscode-charts-red, #f14c4c); width: 3px; height: 12px; }
`;
