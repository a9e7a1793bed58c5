import {
  CompletionItem,
  CompletionItemKind,
  Connection,
  DocumentSymbol,
  FoldingRange,
  FoldingRangeKind,
  Hover,
  InsertTextFormat,
  MarkupKind,
  ServerCapabilities,
  SymbolKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Recognized } from '../families/family';
import { recognizeHook } from '../families/registry';
import { hookCompletions } from '../hooks/completion';
import { hookHover } from '../hooks/hover';
import { profileCompletions, ProfileCompletion } from '../profile/completion';
import { profileFolds } from '../profile/folding';
import { profileHover } from '../profile/hover';
import { scriptFileNames } from '../profile/scriptFolders';
import { ScriptFolders } from '../profile/scripts';
import { ProfileSymbol, profileSymbols } from '../profile/symbols';
import { Settings } from '../settings';
import { hookFileOf } from './hookDocument';
import { configTypeOf } from '../config/configDocs';
import { parseKeyValue } from '../config/keyValue';
import type { HookTests } from './hooktests';
import { localPathOf } from './localPath';
import { documentPositionOf, textDocumentOf } from './params';

/** What the server gives the authoring handlers. */
export interface AuthoringHost {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  isProfile(doc: TextDocument): boolean;
  settingsFor(uri: string): Promise<Settings>;
  scriptFolders(uri: string, settings: Settings): ScriptFolders | undefined;
  /** Hook test specs answer for themselves. */
  readonly specs?: Pick<HookTests, 'isSpec' | 'completion' | 'hover'>;
  /** Resolves when the workspace's config documents have been read (what they wire is known). */
  readonly wiringKnown?: () => Promise<void>;
}

/**
 * How long a completion or hover in a hook waits for the first workspace scan: a script that only a config names
 * (OpenVPN's `up`) is not a hook until the scan has read that config. A scan of 10,000 files takes about half a
 * second here; past the bound the answer goes out with what is known, as before.
 */
const wiringWaitMs = 3000;

export const authoringCapabilities: ServerCapabilities = {
  completionProvider: { triggerCharacters: ['<', '$', '{', '"'] },
  hoverProvider: true,
  documentSymbolProvider: true,
  foldingRangeProvider: true,
};

/** Completion, hover, outline and folding for profiles and hooks. */
export function attachAuthoring(host: AuthoringHost): void {
  const { connection, documents } = host;
  connection.onCompletion(async (params) => {
    const { textDocument, position } = documentPositionOf(params);
    const doc = documents.get(textDocument.uri);
    if (!doc) return [];
    if (host.specs?.isSpec(doc)) return host.specs.completion(doc, doc.offsetAt(position));
    const settings = await host.settingsFor(doc.uri);
    const offset = doc.offsetAt(position);
    if (host.isProfile(doc)) {
      const folders = host.scriptFolders(doc.uri, settings);
      const items = profileCompletions(doc.getText(), offset, {
        dialect: settings.profile.dialect,
        scriptFiles: () => scriptFileNames(folders?.folders ?? []),
      });
      return items.map((i) => profileItem(doc, i));
    }
    const config = configOf(doc);
    if (config) return config.completion(offset).map((i) => hookItem(doc, i));
    await wiringKnown(host);
    const hook = recognized(doc, host, settings);
    return hook ? hookCompletions(doc.getText(), offset, hook).map((i) => hookItem(doc, i)) : [];
  });
  connection.onHover(async (params): Promise<Hover | null> => {
    const { textDocument, position } = documentPositionOf(params);
    const doc = documents.get(textDocument.uri);
    if (!doc) return null;
    const offset = doc.offsetAt(position);
    if (host.specs?.isSpec(doc)) return host.specs.hover(doc, offset);
    const config = host.isProfile(doc) ? undefined : configOf(doc);
    if (!host.isProfile(doc) && !config) await wiringKnown(host);
    const found = host.isProfile(doc)
      ? profileHover(doc.getText(), offset)
      : config
        ? config.hover(offset)
        : hoverInHook(doc, offset, recognized(doc, host, await host.settingsFor(doc.uri)));
    return found ? { contents: { kind: MarkupKind.Markdown, value: found.contents }, range: range(doc, found.start, found.end) } : null;
  });
  connection.onDocumentSymbol((params) => {
    const doc = documents.get(textDocumentOf(params).uri);
    return doc && host.isProfile(doc) ? profileSymbols(doc.getText()).map((s) => documentSymbol(doc, s)) : [];
  });
  connection.onFoldingRanges((params) => {
    const doc = documents.get(textDocumentOf(params).uri);
    if (!doc || !host.isProfile(doc)) return [];
    return profileFolds(doc.getText()).map((f): FoldingRange => ({
      startLine: f.startLine,
      endLine: f.endLine,
      ...(f.kind ? { kind: FoldingRangeKind.Comment } : {}),
    }));
  });
}

/** Waits (bounded) until what the workspace's config documents wire is known. */
async function wiringKnown(host: AuthoringHost): Promise<void> {
  if (!host.wiringKnown) return;
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, wiringWaitMs)));
  await Promise.race([host.wiringKnown(), bound]);
  clearTimeout(timer);
}

/** A family's config document (by its path or its first 8 KB), parsed for its type's completion and hover. */
function recognized(doc: TextDocument, host: AuthoringHost, settings: Settings): Recognized | undefined {
  const file = hookFileOf(doc, host.documents);
  return recognizeHook(file.path, file.siblings, settings.hooks.families);
}

/** A family's config document (wg-quick's wg0.conf): its completion and hover, none when its type has none. */
function configOf(doc: TextDocument) {
  const file = localPathOf(doc.uri) ?? doc.uri;
  const match = configTypeOf(file, doc.getText().slice(0, 8192));
  if (!match) return undefined;
  const parsed = () => parseKeyValue(doc.getText(), match.type.syntax);
  return {
    completion: (offset: number) => match.type.completion?.(parsed(), offset) ?? [],
    hover: (offset: number) => match.type.hover?.(parsed(), offset, file),
  };
}

function hoverInHook(doc: TextDocument, offset: number, hook: Recognized | undefined) {
  return hook ? hookHover(doc.getText(), offset, hook) : undefined;
}

const range = (doc: TextDocument, start: number, end: number) => ({ start: doc.positionAt(start), end: doc.positionAt(end) });

const profileKinds: Readonly<Record<ProfileCompletion['kind'], CompletionItemKind>> = {
  element: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  attribute: CompletionItemKind.Field,
  file: CompletionItemKind.File,
};

function profileItem(doc: TextDocument, i: ProfileCompletion): CompletionItem {
  return {
    label: i.label,
    kind: profileKinds[i.kind],
    detail: i.detail,
    documentation: i.documentation ? { kind: MarkupKind.Markdown, value: i.documentation } : undefined,
    filterText: i.filterText,
    sortText: i.sortText,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range: range(doc, i.replace.start, i.replace.end), newText: i.insert },
  };
}

function hookItem(doc: TextDocument, i: ReturnType<typeof hookCompletions>[number]): CompletionItem {
  return {
    label: i.label,
    kind:
      i.kind === 'variable' ? CompletionItemKind.Variable : i.kind === 'key' ? CompletionItemKind.Property : CompletionItemKind.Function,
    detail: i.detail,
    documentation: { kind: MarkupKind.Markdown, value: i.documentation },
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range: range(doc, i.start, i.end), newText: i.insert },
  };
}

function documentSymbol(doc: TextDocument, s: ProfileSymbol): DocumentSymbol {
  return {
    name: s.name,
    detail: s.detail,
    kind: s.kind === 'container' ? SymbolKind.Namespace : SymbolKind.Property,
    range: range(doc, s.start, s.end),
    selectionRange: range(doc, s.selectionStart, s.selectionEnd),
    children: s.children.map((c) => documentSymbol(doc, c)),
  };
}
