/**
 * `npm run soak`: one server process (`node dist/server.js --stdio`) through a real LSP client,
 * 10,000 validations, 1,000 simulations, 200 shell parser faults (each followed by a check that
 * needs the fresh parser) and 200 rounds in a hostile corner of the workspace (FIFOs and links to
 * /dev/zero with hook names, a simulated FIFO, brace bombs in hooks.families, each request with a
 * deadline); its open file descriptors, child processes, zombies, RSS and the simulator's
 * temporary folders sampled before and after, its RSS every 50 simulations. Exit 1 on a leak, a hung request or RSS growth
 * (over the simulations, per 1,000 over the later half: the warm-up before it is paid once).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { SimulationReport } from '../server/src/protocol';
import { LspClient } from '../test/helpers/lspClient';
import { laterGrowthPer1000 } from './stats';
import { formatTable, Row, verdict } from './table';

const validations = Number(process.env.SOAK_VALIDATIONS ?? 10_000);
const simulations = Number(process.env.SOAK_SIMULATIONS ?? 1_000);
const faults = Number(process.env.SOAK_FAULTS ?? 200);
const hostileRounds = Number(process.env.SOAK_HOSTILE ?? 200);
/** How much the server may grow over the hostile rounds (a read of /dev/zero would be gigabytes). */
const hostileRssGrowthMB = 150;
/** How much the server may grow per 1,000 simulations once warm (see laterGrowthPer1000): a leak of 10 KB a run. */
const simulationRssGrowthMB = 10;
// Deeper than V8's stack lets tree-sitter recurse: a RangeError inside the parser, one HS460, a fresh parser.
const tooDeep = `#!/bin/sh\n<<EOF\n${'if x\n'.repeat(5000)}if a; then $c\n`;
const routeHook = '#!/bin/sh\nip route add 10.9.0.0/16 dev tun0\n';
// The server gets a temp folder of its own, so what it leaves there is told apart from other processes' files.
const serverTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-soak-tmp-'));

interface Sample {
  readonly fds: number;
  readonly rssMB: number;
  readonly children: number;
  /** The children's names (a spare sandbox's holder tool, the temp-folder janitor's sh, or what was left). */
  readonly childNames: string[];
  readonly zombies: number;
  readonly tempDirs: number;
}

function sample(pid: number): Sample {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  let children = 0;
  const childNames: string[] = [];
  let zombies = 0;
  for (const p of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== pid) continue;
      if (state === 'Z') zombies++;
      else {
        children++;
        childNames.push(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
      }
    } catch {
      // gone while we looked
    }
  }
  const tempDirs = fs.readdirSync(serverTmp).length;
  return { fds: ownFds(pid), rssMB: rssKB / 1024, children, childNames, zombies, tempDirs };
}

/**
 * The server's open fds but the shims' pooled record channels (FIFOs made ahead in batches of 32 and taken one per
 * simulation: a bounded cache whose size at any moment says nothing of a leak).
 */
function ownFds(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return !/\/hooksmith-shims-[^/]+\/log\/\d+\/channel$/.test(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      return false; // closed meanwhile
    }
  }).length;
}

/**
 * The server once it has settled: a sandbox disposed as its report went out is a zombie until the server reaps it, and
 * the spare that follows starts a moment later. Sampled again (up to 5 s) while there is a zombie; one that stays is a leak.
 */
async function settled(pid: number): Promise<Sample> {
  let now = sample(pid);
  for (let waited = 0; now.zombies > 0 && waited < 5000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    now = sample(pid);
  }
  return now;
}

function fixture(): { dir: string; profile: string; valid: string; invalid: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-soak-'));
  fs.mkdirSync(path.join(dir, 'script'));
  const valid =
    '<?xml version="1.0"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ' +
    '<ClientInitialization>\n    <OnConnectScript>OnConnect_soak.sh</OnConnectScript>\n    ' +
    '<OnDisconnectScript>OnDisconnect_soak.sh</OnDisconnectScript>\n  </ClientInitialization>\n  ' +
    '<ServerList><HostEntry><HostName>Soak</HostName><HostAddress>soak.example.net</HostAddress></HostEntry>' +
    '</ServerList>\n</AnyConnectProfile>\n';
  const invalid = valid.replace('<HostName>Soak</HostName>', '<HostNam>Soak</HostName>');
  const profile = path.join(dir, 'soak.xml');
  fs.writeFileSync(profile, valid);
  fs.writeFileSync(
    path.join(dir, 'script/OnConnect_soak.sh'),
    '#!/bin/sh\necho "up $CISCO_VPN_SERVER"\nip route add 10.8.0.0/16 dev tun0\n',
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(dir, 'script/OnDisconnect_soak.sh'), '#!/bin/sh\ntrap "" TERM\nsleep 5 &\nwait\n', { mode: 0o755 });
  hostileCorner(path.join(dir, 'hostile'));
  return { dir, profile, valid, invalid };
}

/** What a hostile repository can hold: hook names on FIFOs and on links to /dev/zero and to a FIFO. */
function hostileCorner(dir: string): void {
  fs.mkdirSync(dir);
  for (const name of ['OnConnect_fifo.sh', 'pipe']) {
    if (spawnSync('mkfifo', ['-m', '755', path.join(dir, name)], { timeout: 5000 }).status !== 0) throw new Error('mkfifo failed');
  }
  fs.symlinkSync('/dev/zero', path.join(dir, 'OnDisconnect_zero.sh'));
  fs.symlinkSync(path.join(dir, 'pipe'), path.join(dir, 'OnConnect_linked.sh'));
}

/** A request that does not answer in time is a hung server: this rejects instead of waiting with it. */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
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
    // The server's RSS every 50 simulations (no GC can be forced in it): flat once warm is judged as the sandbox soak's is.
    const simulationRss: { run: number; value: number }[] = [];
    const quarter = (i: number, n: number): void => {
      if (n >= 100 && (i + 1) % (n / 4) === 0) rss.push(sample(pid).rssMB.toFixed(0));
    };
    const validate = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        quarter(i, n);
        const text = i % 2 ? fx.invalid : fx.valid;
        await client.change(uri, ++version, [{ text }]);
        const got = (await client.forVersion(uri, version)).diagnostics.filter((d) => d.severity === 1).length;
        if (got > 0 !== (text === fx.invalid)) problems++;
      }
    };
    const simulate = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        quarter(i, n);
        if (i % 50 === 0) simulationRss.push({ run: i, value: sample(pid).rssMB });
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
    const hostileUri = pathToFileURL(path.join(fx.dir, 'hostile', 'OnConnect_routes.sh')).href;
    let hostileVersion = 1;
    await client.open(hostileUri, routeHook, hostileVersion, 'shellscript');
    const bombs = { ['{a,b}'.repeat(25)]: 'shorewall', [`**/${'{x,y}'.repeat(20)}`]: 'anyconnect' };
    let hung = 0;
    const hostile = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        quarter(i, n);
        try {
          // The OnDisconnect sibling is /dev/zero: HS452 (nothing undoes the route), nothing read from it.
          await client.change(hostileUri, ++hostileVersion, [{ text: `${routeHook}# round ${i}\n` }]);
          const codes = (await within(10_000, 'validation', client.forVersion(hostileUri, hostileVersion))).diagnostics.map((d) => d.code);
          if (!codes.includes('HS452')) problems++;
          const report = (await within(
            10_000,
            'simulation',
            client.executeCommand('hooksmith.server.simulate', {
              kind: 'anyconnect',
              events: ['connect'],
              script: path.join(fx.dir, 'hostile', i % 2 ? 'OnConnect_fifo.sh' : 'OnConnect_linked.sh'),
              timeoutMs: 5000,
            }),
          )) as SimulationReport;
          if (report.runs[0]?.notRun?.reason !== 'not-regular') problems++;
          if (i % 10 === 0) {
            // Brace bombs on, then off: each change rescans the workspace, special files included.
            client.settings = { shellcheck: { enable: false }, hooks: { families: i % 20 === 0 ? bombs : {} } };
            await client.configurationChanged();
          }
        } catch {
          hung++;
        }
      }
    };
    await validate(200);
    await simulate(20);
    await fault(5);
    await hostile(10);
    rss.length = 0;
    simulationRss.length = 0;
    const before = await settled(pid);
    const t0 = performance.now();
    await validate(validations);
    const validateS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await simulate(simulations);
    const simulateS = (performance.now() - t1) / 1000;
    simulationRss.push({ run: simulations, value: sample(pid).rssMB });
    // Judged from 1,000 simulations on: a shorter run's later half is still the server's warm-up for the sandbox path.
    const judged = simulations >= 1000;
    const simulationGrowth = simulationRss.length >= 4 ? laterGrowthPer1000(simulationRss) : 0;
    const t2 = performance.now();
    await fault(faults);
    const faultS = (performance.now() - t2) / 1000;
    const beforeHostile = sample(pid).rssMB;
    const t3 = performance.now();
    await hostile(hostileRounds);
    const hostileS = (performance.now() - t3) / 1000;
    const after = await settled(pid);
    const hostileGrowth = after.rssMB - beforeHostile;
    report(before, after, { validateS, simulateS, faultS, problems, alive: client.alive });
    console.log(
      formatTable([
        {
          what: `hostile rounds (${hostileRounds} in ${hostileS.toFixed(1)} s): requests without an answer in 10 s`,
          value: String(hung),
          goal: '0',
          result: verdict(hung === 0),
        },
        {
          what: `simulations: the server's RSS growth per 1,000 over the later half (sampled every 50 of ${simulations})`,
          value: `${simulationGrowth >= 0 ? '+' : ''}${simulationGrowth.toFixed(1)} MB`,
          goal: `≤ ${simulationRssGrowthMB} MB per 1,000${judged ? '' : ' (judged from 1,000 simulations)'}`,
          result: judged ? verdict(simulationGrowth <= simulationRssGrowthMB) : '-',
        },
        {
          what: 'hostile rounds: RSS growth, MB',
          value: hostileGrowth.toFixed(1),
          goal: `under ${hostileRssGrowthMB}`,
          result: verdict(hostileGrowth < hostileRssGrowthMB),
        },
      ]),
    );
    console.log(
      `\nRSS (MB) at each quarter of the validations, of the simulations, of the faults, then of the hostile rounds: ${rss.join(', ')}`,
    );
    const leaked =
      after.fds > before.fds + 2 ||
      after.children > before.children ||
      after.zombies > 0 ||
      after.tempDirs > before.tempDirs ||
      problems > 0 ||
      !client.alive ||
      hung > 0 ||
      hostileGrowth >= hostileRssGrowthMB ||
      (judged && simulationGrowth > simulationRssGrowthMB);
    process.exitCode = leaked ? 1 : 0;
  } finally {
    await client.stop();
    fs.rmSync(fx.dir, { recursive: true, force: true });
    fs.rmSync(serverTmp, { recursive: true, force: true });
  }
}

function report(
  before: Sample,
  after: Sample,
  run: { validateS: number; simulateS: number; faultS: number; problems: number; alive: boolean },
): void {
  const row = (what: string, b: number, a: number, goal: string, met: boolean, digits = 0): Row => ({
    what,
    value: `${b.toFixed(digits)} → ${a.toFixed(digits)}`,
    goal,
    result: verdict(met),
  });
  console.log(
    `Soak: ${validations} validations in ${run.validateS.toFixed(1)} s, ${simulations} simulations in ${run.simulateS.toFixed(1)} s, ` +
      `${faults} parser faults, each with a check by the fresh parser, in ${run.faultS.toFixed(1)} s ` +
      `(${((run.faultS * 1000) / Math.max(1, faults)).toFixed(0)} ms per pair); one server process\n`,
  );
  console.log(
    formatTable([
      row(
        'open file descriptors but pooled record channels (before → after)',
        before.fds,
        after.fds,
        'no growth (±2)',
        after.fds <= before.fds + 2,
      ),
      {
        what: 'child processes (a spare sandbox and the temp-folder janitor are kept on purpose)',
        value: `${before.children} (${before.childNames.join(', ')}) → ${after.children} (${after.childNames.join(', ')})`,
        goal: 'no growth',
        result: verdict(after.children <= before.children),
      },
      row('zombie children, once settled (5 s at most)', before.zombies, after.zombies, '0 after', after.zombies === 0),
      row('RSS, MB', before.rssMB, after.rssMB, 'reported', true, 1),
      row("entries in the server's temp folder", before.tempDirs, after.tempDirs, 'no growth', after.tempDirs <= before.tempDirs),
      { what: 'wrong results (diagnostics or reports)', value: String(run.problems), goal: '0', result: verdict(run.problems === 0) },
      { what: 'server alive at the end', value: String(run.alive), goal: 'true', result: verdict(run.alive) },
    ]),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
