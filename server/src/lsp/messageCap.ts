/**
 * The most the language server reads of one message, and the largest document it follows.
 * vscode-jsonrpc trusts a frame's Content-Length: a client (or a broken one) announcing 2 GB made
 * the server buffer all of it. Over the cap a message's body is read and thrown away as it comes
 * (memory stays at one chunk), the client is told, and the next frame is read as usual: the server
 * stays alive and keeps answering, since the stream is still in step (only the one message is
 * lost). 64 MB is far above any hook or profile (validation stops at 10 MB by default).
 */
import { Connection, ReadableStreamMessageReader, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const maxMessageBytes = 64 * 1024 * 1024;
/** A header block (normally ~40 bytes) this long with no blank line ending it is garbage, not headers. */
const maxHeaderBytes = 64 * 1024;

export type DroppedInput = { readonly kind: 'message'; readonly bytes: number } | { readonly kind: 'header'; readonly bytes: number };

/**
 * What this module reads of vscode-jsonrpc's reader: its private state (vscode-jsonrpc 9.x and 10.x;
 * test/lsp/abuse/messageCap.test.ts fails if it moves).
 */
interface ReaderState {
  nextMessageLength: number;
  readonly buffer: { readonly numberOfBytes: number; tryReadBody(length: number): unknown };
  clearPartialMessageTimer(): void;
  /** Bytes of an oversized body still to throw away. */
  hooksmithSkip?: number;
  /** Header garbage was reported (once: a stream of it would be a flood of reports). */
  hooksmithGarbage?: boolean;
  onData(data: Uint8Array): void;
}

let reportDropped: ((what: DroppedInput) => void) | undefined;

/**
 * Caps every stream reader of the connection (stdio, socket, pipe: all are ReadableStreamMessageReaders)
 * at `maxMessageBytes`; `onDropped` hears of each message thrown away. VS Code's own client talks over
 * Node's IPC channel, which has no Content-Length to lie with.
 */
export function capIncomingMessages(onDropped: (what: DroppedInput) => void): void {
  const first = reportDropped === undefined;
  reportDropped = onDropped;
  if (!first) return;
  const proto = ReadableStreamMessageReader.prototype as unknown as ReaderState;
  const read = proto.onData;
  proto.onData = function (this: ReaderState, data: Uint8Array): void {
    const rest = skipped(this, data);
    if (rest.byteLength === 0) return;
    read.call(this, rest);
    const buffered = this.buffer.numberOfBytes;
    if (this.nextMessageLength > maxMessageBytes) {
      reportDropped?.({ kind: 'message', bytes: this.nextMessageLength });
      this.hooksmithSkip = this.nextMessageLength - buffered;
      this.nextMessageLength = -1;
      this.clearPartialMessageTimer();
      if (buffered > 0) this.buffer.tryReadBody(buffered);
    } else if (this.nextMessageLength === -1 && buffered > maxHeaderBytes) {
      if (!this.hooksmithGarbage) reportDropped?.({ kind: 'header', bytes: buffered });
      this.hooksmithGarbage = true;
      this.buffer.tryReadBody(buffered);
    }
  };
}

/** The part of `data` after what is left of an oversized body. */
function skipped(reader: ReaderState, data: Uint8Array): Uint8Array {
  const skip = Math.min(reader.hooksmithSkip ?? 0, data.byteLength);
  if (skip === 0) return data;
  reader.hooksmithSkip = (reader.hooksmithSkip ?? 0) - skip;
  return data.subarray(skip);
}

/** The message the client gets for input thrown away. */
export function droppedMessage(what: DroppedInput): string {
  const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
  return what.kind === 'message'
    ? `Hooksmith: a message of ${mb(what.bytes)} MB from the editor was not read: the language server reads at most ` +
        `${mb(maxMessageBytes)} MB per message (a document that large is not validated).`
    : `Hooksmith: ${what.bytes} bytes from the editor with no end of headers were thrown away: the stream is out of step ` +
        '(more of them are thrown away without a word).';
}

/**
 * documents.listen(connection), except that a document grown past `maxMessageBytes` by edits is
 * closed on the server's side (as if the client had closed it): its diagnostics go and it is no
 * longer kept. Each edit is small, so the message cap does not see it; the text would grow without end.
 */
export function listenCapped(
  documents: TextDocuments<TextDocument>,
  connection: Connection,
  onTooLarge: (doc: TextDocument) => void,
): void {
  let close: ((e: { textDocument: { uri: string } }) => void) | undefined;
  const capped = Object.create(connection) as Connection;
  capped.onDidCloseTextDocument = (handler) => {
    close = handler;
    return connection.onDidCloseTextDocument(handler);
  };
  capped.onDidChangeTextDocument = (handler) =>
    connection.onDidChangeTextDocument((e) => {
      handler(e);
      const doc = documents.get(e.textDocument.uri);
      if (!doc || doc.getText().length <= maxMessageBytes) return;
      close?.({ textDocument: { uri: doc.uri } });
      onTooLarge(doc);
    });
  documents.listen(capped);
}
