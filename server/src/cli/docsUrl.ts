declare const HOOKSMITH_DOCS_BASE: string;

/**
 * Where the rule pages are published for this version (the build derives it from package.json's
 * repository and version): SARIF's helpUri must be a link that works on the page that shows it,
 * never a file inside someone's node_modules.
 */
export const defaultDocsBaseUrl =
  typeof HOOKSMITH_DOCS_BASE === 'string' ? HOOKSMITH_DOCS_BASE : 'https://github.com/hooksmith/hooksmith/blob/main/docs/rules/';

/** A rule's page (or `index`) under a docs base URL. */
export function ruleDocUrl(base: string, code: string): string {
  return `${base.endsWith('/') ? base : base + '/'}${code}.md`;
}
