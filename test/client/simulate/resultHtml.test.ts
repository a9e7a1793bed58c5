import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { fitLabel, maxLabelChars, resultHtml, statusHtml } from '../../../client/src/simulate/resultHtml';
import { simulationSandbox } from '../../server/simulate/support';
import { anyConnectReport, shorewallReport, shorewallRun } from './reports';

const box = simulationSandbox();
const nonce = 'n0nce';
const allowedTags = new Set([
  'doctype',
  'html',
  'head',
  'meta',
  'title',
  'body',
  'header',
  'section',
  'article',
  'h1',
  'h2',
  'h3',
  'p',
  'ul',
  'ol',
  'li',
  'span',
  'code',
  'pre',
  'details',
  'summary',
  'table',
  'tr',
  'th',
  'td',
  'svg',
  'text',
  'line',
  'rect',
]);

/** The page's markup outside the one style element: what the webview parses as elements. */
function markup(html: string): string {
  return html.replace(/<style nonce="n0nce">[\s\S]*?<\/style>/, '');
}

suite('resultHtml: the result view a person reads at a glance', () => {
  test('hostile strings from a real hook (stdout, stderr, argv, its file name) are shown as text, never as markup', async () => {
    const hostile = '<script>alert(1)</script>';
    const connect = box.hook('OnConnect_<i>"x".sh', [
      '#!/bin/sh',
      `echo '${hostile}'`,
      `echo '<img src=x onerror=alert(2)>' >&2`,
      `ip route add '<b>10.0.0.0/8</b>' dev "tun0 & <u>"`,
    ]);
    const report = await anyConnectReport([{ event: 'connect', script: connect, gapMs: 0 }], false, box.track);
    assert.deepEqual(
      report.runs[0].commands.map((c) => c.argv),
      [['ip', 'route', 'add', '<b>10.0.0.0/8</b>', 'dev', 'tun0 & <u>']],
      'the shim recorded the call',
    );
    const page = markup(resultHtml(report, { nonce }));
    for (const tag of ['<script', '<img', '<b>', '<u>', '<i>']) assert.ok(!page.includes(tag), `${tag} reached the page as markup`);
    assert.ok(page.includes('&#60;script&#62;alert(1)&#60;/script&#62;'), 'stdout is shown, escaped');
    assert.ok(page.includes('&#60;img src=x onerror=alert(2)&#62;'), 'stderr is shown, escaped');
    assert.ok(
      page.includes('ip route add &#39;&#60;b&#62;10.0.0.0/8&#60;/b&#62;&#39; dev &#39;tun0 &#38; &#60;u&#62;&#39;'),
      'the command line, quoted and escaped',
    );
    assert.ok(page.includes('OnConnect_&#60;i&#62;&#34;x&#34;.sh'), 'the file name, escaped');
  });

  test("strict CSP: nothing but the page's own style element, by nonce; no script, no remote content", async () => {
    const report = shorewallReport([
      shorewallRun('start', {
        stdout: '</style><script>x()</script>',
        warnings: ['"><link href=https://evil.example/x.css rel=stylesheet>'],
      }),
    ]);
    const html = resultHtml(report, { nonce });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.equal(csp, "default-src 'none'; style-src 'nonce-n0nce';");
    assert.equal((html.match(/<style/g) ?? []).length, 1, 'one style element');
    const tags = markup(html).match(/<[a-zA-Z!][^>]*>/g) ?? [];
    const names = new Set(tags.map((t) => /^<!?([a-zA-Z][a-zA-Z0-9]*)/.exec(t)?.[1].toLowerCase()));
    assert.deepEqual(
      [...names].filter((n) => !allowedTags.has(n ?? '')),
      [],
      'only plain text elements and SVG shapes',
    );
    assert.deepEqual(
      tags.filter((t) => /\s(src|href|on\w+|style)=/i.test(t)),
      [],
      'no source, link, handler or inline style attribute',
    );
  });

  test("each command that would have run is listed, with the hook's exit code and where its script came from", async () => {
    const connect = box.hook('OnConnect_routes.sh', [
      '#!/bin/sh',
      'ip route add 192.168.100.0/24 via 10.0.0.1 dev tun0',
      'logger "VPN: added static routes"',
      'exit 3',
    ]);
    const report = await anyConnectReport([{ event: 'connect', script: connect, gapMs: 0 }], false, box.track);
    const page = markup(resultHtml(report, { nonce }));
    assert.match(
      page,
      new RegExp(
        String.raw`<li><code>ip route add 192\.168\.100\.0\/24 via 10\.0\.0\.1 dev ` +
          String.raw`tun0<\/code><\/li><li><code>logger &#39;VPN: added static routes&#39;<\/code><\/li>`,
      ),
    );
    assert.match(page, /Would run \(2 commands, recorded by the dry-run shims\)/);
    assert.match(page, /<span class="badge failed">exit 3<\/span> connect — OnConnect_routes\.sh/);
    assert.match(page, /Chosen by: the step names .*OnConnect_routes\.sh/);
    assert.match(page, /<header class="banner dry">\s*<h1>Dry run with the shims only: calls that bypass them would run for real<\/h1>/);
    assert.match(page, /Dry run not ok: 1 run, 1 not ok \(connect: exit 3\); 2 commands would have run\./);
  });

  test('signals sent by TerminateScriptOnNextEvent are shown with their times, in the card and on the timeline', async () => {
    const connect = box.hook('OnConnect_stubborn.sh', ['#!/bin/sh', "trap '' TERM", 'echo waiting', 'sleep 60']);
    const disconnect = box.hook('OnDisconnect_quick.sh', ['#!/bin/sh', 'echo bye']);
    const report = await anyConnectReport(
      [
        { event: 'connect', script: connect, gapMs: 0 },
        { event: 'disconnect', script: disconnect, gapMs: 150 },
      ],
      true,
      box.track,
    );
    const [term, kill] = report.runs[0].signalsSent;
    const page = markup(resultHtml(report, { nonce }));
    assert.ok(
      page.includes(
        `<li>SIGTERM at ${term.atMs} ms (the next event fired)</li><li>SIGKILL at ${kill.atMs} ms (still running after the grace)</li>`,
      ),
      'both signals, in order, with times',
    );
    assert.match(page, /<span class="badge stopped">terminated by the next event: killed by SIGKILL<\/span>/);
    assert.match(page, /still running at the next event: terminated \(TerminateScriptOnNextEvent\)/);
    const marks = [...page.matchAll(/<line class="signal"[^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]);
    assert.deepEqual(marks, [
      `SIGTERM at ${term.atMs} ms (the next event fired)`,
      `SIGKILL at ${kill.atMs} ms (still running after the grace)`,
    ]);
    assert.equal((page.match(/<line class="fired"/g) ?? []).length, 2, 'a mark where each event fired');
  });

  test('a LIVE run says so first; a hook not run gives the reason; skipped items and notes are listed', () => {
    const report = shorewallReport(
      [
        shorewallRun('init', {
          exitCode: null,
          durationMs: 0,
          notRun: { reason: 'not-executable', message: 'init is not executable: chmod +x init' },
        }),
        shorewallRun('start'),
      ],
      {
        dryRun: false,
        ok: false,
        skipped: [{ label: 'shorewall start: compile', reason: 'compile-time Perl is never run by a simulation' }],
        notes: ['COMMAND=start'],
      },
    );
    const page = markup(resultHtml(report, { nonce }));
    assert.match(page, /<header class="banner live">\s*<h1>LIVE run: the hooks ran for real on this machine<\/h1>/);
    assert.match(page, /<span class="badge not-run">not run<\/span> shorewall start: init — init/);
    assert.match(page, /init is not executable: chmod \+x init/);
    assert.match(page, /<li>shorewall start: compile: compile-time Perl is never run by a simulation<\/li>/);
    assert.match(page, /<li>COMMAND=start<\/li>/);
    assert.ok(!/Would run/.test(page.split('id="run-1"')[0]), 'no "would run" for a hook that did not run');
  });

  test('long timeline labels are cut to the room left of the bars, in the middle; the whole label is their tooltip', () => {
    const long = 'shorewall start: /etc/shorewall/a-very-long-folder-name/for-testing/started-with-a-long-name';
    const report = shorewallReport([shorewallRun('started', { label: long, script: '/etc/shorewall/started' }), shorewallRun('start')]);
    const html = markup(resultHtml(report, { nonce }));
    const labels = [...html.matchAll(/<text class="label"[^>]*><title>([^<]*)<\/title>([^<]*)<\/text>/g)].map((m) => ({
      title: m[1],
      shown: m[2],
    }));
    assert.equal(labels.length, 2);
    assert.ok(labels[0].shown.length <= maxLabelChars, `${labels[0].shown.length} characters shown`);
    assert.match(labels[0].shown, /^shorewall start….*-name \(started\)$/);
    assert.equal(labels[0].title, `${long} (started)`);
    assert.equal(labels[1].shown, 'shorewall start: start (start)', 'a short label is shown whole');
    assert.equal(fitLabel('x'.repeat(maxLabelChars)), 'x'.repeat(maxLabelChars));
  });

  test('while a run is in progress the view shows that it is running, not a previous result', () => {
    const html = statusHtml('Simulation: connect', 'running', 'The hooks are running.', { nonce });
    assert.match(markup(html), /<header class="banner running" role="status">\s*<h1>Running: Simulation: connect<\/h1>/);
    assert.doesNotMatch(markup(html), /class="run |Timeline/);
    assert.match(statusHtml('Simulation: connect', 'ended', 'Cancelled before a result.', { nonce }), /Cancelled before a result\./);
  });
});

suite('resultHtml: the sandbox', () => {
  test('the diff per run: added lines green, removed red; the banner and summary say the sandbox and count the bypassing calls', () => {
    const up = shorewallRun('start', {
      notIntercepted: [{ command: '/sbin/ip', line: 2, text: '/sbin/ip route add 10.1.0.0/16 dev eth0', why: 'by its path' }],
      state: {
        before: {},
        after: {},
        diff: [
          { kind: 'routes', change: 'added', item: '10.1.0.0/16 dev eth0' },
          { kind: 'files', change: 'added', item: 'created /etc/<x>' },
        ],
      },
    });
    const down = shorewallRun('stop', {
      state: { before: {}, after: {}, diff: [{ kind: 'routes', change: 'removed', item: '10.1.0.0/16 dev eth0' }] },
    });
    const report = shorewallReport([up, down], {
      isolation: { mode: 'sandbox', tool: 'bwrap', reason: 'bubblewrap (bwrap) is installed' },
    });
    const page = markup(resultHtml(report, { nonce }));
    assert.ok(page.includes('<li class="added"><code>+ routes: 10.1.0.0/16 dev eth0</code></li>'), page);
    assert.ok(page.includes('<li class="added"><code>+ files: created /etc/&#60;x&#62;</code></li>'));
    assert.ok(page.includes('<li class="removed"><code>− routes: 10.1.0.0/16 dev eth0</code></li>'));
    assert.match(page, /<h1>Dry run in a sandbox \(bwrap\): nothing the hooks did reached this machine<\/h1>/);
    assert.match(page, /1 call bypassing the shims \(run inside the sandbox\), 3 state changes in the sandbox/);
  });

  test('each recorded call says whether it ran in the sandbox and its exit status, or why it was only recorded', () => {
    const run = shorewallRun('start', {
      commands: [
        { argv: ['run_iptables', '-A', 'INPUT', '-j', 'DROP'], sandbox: { ran: true, exitCode: 1 } },
        { argv: ['logger', 'up'], sandbox: { ran: false, why: "it would write to this machine's system log" } },
      ],
      state: { before: {}, after: {}, diff: [] },
    });
    const page = markup(resultHtml(shorewallReport([run], { isolation: { mode: 'sandbox', tool: 'bwrap', reason: 'x' } }), { nonce }));
    assert.match(page, /<h3>Commands \(2 commands, recorded by the shims; the network tools ran in the sandbox\)<\/h3>/);
    assert.ok(page.includes('<li class="ran"><code>run_iptables -A INPUT -j DROP  (ran in the sandbox: exit 1)</code></li>'), page);
    assert.ok(
      page.includes(
        `<li class="recorded"><code>logger up  (recorded, not run: it would write to this machine&#39;s system log)</code></li>`,
      ),
      page,
    );
  });

  test('shims only: the banner never claims a clean dry run, and the summary counts what the shims cannot intercept', () => {
    const run = shorewallRun('start', { notIntercepted: [{ command: 'ping', line: 3, text: 'ping -c1 192.0.2.1', why: 'no shim' }] });
    const page = markup(
      resultHtml(shorewallReport([run], { isolation: { mode: 'shims', reason: 'isolation "shims" was asked for' } }), { nonce }),
    );
    assert.match(page, /<h1>Dry run with the shims only: calls that bypass them would run for real<\/h1>/);
    assert.match(page, /1 call the shims cannot intercept/);
  });
});
