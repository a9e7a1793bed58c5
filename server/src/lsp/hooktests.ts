/**
 * Hook test specs in the language server: their findings, "Run test" lenses, completion and hover,
 * and the command that runs a spec's tests (streaming the hooks' output, cancellable, refused in an
 * untrusted workspace as simulate is).
 */
import {
  CancellationToken,
  CodeLens,
  CompletionItem,
  CompletionItemKind,
  Connection,
  ErrorCodes,
  Hover,
  InitializeParams,
  MarkupKind,
  ResponseError,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { specCompletions, specHover } from '../hooktest/authoring';
import { checkSpec } from '../hooktest/check';
import { collectSpecs } from '../hooktest/collect';
import { isSpecFile } from '../hooktest/model';
import { placeOf, resultJson, specErrors } from '../hooktest/results';
import { LineIndex } from '../text/lineIndex';
import { runTests, selectInstances } from '../hooktest/run';
import { instances, SpecFile } from '../hooktest/spec';
import { Finding } from '../diagnostics';
import { HookTestList, HookTestOutput, HookTestRun, HookTestRunParams, InitOptions, notifications, serverCommands } from '../protocol';
import { Settings } from '../settings';
import { localPathOf } from './localPath';
import { localServerPaths } from './simulate';
import { WorkspaceTrust } from './trust';

export interface HookTestHost {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly trust: WorkspaceTrust;
  settingsFor(uri: string): Promise<Settings>;
  /** The workspace folders: where a test's config looks for the scripts it names, as the linter does. */
  workspaceFolders(): readonly string[];
}

export const untrustedTestReason =
  'Hook tests run hook scripts, and this workspace is not trusted (Restricted Mode). Trust the workspace to run ' +
  'them; their specs are checked without it.';

export function attachHookTests(host: HookTestHost) {
  const { connection, documents, trust } = host;
  let lensCommand: string = serverCommands.runHookTests;

  const isSpec = (doc: TextDocument): boolean => {
    const file = localPathOf(doc.uri);
    return file !== undefined && isSpecFile(file);
  };
  const specOf = (doc: TextDocument): SpecFile => checkSpec(doc.getText(), localPathOf(doc.uri) as string);

  function lenses(doc: TextDocument): CodeLens[] {
    if (!trust.trusted) return [];
    return specOf(doc).tests.map((t) => ({
      range: { start: doc.positionAt(t.nameSpan.start), end: doc.positionAt(t.nameSpan.end) },
      command: {
        title: 'Run test',
        command: lensCommand,
        arguments:
          lensCommand === serverCommands.runHookTests ? [{ uri: doc.uri, tests: [t.name] } satisfies HookTestRunParams] : [doc.uri, t.name],
      },
    }));
  }

  /** The open document's text is what the user sees (and what the diagnostics are about); else the file. */
  function specAt(uri: unknown): SpecFile | ResponseError<void> {
    const file = typeof uri === 'string' ? localPathOf(uri) : undefined;
    if (!file || !isSpecFile(file))
      return new ResponseError(ErrorCodes.InvalidParams, '"uri" must be the file: URI of a *.hooktest.yaml or hooksmith.test.yaml file.');
    const open = documents.get(uri as string);
    return (open ? specOf(open) : collectSpecs([file]).specs[0]) ?? new ResponseError(ErrorCodes.InvalidParams, `${file} cannot be read.`);
  }

  function list(uri: unknown): HookTestList | ResponseError<void> {
    const spec = specAt(uri);
    if (spec instanceof ResponseError) return spec;
    const lines = new LineIndex(spec.text);
    return {
      tests: spec.tests.map((t) => ({ ...placeOf(spec, t.nameSpan, lines), name: t.name, instances: instances(t).map((i) => i.name) })),
      specErrors: specErrors(spec),
    };
  }

  async function execute(arg: unknown, token: CancellationToken): Promise<HookTestRun | ResponseError<void>> {
    if (!trust.trusted) return new ResponseError(ErrorCodes.InvalidRequest, untrustedTestReason);
    const params = arg as Partial<HookTestRunParams> | undefined;
    const spec = specAt(params?.uri);
    if (spec instanceof ResponseError) return spec;
    const wanted = Array.isArray(params?.tests) ? new Set(params.tests.map(String)) : undefined;
    const list = selectInstances(spec.tests).filter((i) => !wanted || wanted.has(i.test.name));
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    try {
      const { simulate: settings, hooks } = await host.settingsFor(params!.uri!);
      const roots = host.workspaceFolders();
      const places = { roots, serverPaths: localServerPaths(hooks.serverPaths, spec.file, roots) };
      const results = await runTests(list, {
        signal: abort.signal,
        settings,
        places,
        onOutput: (instance, label, stream, text) => {
          const output: HookTestOutput = { id: params?.id, test: instance.name, label, stream, text };
          void connection.sendNotification(notifications.hookTestOutput, output);
        },
      });
      return { results: results.map((r) => resultJson(spec, r)), specErrors: specErrors(spec) };
    } finally {
      cancelled.dispose();
    }
  }

  function completion(doc: TextDocument, offset: number): CompletionItem[] {
    return specCompletions(doc.getText(), offset).map((c) => ({
      label: c.label,
      kind: c.kind === 'key' ? CompletionItemKind.Property : CompletionItemKind.Value,
      detail: c.detail,
      documentation: { kind: MarkupKind.Markdown, value: c.documentation },
      insertText: c.insertText,
    }));
  }

  function hover(doc: TextDocument, offset: number): Hover | null {
    const h = specHover(doc.getText(), offset);
    return h
      ? {
          contents: { kind: MarkupKind.Markdown, value: h.markdown },
          range: { start: doc.positionAt(h.start), end: doc.positionAt(h.end) },
        }
      : null;
  }

  return {
    isSpec,
    list,
    findings: (doc: TextDocument): Finding[] => [...specOf(doc).findings],
    lenses,
    execute,
    completion,
    hover,
    initialize(params: InitializeParams): void {
      const options = (params.initializationOptions ?? {}) as InitOptions;
      if (typeof options.runTestLensCommand === 'string' && options.runTestLensCommand) lensCommand = options.runTestLensCommand;
    },
  };
}

export type HookTests = ReturnType<typeof attachHookTests>;
