/**
 * Whether a text is an AnyConnect profile: its root element is AnyConnectProfile.
 * Looks only at the prolog (declaration, comments, DOCTYPE), so it is cheap on any file.
 */
const prolog =
  /^\uFEFF?\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)*<(?:[\w.-]+:)?AnyConnectProfile[\s>/]/;

export function looksLikeProfile(text: string): boolean {
  return prolog.test(text.slice(0, 8192));
}
