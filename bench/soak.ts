/**
 * `npm run soak`: one server process (`node dist/server.js --stdio`) through a real LSP client,
 * 10,000 validations, 1,000 simulations and 200 shell parser faults (each followed by a check that
 * needs the fresh parser); its open file descriptors, child processes, zombies, RSS and the
 * simulator's temporary folders sampled before and after. Exit 1 on a leak.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { SimulationReport } from '../server/src/protocol';
import { LspClient } from '../test/helpers/lspClient';
import { formatTable, Row, verdict } from './table';

const validations = Number(process.env.SOAK_VALIDATIONS ?? 10_000);
const simulations = Number(process.env.SOAK_SIMULATIONS ?? 1_000);
const faults = Number(process.env.SOAK_FAULTS ?? 200);
// Deeper than V8's stack lets tree-sitter recurse: a RangeError inside the parser, one HS460, a fresh parser.
const tooDeep = `#!/bin/sh\n<<EOF\n${'if x\n'.repeat(5000)}if a; then $c\n`;
const routeHook = '#!/bin/sh\nip route add 10.9.0.0/16 dev tun0\n';
// The server gets a temp folder of its own, so what it leaves there is told apart from other processes' files.
const serverTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-soak-tmp-'));

interface Sample {
  readonly fds: number;
  readonly rssMB: number;
  readonly children: number;
  readonly zombies: number;
  readonly tempDirs: number;
}

function sample(pid: number): Sample {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  let children = 0;
  let zombies = 0;
  for (const p of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== pid) continue;
      if (state === 'Z') zombies++;
      else children++;
    } catch {
      // gone while we looked
    }
  }
  const tempDirs = fs.readdirSync(serverTmp).length;
  return { fds: fs.readdirSync(`/proc/${pid}/fd`).length, rssMB: rssKB / 1024, children, zombies, tempDirs };
}

function fixture(): { dir: string; profile: string; valid: string; invalid: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-soak-'));
  fs.mkdirSync(path.join(dir, 'script'));
  const valid = '<?xml version="1.0"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  <ClientInitialization>\n    <OnConnectScript>OnConnect_soak.sh</OnConnectScript>\n    <OnDisconnectScript>OnDisconnect_soak.sh</OnDisconnectScript>\n  </ClientInitialization>\n  <ServerList><HostEntry><HostName>Soak</HostName><HostAddress>soak.example.net</HostAddress></HostEntry></ServerList>\n</AnyConnectProfile>\n';
  const invalid = valid.replace('<HostName>Soak</HostName>', '<HostNam>Soak</HostName>');
  const profile = path.join(dir, 'soak.xml');
  fs.writeFileSync(profile, valid);
  fs.writeFileSync(path.join(dir, 'script/OnConnect_soak.sh'), '#!/bin/sh\necho "up $CISCO_VPN_SERVER"\nip route add 10.8.0.0/16 dev tun0\n', { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'script/OnDisconnect_soak.sh'), '#!/bin/sh\ntrap "" TERM\nsleep 5 &\nwait\n', { mode: 0o755 });
  return { dir, profile, valid, invalid };
}

async function main(): Promise<void> {
  const fx = fixture();
  process.env.TMPDIR = serverTmp; // inherited by the server the client spawns
  const client = await LspClient.start(fx.dir);
  client.settings = { shellcheck: { enable: false } }; // the fault phase times Hooksmith's parser, not ShellCheck
  const pid = client.pid;
  const uri = pathToFileURL(fx.profile).href;
  let version = 1;
  let problems = 0;
  try {
    await client.open(uri, fx.valid, version);
    await client.forVersion(uri, version);
    const rss: string[] = [];
    const quarter = (i: number, n: number): void => {
      if (n >= 100 && (i + 1) % (n / 4) === 0) rss.push(sample(pid).rssMB.toFixed(0));
    };
    const validate = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        quarter(i, n);
        const text = i % 2 ? fx.invalid : fx.valid;
        await client.change(uri, ++version, [{ text }]);
        const got = (await client.forVersion(uri, version)).diagnostics.filter((d) => d.severity === 1).length;
        if ((got > 0) !== (text === fx.invalid)) problems++;
      }
    };
    const simulate = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        quarter(i, n);
        // Every 20th run times out (a hook that ignores SIGTERM, with a child): the kill path soaks too.
        const slow = i % 20 === 19;
        const request = slow
          ? { kind: 'anyconnect', events: ['disconnect'], profile: fx.profile, timeoutMs: 50, graceMs: 20 }
          : { kind: 'anyconnect', events: ['connect'], profile: fx.profile };
        const report = (await client.executeCommand('hooksmith.server.simulate', request)) as SimulationReport;
        const run = report.runs[0];
        const expected = slow ? run?.timedOut === true && run.survivors.length === 0 : report.ok && run?.commands.length === 1;
        if (!expected) problems++;
      }
    };
    const hookUri = pathToFileURL(path.join(fx.dir, 'script', 'OnConnect_deep.sh')).href;
    let hookVersion = 1;
    await client.open(hookUri, routeHook, hookVersion, 'shellscript');
    const fault = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        quarter(i, n);
        await client.change(hookUri, ++hookVersion, [{ text: tooDeep }]);
        const deep = (await client.forVersion(hookUri, hookVersion)).diagnostics;
        if (!(deep.length === 1 && /nests deeper/.test(String(deep[0].message)))) problems++;
        await client.change(hookUri, ++hookVersion, [{ text: routeHook }]);
        const next = (await client.forVersion(hookUri, hookVersion)).diagnostics;
        if (next.map((d) => d.code).join() !== 'HS452') problems++; // the content rules ran: the fresh parser works
      }
    };
    await validate(200);
    await simulate(20);
    await fault(5);
    rss.length = 0;
    const before = sample(pid);
    const t0 = performance.now();
    await validate(validations);
    const validateS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await simulate(simulations);
    const simulateS = (performance.now() - t1) / 1000;
    const t2 = performance.now();
    await fault(faults);
    const faultS = (performance.now() - t2) / 1000;
    const after = sample(pid);
    report(before, after, { validateS, simulateS, faultS, problems, alive: client.alive });
    console.log(`\nRSS (MB) at each quarter of the validations, of the simulations, then of the faults: ${rss.join(', ')}`);
    const leaked = after.fds > before.fds + 2 || after.children > 0 || after.zombies > 0 || after.tempDirs > before.tempDirs || problems > 0 || !client.alive;
    process.exitCode = leaked ? 1 : 0;
  } finally {
    await client.stop();
    fs.rmSync(fx.dir, { recursive: true, force: true });
    fs.rmSync(serverTmp, { recursive: true, force: true });
  }
}

function report(before: Sample, after: Sample, run: { validateS: number; simulateS: number; faultS: number; problems: number; alive: boolean }): void {
  const row = (what: string, b: number, a: number, goal: string, met: boolean, digits = 0): Row => ({
    what, value: `${b.toFixed(digits)} → ${a.toFixed(digits)}`, goal, result: verdict(met),
  });
  console.log(
    `Soak: ${validations} validations in ${run.validateS.toFixed(1)} s, ${simulations} simulations in ${run.simulateS.toFixed(1)} s, ` +
      `${faults} parser faults, each with a check by the fresh parser, in ${run.faultS.toFixed(1)} s (${((run.faultS * 1000) / Math.max(1, faults)).toFixed(0)} ms per pair); one server process\n`,
  );
  console.log(formatTable([
    row('open file descriptors (before → after)', before.fds, after.fds, 'no growth (±2)', after.fds <= before.fds + 2),
    row('child processes', before.children, after.children, '0 after', after.children === 0),
    row('zombie children', before.zombies, after.zombies, '0 after', after.zombies === 0),
    row('RSS, MB', before.rssMB, after.rssMB, 'reported', true, 1),
    row('entries in the server\'s temp folder', before.tempDirs, after.tempDirs, 'no growth', after.tempDirs <= before.tempDirs),
    { what: 'wrong results (diagnostics or reports)', value: String(run.problems), goal: '0', result: verdict(run.problems === 0) },
    { what: 'server alive at the end', value: String(run.alive), goal: 'true', result: verdict(run.alive) },
  ]));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
