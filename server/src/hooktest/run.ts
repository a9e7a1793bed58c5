/**
 * Runs hook tests: each instance is one simulation through the one pipeline every face uses (the
 * request check, the family's simulator, runLaunch/runGroup), up to `concurrency` at a time, each
 * in its own process groups (and namespaces, in the sandbox).
 */
import * as os from 'node:os';
import { readSimulateSettings, SimulateSettings, SimulationError, SimulationReport } from '../protocol';
import { checkSimulationRequest, simulateChecked, withFamilyDefaults } from '../simulate/simulate';
import { evaluate, Failure } from './evaluate';
import { familyById } from './families';
import { HookTest, instances, TestInstance } from './spec';

export type TestStatus = 'passed' | 'failed' | 'error' | 'cancelled';

export interface TestResult {
  readonly instance: TestInstance;
  readonly status: TestStatus;
  readonly failures: readonly Failure[];
  /** Why the test could not run (status error). */
  readonly error?: string;
  /** The error was Hooksmith's own (a bug), not the spec's or the hooks'. */
  readonly internal?: boolean;
  readonly durationMs: number;
  readonly report?: SimulationReport;
}

export interface RunOptions {
  /** Simulations at once; default: the cores. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** `hooksmith.simulate.*` as the face has them (the CLI: the defaults). */
  readonly settings?: SimulateSettings;
  /**
   * Where a test's config looks for the scripts it names (the language server's workspace folders); the CLI's
   * working folder when not given.
   */
  readonly places?: { readonly roots: readonly string[]; readonly serverPaths: Readonly<Record<string, string>> };
  readonly onStart?: (instance: TestInstance) => void;
  readonly onOutput?: (instance: TestInstance, label: string, stream: 'stdout' | 'stderr', text: string) => void;
  readonly onResult?: (result: TestResult) => void;
}

/** Every instance of the tests (a matrix's rows), whose names contain `filter` when given. */
export function selectInstances(tests: readonly HookTest[], filter?: string): TestInstance[] {
  return tests.flatMap(instances).filter((i) => !filter || i.name.includes(filter));
}

/** Runs the instances; results in the order given. */
export async function runTests(list: readonly TestInstance[], options: RunOptions = {}): Promise<TestResult[]> {
  const results: TestResult[] = new Array(list.length);
  const width = Math.max(1, Math.min(options.concurrency ?? os.availableParallelism(), list.length));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const i = next++;
      results[i] = await runOne(list[i], options);
      options.onResult?.(results[i]);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

export async function runOne(instance: TestInstance, options: RunOptions): Promise<TestResult> {
  const started = performance.now();
  const done = (r: Omit<TestResult, 'instance' | 'durationMs'>): TestResult => ({
    instance,
    durationMs: Math.round(performance.now() - started),
    ...r,
  });
  if (options.signal?.aborted) return done({ status: 'cancelled', failures: [] });
  options.onStart?.(instance);
  const family = familyById(instance.request.kind);
  try {
    const request = checkSimulationRequest(
      withFamilyDefaults(
        { ...options.places, ...instance.request, kind: String(instance.request.kind) },
        options.settings ?? readSimulateSettings(undefined),
      ),
    );
    const report = await simulateChecked(request, {
      signal: options.signal,
      onOutput: (_run, label, stream, text) => options.onOutput?.(instance, label, stream, text),
    });
    if (report.cancelled) return done({ status: 'cancelled', failures: [], report });
    const failures = evaluate(instance, report, family!);
    return done({ status: failures.length ? 'failed' : 'passed', failures, report });
  } catch (e) {
    if (e instanceof SimulationError) return done({ status: 'error', failures: [], error: e.message });
    // A bug in a simulator ends this test, not the run: the other tests still get their results.
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    return done({
      status: 'error',
      failures: [],
      internal: true,
      error: `Hooksmith failed inside this test (a bug; please report it): ${detail}`,
    });
  }
}
