import { Finding, finding } from '../diagnostics';
import { Tree } from '../shell/parser';
import { bypassSites } from './shims';

/**
 * HS470, from the same analysis that refuses a hook in a shims-only dry run: each way around the
 * shims (a path, a wrapper by path or busybox, a computed name, eval, sh -c, an interpreter,
 * find -exec, command -p, env -i, a PATH change). Not the commands that merely have no shim: a
 * correct hook calls ping (isusable) or modprobe (start), and the sandbox is the answer for those.
 */
export function dryRunBypassFindings(tree: Tree): Finding[] {
  const marked = new Set<string>();
  return bypassSites(tree).flatMap((site) => {
    const key = `${site.startIndex}:${site.endIndex}`;
    if (site.kind !== 'bypass' || marked.has(key)) return [];
    marked.add(key);
    return [
      finding(
        'HS470',
        site.startIndex,
        site.endIndex,
        `${site.why} In a dry run with the shims alone (no sandbox) this hook is refused, or, if allowed, this call ` +
          `runs for real on this machine; in the sandbox it runs inside throwaway namespaces and changes nothing here.`,
      ),
    ];
  });
}
