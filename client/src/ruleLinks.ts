import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

/**
 * A rule's link (a diagnostic's code) opens its page rendered and read-only: the server links the
 * Markdown file shipped in the extension, which VS Code would open as an editable text file; the
 * client links a Markdown preview of it instead.
 */
export function previewLink(target: vscode.Uri): vscode.Uri {
  if (target.scheme !== 'file' || !/\/docs\/rules\/[^/]+\.md$/.test(target.path)) return target;
  return vscode.Uri.parse(`command:markdown.showPreview?${encodeURIComponent(JSON.stringify([target.toJSON()]))}`);
}

export const ruleLinksMiddleware: Pick<Middleware, 'handleDiagnostics'> = {
  handleDiagnostics(uri, diagnostics, next) {
    for (const d of diagnostics) {
      if (d.source === 'hooksmith' && typeof d.code === 'object' && d.code.target)
        d.code = { value: d.code.value, target: previewLink(d.code.target) };
    }
    next(uri, diagnostics);
  },
};
