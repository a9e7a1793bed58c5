import * as fs from 'node:fs';
import * as path from 'node:path';
import { RelatedPlace } from '../diagnostics';
import { ConfigContext, LocatedFile } from '../families/family';
import { readRegularFileSync } from '../files/readFile';
import { decode } from '../text/decode';
import { LineIndex } from '../text/lineIndex';
import { defaultProfileLintOptions, lintProfile } from '../profile/lint';
import { withoutTrailingSlashes } from '../text/runs';

export interface ConfigPlaces {
  /** The workspace folders (the CLI: its working folder). */
  readonly roots: readonly string[];
  /** hooksmith.hooks.serverPaths: folder on the server → workspace folder (relative to the first root). */
  readonly serverPaths: Readonly<Record<string, string>>;
}

/**
 * Where a simulation looks for a config's scripts: the request's workspace folders (the language server's), else the
 * runner's working folder (the CLI's).
 */
export function requestPlaces(req: {
  readonly roots?: readonly string[];
  readonly serverPaths?: ConfigPlaces['serverPaths'];
}): ConfigPlaces {
  return { roots: req.roots?.length ? req.roots : [process.cwd()], serverPaths: req.serverPaths ?? {} };
}

const maxProfileBytes = 10 * 1024 * 1024;
const maxRelated = 20;

/** What a config document's rules may ask: where a server path is in the workspace, a profile's problems. */
export function configContext(file: string, places: ConfigPlaces): ConfigContext {
  const config = path.resolve(file);
  // Once per path: a config that names the same path on many lines (or a generated one) costs one lookup.
  const located = new Map<string, LocatedFile | undefined>();
  return {
    file: config,
    locate: (serverPath) => {
      if (!located.has(serverPath))
        located.set(
          serverPath,
          candidates(serverPath, config, places)
            .map((c) => found(c.file, c.how))
            .find((f) => f !== undefined),
        );
      return located.get(serverPath);
    },
    lookedFor: (serverPath) =>
      candidates(serverPath, config, places)
        .map((c) => shown(c.file, places.roots))
        .join(', '),
    profileProblems,
  };
}

type Candidate = { readonly file: string; readonly how: LocatedFile['how'] };

/**
 * Where a path the server reads may be in the workspace, in order: through a mapping of
 * hooksmith.hooks.serverPaths; the path itself when it lies in a workspace folder, or the same
 * path under a workspace folder (a repository mirroring /etc); its base name beside the config.
 * A relative path is the server's relative to the config's folder.
 */
function candidates(serverPath: string, config: string, places: ConfigPlaces): Candidate[] {
  const dir = path.dirname(config);
  if (!serverPath || serverPath.includes('\0')) return [];
  if (!path.posix.isAbsolute(serverPath)) return [{ file: path.resolve(dir, serverPath), how: 'beside' }];
  const out: Candidate[] = [];
  const root = places.roots[0] ?? dir;
  for (const [server, local] of Object.entries(places.serverPaths)) {
    const prefix = withoutTrailingSlashes(server);
    if (prefix && serverPath.startsWith(`${prefix}/`))
      out.push({ file: path.join(path.resolve(root, local), serverPath.slice(prefix.length + 1)), how: 'mapping' });
  }
  for (const r of places.roots) {
    if (inside(serverPath, r)) out.push({ file: serverPath, how: 'path' });
    out.push({ file: path.join(r, serverPath), how: 'path' });
  }
  out.push({ file: path.join(dir, path.posix.basename(serverPath)), how: 'beside' });
  return out;
}

function found(file: string, how: LocatedFile['how']): LocatedFile | undefined {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? { file, how, mode: stat.mode & 0o7777 } : undefined;
  } catch {
    return undefined;
  }
}

function inside(file: string, dir: string): boolean {
  return file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

function shown(file: string, roots: readonly string[]): string {
  const root = roots.find((r) => inside(file, r));
  return root ? path.relative(root, file) : file;
}

/** The profile validator's findings on a file, as places in it (at most 20 of them); undefined when it cannot be read. */
function profileProblems(file: string): ReturnType<ConfigContext['profileProblems']> {
  const read = readRegularFileSync(file, maxProfileBytes);
  if (read.kind !== 'read') return undefined;
  const text = decode(read.bytes);
  const findings = lintProfile(text, defaultProfileLintOptions);
  const lines = new LineIndex(text);
  const places = findings.slice(0, maxRelated).map((f): RelatedPlace => {
    const start = lines.positionAt(f.start);
    const end = lines.positionAt(f.end);
    return {
      file,
      line: start.line,
      character: start.character,
      endLine: end.line,
      endCharacter: end.character,
      message: `${f.code}: ${f.message}`,
    };
  });
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    places,
  };
}
