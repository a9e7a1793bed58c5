import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';

// The set-up scripts' apt-get, against a private local repository (no network) whose lists lock
// another process holds, as a second apt run does.
const root = path.resolve(__dirname, '../../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-apt-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

type AptGet = (args: string[], o: { waitSeconds: number; pollMs: number; options: string[]; onWait?: (waits: number) => void }) => number;

function privateApt(): string[] {
  for (const dir of ['repo', 'lists/partial', 'cache/archives/partial']) fs.mkdirSync(path.join(work, dir), { recursive: true });
  fs.writeFileSync(path.join(work, 'repo/Packages'), '');
  fs.writeFileSync(path.join(work, 'sources.list'), `deb [trusted=yes] file:${path.join(work, 'repo')} ./\n`);
  return [
    '-q',
    '-o',
    `Dir::State::Lists=${path.join(work, 'lists')}`,
    '-o',
    `Dir::Cache=${path.join(work, 'cache')}`,
    '-o',
    `Dir::Etc::sourcelist=${path.join(work, 'sources.list')}`,
    '-o',
    `Dir::Etc::sourceparts=${path.join(work, 'repo')}`,
  ];
}

/** Holds apt's lists lock (an fcntl write lock, as apt takes it) until the file `go` appears. */
async function holdListsLock(go: string) {
  const script =
    'use Fcntl; open(my $f, ">", $ARGV[0]) or die; my $s = pack("ssx4qqlx4", F_WRLCK, 0, 0, 0, 0); fcntl($f, ' +
    'F_SETLKW, $s) or die "lock: $!"; $| = 1; print "locked\\n"; select(undef, undef, undef, 0.05) until -e $ARGV[1];';
  const holder = spawn('perl', ['-e', script, path.join(work, 'lists/lock'), go], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    holder.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  return holder;
}

test('apt-get waits for another apt run to let go of its lock, then runs (without waiting, it fails as before)', async () => {
  const { aptGet } = (await import(pathToFileURL(path.join(root, 'scripts/apt.mjs')).href)) as { aptGet: AptGet };
  const options = privateApt();
  const go = path.join(work, 'go');
  const holder = await holdListsLock(go);
  try {
    assert.equal(aptGet(['update'], { waitSeconds: 0, pollMs: 50, options }), 100, 'the lock is held: plain apt-get fails');
    // The holder lets go only once apt-get has found the lock held and waits.
    const waits: number[] = [];
    const onWait = (n: number): void => void (waits.push(n), fs.writeFileSync(go, ''));
    assert.equal(aptGet(['update'], { waitSeconds: 600, pollMs: 100, options, onWait }), 0);
    assert.ok(waits.length >= 1, 'it waited');
    assert.ok(
      fs.readdirSync(path.join(work, 'lists')).some((n) => n.includes('_Packages')),
      'the lists were updated',
    );
  } finally {
    holder.kill();
  }
});
