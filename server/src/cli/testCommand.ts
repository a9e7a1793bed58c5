/** `hooksmith test`: find the specs, report their errors, run their tests, print the report. */
import * as os from 'node:os';
import { collectSpecs } from '../hooktest/collect';
import { resultJson, ResultJson, specErrors } from '../hooktest/results';
import type { SpecError } from '../protocol';
import { runTests, selectInstances } from '../hooktest/run';
import { escapeControls } from './escape';
import type { TestArgs } from './testArgs';
import { formatJunit, formatTestText } from './testReport';

export async function runHookTests(
  args: TestArgs,
  out: (s: string) => void,
  err: (s: string) => void,
  signal?: AbortSignal,
): Promise<number> {
  const started = performance.now();
  const { specs, unreadable } = collectSpecs(args.paths);
  const errors: SpecError[] = specs.flatMap(specErrors);
  const byFile = new Map(specs.map((s) => [s.file, s]));
  const list = specs.flatMap((s) => selectInstances(s.tests, args.filter));
  const jobs = args.jobs ?? os.availableParallelism();
  const results = await runTests(list, { concurrency: jobs, signal });
  const json: ResultJson[] = results.map((r) => resultJson(byFile.get(r.instance.test.file)!, r));
  if (args.json) out(JSON.stringify({ results: json, specErrors: errors }, null, 2) + '\n');
  else if (args.reporter === 'junit')
    out(
      formatJunit(
        json,
        errors,
        specs.map((s) => s.file),
      ),
    );
  else out(formatTestText(json, errors, performance.now() - started, Math.min(jobs, Math.max(1, list.length))));
  for (const u of unreadable) err(`hooksmith: cannot read ${escapeControls(u.path)}: ${escapeControls(u.reason)}\n`);
  if (specs.length === 0 && unreadable.length === 0)
    err(`hooksmith: no spec files (*.hooktest.yaml, hooksmith.test.yaml) in ${args.paths.map(escapeControls).join(', ')}\n`);
  if (args.filter && list.length === 0) err(`hooksmith: no test name contains '${escapeControls(args.filter)}'\n`);
  const bugs = results.filter((r) => r.internal).length;
  if (bugs) err(`hooksmith: internal error in ${bugs} test(s): a bug in Hooksmith, not in the hooks or the spec (see the report above)\n`);
  if (signal?.aborted) return 130;
  if (bugs) return 3; // internal error, as the CLI exits on any bug
  if (errors.length || unreadable.length || specs.length === 0) return 2;
  return json.some((r) => r.status !== 'passed') ? 1 : 0;
}
