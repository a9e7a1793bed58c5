import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe as suite, test } from 'node:test';
import { parseGitignore } from '../../../server/src/workspace/ignore';
import { Folder, walkFolders } from '../../../server/src/workspace/walk';
import { costGrowth } from '../../helpers/scaling';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-walk-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** Creates `files` (paths relative to a new folder) and returns the folder. */
function tree(name: string, files: readonly string[]): string {
  const root = path.join(work, name);
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), 'x\n');
  }
  return root;
}

async function visited(
  root: string,
  options?: Parameters<typeof walkFolders>[2],
): Promise<{ folders: Folder[]; result: Awaited<ReturnType<typeof walkFolders>> }> {
  const folders: Folder[] = [];
  const result = await walkFolders(root, (f) => void folders.push(f), options);
  return { folders, result };
}

const relative = (root: string, folders: readonly Folder[]): string[] =>
  folders.map((f) => path.relative(root, f.dir).split(path.sep).join('/'));

suite('workspace walk', () => {
  test('visits every folder once with its sorted file names; skips node_modules, .git and hidden folders', async () => {
    const root = tree('skips', [
      'b.sh',
      'a.txt',
      'src/OnConnect_x.sh',
      'node_modules/pkg/OnConnect_y.sh',
      '.git/hooks/pre-commit',
      '.vscode/settings.json',
      'src/.cache/OnConnect_z.sh',
      '.env',
    ]);
    const { folders, result } = await visited(root);
    assert.deepEqual(relative(root, folders), ['', 'src']);
    assert.deepEqual(folders[0].files, ['.env', 'a.txt', 'b.sh'], 'hidden files are listed: only hidden folders are skipped');
    assert.deepEqual(folders[1].files, ['OnConnect_x.sh']);
    assert.equal(result.truncated, false);
  });

  test('skips the folders a top-level .gitignore names plainly: names anywhere, /name and a/b from the top', async () => {
    const ignored = parseGitignore('# build output\nbuild/\nlogs\n/vendor\n*.log\n!keep\nsrc/generated/\ntmp-*/\n  \n');
    assert.deepEqual([...ignored.anywhere].sort(), ['build', 'logs']);
    assert.deepEqual([...ignored.paths].sort(), ['src/generated', 'vendor']);
    const root = tree('gitignore', [
      'build/OnConnect_a.sh',
      'src/build/OnConnect_b.sh',
      'logs/x',
      'vendor/OnConnect_c.sh',
      'src/vendor/OnConnect_d.sh',
      'src/generated/OnConnect_e.sh',
      'lib/src/generated/OnConnect_f.sh',
      'tmp-1/x',
    ]);
    const { folders } = await visited(root, { ignored });
    assert.deepEqual(
      relative(root, folders),
      ['', 'lib', 'lib/src', 'lib/src/generated', 'src', 'src/vendor', 'tmp-1'],
      'anchored paths only from the top; globs are not read',
    );
    const below = await visited(path.join(root, 'src'), { ignored, ignoreRoot: root });
    assert.deepEqual(relative(root, below.folders), ['src', 'src/vendor'], "a walk that starts below the root keeps the root's paths");
  });

  test('symbolic links to folders are not followed; links to files are listed', async () => {
    const root = tree('links', ['real/OnConnect_a.sh']);
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'loop'));
    fs.symlinkSync(path.join(root, 'real', 'OnConnect_a.sh'), path.join(root, 'OnConnect_link.sh'));
    const { folders } = await visited(root);
    assert.deepEqual(relative(root, folders), ['', 'real']);
    assert.deepEqual(folders[0].files, ['OnConnect_link.sh', 'loop'], 'a link is listed as a name; the walk never enters it');
  });

  test('stops at the entry limit and says so', async () => {
    const root = tree(
      'entries',
      Array.from({ length: 30 }, (_, i) => `d${i % 3}/f${String(i).padStart(2, '0')}`),
    );
    const { folders, result } = await visited(root, { limits: { maxEntries: 10, maxDepth: 32 } });
    assert.equal(result.truncated, true);
    assert.equal(result.entries, 10);
    assert.equal(folders.reduce((n, f) => n + f.files.length, 0) + 3, 10, 'the three folders and seven files: ten entries read in all');
    const all = await visited(root);
    assert.deepEqual([all.result.entries, all.result.truncated], [33, false]);
  });

  test('stops at the depth limit and says so', async () => {
    const root = tree('depth', ['1/2/3/4/5/deep.sh']);
    const { folders, result } = await visited(root, { limits: { maxEntries: 100, maxDepth: 2 } });
    assert.deepEqual(relative(root, folders), ['', '1', '1/2']);
    assert.equal(result.truncated, true);
  });

  test('a missing root is an empty walk, not an error', async () => {
    const { folders, result } = await visited(path.join(work, 'nothing-here'));
    assert.deepEqual([folders.length, result.entries], [1, 0]);
    assert.deepEqual(folders[0].files, []);
  });

  test('other work gets turns while a large tree is walked', async () => {
    const root = tree(
      'large',
      Array.from({ length: 300 }, (_, i) => `d${i}/OnConnect_${i}.sh`),
    );
    let turns = 0;
    let done = false;
    const tick = (): void => {
      if (done) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    await walkFolders(root, () => undefined);
    done = true;
    assert.ok(turns >= 10, `the event loop ran ${turns} times during the walk`);
  });
});

test('a .gitignore line with a long run of slashes costs the same per character at 32 KB as at 2 KB (it was quadratic)', () => {
  const gitignore = (size: number) => `a${'/'.repeat(size)}b\nbuild${'/'.repeat(size)}\n`;
  const ignored = parseGitignore(gitignore(32_000));
  assert.deepEqual([[...ignored.anywhere], [...ignored.paths]], [['build'], []], 'a//b is skipped, build/// names build');
  const growth = costGrowth((size) => parseGitignore(gitignore(size)), 2_000, 32_000, 4_000_000);
  assert.ok(growth < 4, `one character costs ${growth.toFixed(1)} times as much at 32 KB as at 2 KB`);
});
