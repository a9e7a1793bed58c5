/**
 * Hook tests on the wire: the request that runs a spec's tests through the server, its answer,
 * and the hooks' output as it comes. The CLI's --json prints the same results.
 */

/** Where something is written in a spec, 1-based. */
export interface SpecPlace {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface HookTestFailure extends SpecPlace {
  readonly message: string;
  readonly expected: string;
  readonly actual: string;
  /** The recorded commands, output or state lines the expectation was checked against. */
  readonly context: readonly string[];
}

export type HookTestStatus = 'passed' | 'failed' | 'error' | 'cancelled';

/** One test instance's result; its place is the test's name (or its matrix row). */
export interface HookTestResult extends SpecPlace {
  /** "name", or "name [row]" for a row of a matrix. */
  readonly name: string;
  /** The test's own name. */
  readonly test: string;
  readonly status: HookTestStatus;
  readonly durationMs: number;
  /** Why it could not run (status error). */
  readonly error?: string;
  readonly failures: readonly HookTestFailure[];
  readonly stdout: string;
  readonly stderr: string;
}

export interface SpecError extends SpecPlace {
  readonly code: string;
  readonly message: string;
}

/** serverCommands.runHookTests's argument. */
export interface HookTestRunParams {
  /** The spec file (file: URI). */
  readonly uri: string;
  /** The tests (their own names) to run; all when absent. */
  readonly tests?: readonly string[];
  /** Echoed in each HookTestOutput. */
  readonly id?: string;
}

export interface HookTestRun {
  readonly results: readonly HookTestResult[];
  readonly specErrors: readonly SpecError[];
}

/** Server → client while tests run: a hook's output. */
export interface HookTestOutput {
  readonly id?: string;
  /** The instance's name, as in its result. */
  readonly test: string;
  readonly label: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

/** serverCommands.listHookTests's answer: the tests of a spec (those its errors leave runnable). */
export interface HookTestList {
  readonly tests: readonly (SpecPlace & { readonly name: string; readonly instances: readonly string[] })[];
  readonly specErrors: readonly SpecError[];
}
