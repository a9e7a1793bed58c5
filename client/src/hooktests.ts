/**
 * Hook tests in the Test Explorer: a TestController whose items are the spec files of the workspace
 * and their tests (as the server lists them, updated when a spec changes), run through the server
 * (hooksmith.server.runHookTests) with the hooks' output in the test output, each failing
 * expectation marked at its line, cancellation, and a refusal with the reason in Restricted Mode.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  clientCommands,
  specDocuments,
  HookTestList,
  HookTestOutput,
  HookTestResult,
  HookTestRun,
  notifications,
  serverCommands,
  SpecPlace,
} from '../../server/src/protocol';
import type { ServerHandle } from './languageClient';

const specGlob = specDocuments.pattern;

export const untrustedTestReason =
  "Restricted Mode: hook tests run the workspace's hook scripts, so they wait until you trust the workspace. " +
  'Their specs are still checked.';

/** What a run left, per test item id: for the extension's API (the real-VS-Code test reads it). */
export interface HookTestOutcome {
  readonly state: 'passed' | 'failed' | 'errored' | 'skipped';
  readonly messages: readonly { readonly message: string; readonly line?: number }[];
}

export interface HookTestsApi {
  readonly controller: vscode.TestController;
  /** The outcome of each test item of the last run that settled it, by item id. */
  readonly outcomes: ReadonlyMap<string, HookTestOutcome>;
  /** The hooks' output each test item got in its latest run, as it streamed in (by item id). */
  readonly outputs: ReadonlyMap<string, string>;
  /** Resolves after the next run ends. */
  nextRun(): Promise<void>;
}

export function registerHookTests(context: vscode.ExtensionContext, server: ServerHandle): HookTestsApi {
  const controller = vscode.tests.createTestController('hooksmith.hooktests', 'Hook tests');
  const outcomes = new Map<string, HookTestOutcome>();
  const outputs = new Map<string, string>();
  let runEnded: (() => void)[] = [];
  context.subscriptions.push(controller);

  const fileItem = (uri: vscode.Uri): vscode.TestItem => {
    const existing = controller.items.get(uri.toString());
    if (existing) return existing;
    const item = controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
    item.canResolveChildren = true;
    controller.items.add(item);
    return item;
  };

  const refresh = async (uri: vscode.Uri): Promise<void> => {
    const item = fileItem(uri);
    const client = await server.start();
    const list = (await client.sendRequest('workspace/executeCommand', {
      command: serverCommands.listHookTests,
      arguments: [uri.toString()],
    })) as HookTestList;
    item.children.replace(
      list.tests.map((t) => {
        const child = controller.createTestItem(`${uri.toString()}#${t.name}`, t.name, uri);
        child.range = rangeOf(t);
        return child;
      }),
    );
    item.error = list.specErrors.length
      ? `${list.specErrors.length} error(s) in this spec (see Problems): ${list.specErrors[0].message}`
      : undefined;
  };

  controller.resolveHandler = async (item) => {
    if (item?.uri) return refresh(item.uri);
    for (const uri of await vscode.workspace.findFiles(specGlob, '**/node_modules/**')) await refresh(uri);
  };
  const watcher = vscode.workspace.createFileSystemWatcher(specGlob);
  context.subscriptions.push(
    watcher,
    watcher.onDidCreate((uri) => void refresh(uri)),
    watcher.onDidChange((uri) => void refresh(uri)),
    watcher.onDidDelete((uri) => controller.items.delete(uri.toString())),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (vscode.languages.match({ pattern: specGlob }, doc)) void refresh(doc.uri);
    }),
  );

  const run = async (request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> => {
    const testRun = controller.createTestRun(request);
    try {
      const files = await itemsToRun(controller, request, refresh);
      for (const [fileUri, tests] of files) {
        if (token.isCancellationRequested) break;
        for (const t of tests) testRun.enqueued(t);
        if (!vscode.workspace.isTrusted) {
          for (const t of tests) settle(testRun, t, { state: 'errored', messages: [{ message: untrustedTestReason }] });
          continue;
        }
        await runFile(await server.start(), testRun, fileUri, tests, token);
      }
    } finally {
      testRun.end();
      const waiting = runEnded;
      runEnded = [];
      for (const resolve of waiting) resolve();
    }
  };

  /** One spec's tests through the server, the hooks' output streamed into the run. */
  const runFile = async (
    client: LanguageClient,
    testRun: vscode.TestRun,
    uri: vscode.Uri,
    tests: readonly vscode.TestItem[],
    token: vscode.CancellationToken,
  ): Promise<void> => {
    const id = `tests-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const byName = new Map(tests.map((t) => [t.label, t]));
    for (const t of tests) {
      testRun.started(t);
      outputs.set(t.id, '');
    }
    const listener = client.onNotification(notifications.hookTestOutput, (o: HookTestOutput) => {
      if (o.id !== id) return;
      const item = byName.get(o.test.replace(/ \[.*\]$/, ''));
      const text = `[${o.test}: ${o.label}] ${o.text.replace(/\r?\n/g, '\r\n')}`;
      testRun.appendOutput(text, undefined, item);
      if (item) outputs.set(item.id, (outputs.get(item.id) ?? '') + text);
    });
    try {
      const answer = (await client.sendRequest(
        'workspace/executeCommand',
        { command: serverCommands.runHookTests, arguments: [{ uri: uri.toString(), tests: [...byName.keys()], id }] },
        token,
      )) as HookTestRun;
      for (const [name, item] of byName)
        settle(
          testRun,
          item,
          outcomeOf(answer.results.filter((r) => r.test === name)),
          answer.results.filter((r) => r.test === name),
        );
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      for (const t of tests)
        settle(
          testRun,
          t,
          token.isCancellationRequested ? { state: 'skipped', messages: [] } : { state: 'errored', messages: [{ message }] },
        );
    } finally {
      listener.dispose();
    }
  };

  const settle = (
    testRun: vscode.TestRun,
    item: vscode.TestItem,
    outcome: HookTestOutcome,
    results: readonly HookTestResult[] = [],
  ): void => {
    outcomes.set(item.id, outcome);
    const duration = results.reduce((t, r) => t + r.durationMs, 0) || undefined;
    const messages = outcome.messages.map((m) => {
      const message = new vscode.TestMessage(m.message);
      if (m.line !== undefined && item.uri) message.location = new vscode.Location(item.uri, new vscode.Position(m.line - 1, 0));
      return message;
    });
    // Each failing expectation at its place in the spec, with expected and actual.
    const failures = results.flatMap((r) =>
      r.failures.map((f) => {
        const message = vscode.TestMessage.diff(
          `${r.name === r.test ? '' : `${r.name}: `}${f.message}${f.context.length ? `\n${f.context.join('\n')}` : ''}`,
          f.expected,
          f.actual,
        );
        message.location = new vscode.Location(vscode.Uri.file(f.file), rangeOf(f));
        return message;
      }),
    );
    if (outcome.state === 'passed') testRun.passed(item, duration);
    else if (outcome.state === 'skipped') testRun.skipped(item);
    else if (outcome.state === 'failed') testRun.failed(item, failures.length ? failures : messages, duration);
    else testRun.errored(item, messages, duration);
  };

  controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => run(request, token), true);
  context.subscriptions.push(
    vscode.commands.registerCommand(clientCommands.runHookTest, async (uri: unknown, name: unknown) => {
      const file = typeof uri === 'string' ? vscode.Uri.parse(uri) : undefined;
      if (!file) return;
      await refresh(file);
      const item = controller.items.get(file.toString())?.children.get(`${file.toString()}#${String(name)}`);
      if (item) await run(new vscode.TestRunRequest([item]), new vscode.CancellationTokenSource().token);
    }),
  );
  return { controller, outcomes, outputs, nextRun: () => new Promise((resolve) => runEnded.push(resolve)) };
}

/** The tests a request names (a file item stands for its tests), grouped by spec file. */
async function itemsToRun(
  controller: vscode.TestController,
  request: vscode.TestRunRequest,
  refresh: (uri: vscode.Uri) => Promise<void>,
): Promise<Map<vscode.Uri, vscode.TestItem[]>> {
  const roots: vscode.TestItem[] = [];
  if (request.include) roots.push(...request.include);
  else controller.items.forEach((i) => roots.push(i));
  const byFile = new Map<string, { uri: vscode.Uri; tests: vscode.TestItem[] }>();
  for (const root of roots) {
    if (!root.uri) continue;
    if (root.canResolveChildren && root.children.size === 0) await refresh(root.uri);
    const tests: vscode.TestItem[] = [];
    if (root.id.includes('#')) tests.push(root);
    else root.children.forEach((c) => tests.push(c));
    const excluded = new Set((request.exclude ?? []).map((e) => e.id));
    const entry = byFile.get(root.uri.toString()) ?? { uri: root.uri, tests: [] };
    entry.tests.push(...tests.filter((t) => !excluded.has(t.id)));
    byFile.set(root.uri.toString(), entry);
  }
  return new Map([...byFile.values()].map((e) => [e.uri, e.tests]));
}

/** A test's outcome from its instances' results (a matrix has one per row). */
function outcomeOf(results: readonly HookTestResult[]): HookTestOutcome {
  if (results.length === 0)
    return {
      state: 'errored',
      messages: [{ message: 'The server ran no such test: the spec changed, or the test has errors (see Problems).' }],
    };
  const failures = results.flatMap((r) =>
    r.failures.map((f) => ({ message: `${r.name === r.test ? '' : `${r.name}: `}${f.message}`, line: f.line })),
  );
  if (results.some((r) => r.status === 'error'))
    return { state: 'errored', messages: results.filter((r) => r.error).map((r) => ({ message: r.error as string, line: r.line })) };
  if (results.some((r) => r.status === 'cancelled')) return { state: 'skipped', messages: [] };
  return failures.length ? { state: 'failed', messages: failures } : { state: 'passed', messages: [] };
}

function rangeOf(p: SpecPlace): vscode.Range {
  return new vscode.Range(p.line - 1, p.column - 1, p.endLine - 1, p.endColumn - 1);
}
