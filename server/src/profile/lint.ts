import { append } from '../append';
import { Finding, finding } from '../diagnostics';
import { scanXml } from '../xml/scanner';
import { ScriptFolders, checkScriptReferences } from './scripts';
import { validateStreaming } from './stream';
import { Dialect, validateSchema } from './validate';

export interface ProfileLintOptions {
  readonly dialect: Dialect;
  /** Texts longer than this (in UTF-16 units, about bytes for a profile) are not parsed. */
  readonly maxSize: number;
  /** Where referenced scripts must exist; without it, existence is not checked. */
  readonly scriptFolders?: ScriptFolders;
}

export const defaultProfileLintOptions: ProfileLintOptions = { dialect: 'auto', maxSize: 10 * 1024 * 1024 };

/** Everything the validator finds in a profile, sorted by position (the language server's way: it keeps the tree). */
export function lintProfile(text: string, options: ProfileLintOptions = defaultProfileLintOptions): Finding[] {
  return refuseEarly(text, options) ?? byPosition(treeFindings(text, options));
}

/**
 * The same findings as lintProfile, made without a tree when every element is closed (the CLI's
 * way: a large profile's tree was most of its run); a document that is not is validated on the tree.
 */
export function lintProfileStreaming(text: string, options: ProfileLintOptions = defaultProfileLintOptions): Finding[] {
  return refuseEarly(text, options) ?? byPosition(validateStreaming(text, options) ?? treeFindings(text, options));
}

function treeFindings(text: string, options: ProfileLintOptions): Finding[] {
  const findings: Finding[] = [];
  const report = (f: Finding): void => void findings.push(f);
  const doc = scanXml(text);
  append(findings, doc.problems);
  if (doc.root) {
    validateSchema(doc.root, { text, dialect: options.dialect, report });
    checkScriptReferences(doc.root, text, options.scriptFolders, report);
  }
  return findings;
}

function byPosition(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Inputs that are not worth parsing get one clear finding instead. */
function refuseEarly(text: string, options: ProfileLintOptions): Finding[] | undefined {
  if (text.length > options.maxSize) return [tooLarge(text, options.maxSize)];
  const nul = text.slice(0, 8192).indexOf('\u0000');
  if (nul >= 0)
    return [finding('HS110', nul, nul + 1, 'This file contains NUL characters: it is binary, not an XML profile, and was not validated.')];
  return undefined;
}

/** The one finding for a file over the size limit, on its first line (`head` may be just the start of it). */
export function tooLarge(head: string, maxSize: number): Finding {
  const mb = +(maxSize / 1024 / 1024).toPrecision(3);
  return finding(
    'HS111',
    0,
    firstLineEnd(head),
    `This file is larger than the ${mb} MB limit (setting hooksmith.validate.maxFileSizeMB, CLI --max-size-mb); it was not validated.`,
  );
}

function firstLineEnd(text: string): number {
  const m = /[\r\n]/.exec(text.slice(0, 4096));
  return m ? m.index : Math.min(text.length, 4096);
}
