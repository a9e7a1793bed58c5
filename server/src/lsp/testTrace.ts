/**
 * TEST-ONLY: a trace of when the server's work on a document has settled, for tests that must
 * show that something was NOT published. Without it such a test can only wait "long enough" and
 * then look, a wait that passes when it is merely too short and passes too when the server died.
 * With it, the test waits for the event that says the work is done, then asserts what came.
 *
 * Off unless the server's environment has HOOKSMITH_TEST_TRACE=1 (test/helpers/lspClient.ts sets
 * it); no editor relies on it, and the notification is not part of Hooksmith's protocol.
 *
 * The rule a test can count on: every didOpen, didChange and didSave of a document, and every
 * hooksmith.server.validate command on it, is answered by exactly one `validated` and one
 * `shellcheckSettled` for its uri, once that work is over (published, dropped, or not wanted).
 */
import type { Outcome } from '../shellcheck/runner';

export const testTraceNotification = 'hooksmith/trace';

/** What became of one validation: published, not wanted (settings), replaced by a newer one, or its document was gone. */
export type ValidationOutcome = 'published' | 'skipped' | 'superseded' | 'closed' | 'failed';

export type TraceEvent =
  | { readonly event: 'validated'; readonly uri: string; readonly version: number; readonly outcome: ValidationOutcome }
  | { readonly event: 'shellcheckSettled'; readonly uri: string; readonly version: number; readonly outcome: Outcome | 'failed' };

export const testTraceVariable = 'HOOKSMITH_TEST_TRACE';

/** The trace function: sends each event when the test-only variable is set, else does nothing. */
export function testTrace(send: (event: TraceEvent) => void, env: NodeJS.ProcessEnv = process.env): (event: TraceEvent) => void {
  return env[testTraceVariable] === '1' ? send : () => undefined;
}
