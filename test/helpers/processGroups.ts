// Process-group checks for tests that run real processes (ShellCheck runs, hook simulations).
import { groupMembers } from '../../server/src/simulate/group';

export { groupMembers };

/**
 * The members of a group still alive after `withinMs`: a SIGKILL is delivered asynchronously, so a
 * process may still look alive for a moment after kill() returns. No event exists for the death
 * of a process we did not spawn (the grandchild), so this is a bounded poll of /proc; it returns as
 * soon as the group is gone, and the bound is long because a loaded machine schedules the dying late.
 */
export async function survivorsOf(pgid: number, withinMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + withinMs;
  let alive = groupMembers(pgid);
  while (alive.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    alive = groupMembers(pgid);
  }
  return alive;
}
