/** The hook-name rules: which family and hook a file is, and the naming and file findings, on random names and folders. */
import * as path from 'node:path';
import fc from 'fast-check';
import { Finding } from '../../../server/src/diagnostics';
import { HookFile } from '../../../server/src/families/family';
import { FamilyMappings } from '../../../server/src/families/registry';
import { lintHook } from '../../../server/src/hooks/lintHook';
import { loadShellParser } from '../../../server/src/shell/parser';
import { familyMappings, fileMode, fileName, folder } from '../fileNames';
import { findingProblems, FuzzTarget } from '../harness';

export interface NameInput {
  readonly folder: string;
  readonly name: string;
  /** The other files of the folder. */
  readonly others: readonly string[];
  readonly mode: number | undefined;
  readonly mappings: FamilyMappings;
  /** Small texts: the name rules are the point, the content rules still run. */
  readonly text: string;
}

interface NameOutput {
  readonly family: string;
  readonly hook: string;
  readonly findings: readonly Finding[];
}

const arbitrary: fc.Arbitrary<NameInput> = fc.record({
  folder,
  name: fileName,
  others: fc.array(fc.oneof(fileName, fc.constantFrom('shorewall.conf', 'OnConnect_a.sh', 'OnDisconnect_a.sh', 'OnConnect_b.sh')), {
    maxLength: 4,
  }),
  mode: fileMode,
  mappings: familyMappings,
  text: fc.constantFrom(
    '',
    '#!/bin/sh\n',
    '#!/bin/sh\r\necho\r\n',
    '\uFEFF#!/bin/sh\n',
    'echo hi',
    '1;\n',
    'use strict;\n1;\n',
    '#!/usr/bin/perl\n1;',
  ),
});

function fileOf(input: NameInput, name = input.name): HookFile {
  const siblings = [name, ...input.others.filter((o) => o !== input.name && o !== name)];
  return { path: path.posix.join(input.folder, name), text: input.text, mode: input.mode, siblings, readSibling: () => undefined };
}

function lintName(input: NameInput, name?: string): NameOutput | undefined {
  const result = lintHook(fileOf(input, name), input.mappings);
  return result && { family: result.recognized.family.id, hook: result.recognized.hook.name, findings: result.findings };
}

const namingCodes = new Set(['HS401', 'HS402', 'HS410', 'HS420']);

/** The rename quick fix's name is a plain file name that the same hook recognises without a naming finding. */
function renameProblems(input: NameInput, output: NameOutput): string[] {
  const problems: string[] = [];
  for (const f of output.findings) {
    if (f.fix?.kind !== 'rename') continue;
    const to = f.fix.to;
    if (!to || /[\\/\u0000]/.test(to) || to === '.' || to === '..') {
      problems.push(`${f.code} renames to ${JSON.stringify(to)}, which is not a file name`);
      continue;
    }
    const renamed = lintName(input, to);
    if (!renamed) problems.push(`${f.code} renames to ${to}, which no family recognises`);
    else if (renamed.hook !== output.hook) problems.push(`${f.code} renames ${output.hook} to ${to}, which is ${renamed.hook}`);
    else if (renamed.findings.some((g) => namingCodes.has(g.code)))
      problems.push(
        `${f.code} renames to ${to}, which still gets ${renamed.findings
          .filter((g) => namingCodes.has(g.code))
          .map((g) => g.code)
          .join(', ')}`,
      );
  }
  return problems;
}

export const hookNamesTarget: FuzzTarget<NameInput> = {
  name: 'hook-name rules',
  arbitrary,
  setup: async () => void (await loadShellParser()),
  run: (input) => lintName(input),
  check: (input, output) => {
    const result = output as NameOutput | undefined;
    if (!result) return [];
    return [...findingProblems(input.text, result.findings), ...renameProblems(input, result)];
  },
  show: (input) => JSON.stringify(input),
};
