import { ErrorCodes, Position, ResponseError } from 'vscode-languageserver';

/**
 * Checks of request parameters a handler reads. A client that sends the wrong shape gets
 * InvalidParams with what is wrong, not an InternalError made of the TypeError the handler would
 * have thrown.
 */
export function textDocumentOf(params: unknown): { readonly uri: string } {
  const doc = isObject(params) ? params.textDocument : undefined;
  if (!isObject(doc) || typeof doc.uri !== 'string') throw invalid('"textDocument.uri" must be a string.');
  return { uri: doc.uri };
}

/** The document and the position of a request at a place (completion, hover). */
export function documentPositionOf(params: unknown): { readonly textDocument: { readonly uri: string }; readonly position: Position } {
  const textDocument = textDocumentOf(params);
  const position = (params as Record<string, unknown>).position;
  if (!isObject(position) || !isNumber(position.line) || !isNumber(position.character))
    throw invalid('"position" must have a numeric line and character.');
  return { textDocument, position: { line: position.line, character: position.character } };
}

/** The diagnostics of a code action request's context, once checked to be a list (each one is checked where it is read). */
export function contextDiagnosticsOf<T>(params: { readonly context: { readonly diagnostics: T[] } }): T[] {
  const context: unknown = isObject(params) ? params.context : undefined;
  if (!isObject(context) || !Array.isArray(context.diagnostics)) throw invalid('"context.diagnostics" must be a list.');
  return context.diagnostics as T[];
}

export function commandOf(params: unknown): string {
  const command = isObject(params) ? params.command : undefined;
  if (typeof command !== 'string') throw invalid('"command" must be a string.');
  return command;
}

function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && !Number.isNaN(v);
}
