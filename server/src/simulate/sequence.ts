import type { AtNextEvent } from '../protocol';
import { runHook, RunOptions, RunResult, RunStep } from './run';
import { createShims } from './shims';

export interface SequenceStep extends RunStep {
  /** Milliseconds after the previous event fired (ignored for the first). */
  readonly gapMs: number;
}

export type { AtNextEvent };

export interface SequenceRun extends RunResult {
  /** When the event fired and when its hook started, in ms after the sequence began (they differ when a previous hook was waited for). */
  readonly firedAtMs: number;
  readonly startedAtMs: number;
  readonly atNextEvent: AtNextEvent;
}

type PerRun = Pick<RunOptions, 'onStdout' | 'onStderr' | 'onSpawn'>;

interface SequenceOptions extends Omit<RunOptions, 'nextEvent'> {
  /** Callbacks for the run of step `index` (output routed per run). */
  readonly perRun?: (index: number) => PerRun;
}

/**
 * Fires the events at their times. TerminateScriptOnNextEvent true: a hook still running when the
 * next event fires gets SIGTERM to its group, SIGKILL 500 ms later; false: the next hook starts
 * only once it has finished.
 */
export async function runSequence(
  steps: readonly SequenceStep[],
  terminateOnNextEvent: boolean,
  opts: SequenceOptions = {},
): Promise<SequenceRun[]> {
  const shims = opts.live ? undefined : (opts.shims ?? createShims());
  const t0 = Date.now();
  const runs: SequenceRun[] = [];
  let previous: { done: Promise<RunResult>; finished: boolean; abort: AbortController; firedAtMs: number; startedAtMs: number } | undefined;
  let firedAt = 0;
  try {
    for (const [i, step] of steps.entries()) {
      if (i > 0) firedAt += step.gapMs;
      await delay(t0 + firedAt - Date.now(), opts.cancel);
      if (opts.cancel?.aborted) break; // later events never fire: the caller reports them as not run
      let atNext: AtNextEvent = 'already-finished';
      if (previous && !previous.finished) {
        atNext = terminateOnNextEvent ? 'terminated' : 'waited-for';
        if (terminateOnNextEvent) previous.abort.abort();
      }
      if (previous) runs.push(await settle(previous, atNext));
      const abort = new AbortController();
      const startedAtMs = Date.now() - t0;
      const done = runHook(step, { ...opts, ...opts.perRun?.(i), shims, nextEvent: abort.signal });
      const current = { done, finished: false, abort, firedAtMs: firedAt, startedAtMs };
      // Both outcomes: a rejection left without a handler here would end the process (settle() reports it).
      const finished = (): void => void (current.finished = true);
      void done.then(finished, finished);
      previous = current;
    }
    if (previous) runs.push(await settle(previous, 'last-event'));
    return runs;
  } finally {
    if (!opts.shims) shims?.dispose();
  }
}

async function settle(
  run: { done: Promise<RunResult>; firedAtMs: number; startedAtMs: number },
  atNextEvent: AtNextEvent,
): Promise<SequenceRun> {
  const result = await run.done;
  // It may have ended on its own between the event and the signal: the result says what really happened.
  const at = atNextEvent === 'terminated' && !result.terminatedByNextEvent ? 'already-finished' : atNextEvent;
  return { ...result, firedAtMs: run.firedAtMs, startedAtMs: run.startedAtMs, atNextEvent: at };
}

function delay(ms: number, cancel?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    cancel?.addEventListener('abort', done, { once: true });
    if (cancel?.aborted) done();
  });
}
