// `node scripts/split-long-lines.mjs`, after `npm run format`: does the hand work ESLint's
// hooksmith/max-line asks for where it is mechanical. On each line still longer than Prettier's
// printWidth it splits single-line strings and template literals into `'...' + '...'` (at spaces,
// between tags, after \n; the value is unchanged) and rewraps whole-line comments. Run
// `npm run format` again afterwards; it prints the lines left for a person (regular expressions,
// comments after code, multi-line templates).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';

const max = JSON.parse(readFileSync('.prettierrc.json', 'utf8')).printWidth;
const skipped = /^(test\/fixtures|test\/e2e\/workspace|examples)\//;
const files = execFileSync('git', ['ls-files', '*.ts', '*.mjs'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !skipped.test(f));
const isLong = (line) => [...line].length > max;

let split = 0;
const left = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  if (!lines.some(isLong)) continue;
  const edited = rewrapComments(splitLiterals(file, text, lines), max);
  if (edited !== text) writeFileSync(file, edited);
  edited.split('\n').forEach((line, i) => isLong(line) && left.push(`${file}:${i + 1}: ${line.trim().slice(0, 80)}`));
}
// Lines split here are joined again only by Prettier: what is listed before `npm run format` may yet fit.
console.log(`${split} literals split; ${left.length} lines still long before npm run format${left.length ? ':' : ''}`);
for (const l of left) console.log(`  ${l}`);

/** Splits the literals that sit on a long line, innermost edits last so offsets stay valid. */
function splitLiterals(file, text, lines) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.mjs') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const edits = [];
  const visit = (node) => {
    const literal = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
    if (literal) {
      const start = node.getStart(source);
      const { line } = source.getLineAndCharacterOfPosition(start);
      const oneLine = line === source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (oneLine && isLong(lines[line]) && splittable(node)) {
        const indent = lines[line].match(/^ */)[0].length;
        const replacement = splitLiteral(node, source, text, Math.max(40, Math.min(110, max - indent - 18)));
        if (replacement) edits.push([start, node.getEnd(), replacement]);
      }
    }
    if (ts.isTemplateExpression(node)) node.templateSpans.forEach((s) => visit(s.expression));
    else ts.forEachChild(node, visit);
  };
  visit(source);
  split += edits.length;
  let out = text;
  for (const [start, end, replacement] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + replacement + out.slice(end);
  return out;
}

/** Not where a concatenation cannot stand: types, imports, property names, case labels, tagged templates, directives. */
function splittable(node) {
  const p = node.parent;
  if (ts.isLiteralTypeNode(p) || ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isExternalModuleReference(p)) return false;
  if (
    (ts.isPropertyAssignment(p) ||
      ts.isPropertySignature(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isEnumMember(p)) &&
    p.name === node
  )
    return false;
  return !(ts.isCaseClause(p) || ts.isTaggedTemplateExpression(p) || ts.isExpressionStatement(p));
}

/** `'a b c'` as `'a ' + 'b c'`, in parentheses where the literal was an operand of something tighter than +. */
function splitLiteral(node, source, text, budget) {
  const start = node.getStart(source);
  const full = text.slice(start, node.getEnd());
  const quote = full[0];
  const raw = full.slice(1, -1);
  // A template's ${...} parts are never cut.
  const holes = ts.isTemplateExpression(node)
    ? node.templateSpans.map((s) => [s.expression.getFullStart() - start - 3, s.literal.getStart(source) - start])
    : [];
  const cuts = [];
  let last = 0;
  let candidate = -1;
  for (let i = 0; i < raw.length; i++) {
    if (!holes.some(([s, e]) => i >= s && i < e)) {
      let backslashes = 0;
      for (let j = i - 1; j >= 0 && raw[j] === '\\'; j--) backslashes++;
      const escaped = backslashes % 2 === 1;
      if (
        (raw[i] === ' ' && !escaped) ||
        (raw[i] === '>' && raw[i + 1] === '<' && !escaped) ||
        (raw[i] === 'n' && escaped && i + 1 < raw.length)
      )
        candidate = i + 1;
    }
    if (i - last >= budget && candidate > last) cuts.push((last = candidate));
  }
  if (cuts.length && raw.length - cuts[cuts.length - 1] < 12) cuts.pop();
  if (!cuts.length) return undefined;
  const parts = [0, ...cuts].map((from, k) => raw.slice(from, cuts[k] ?? raw.length));
  const joined = parts.map((p) => quote + p + quote).join(' + ');
  return loose(node) ? joined : `(${joined})`;
}

/** Whether `a + b` can stand where the literal stood without parentheses. */
function loose(node) {
  const p = node.parent;
  if (ts.isCallExpression(p) || ts.isNewExpression(p)) return p.expression !== node;
  if (ts.isBinaryExpression(p))
    return [ts.SyntaxKind.PlusToken, ts.SyntaxKind.EqualsToken, ts.SyntaxKind.CommaToken].includes(p.operatorToken.kind);
  if (ts.isConditionalExpression(p)) return p.condition !== node;
  return [
    ts.isVariableDeclaration,
    ts.isPropertyAssignment,
    ts.isReturnStatement,
    ts.isArrayLiteralExpression,
    ts.isParenthesizedExpression,
    ts.isTemplateSpan,
    ts.isArrowFunction,
    ts.isSpreadElement,
    ts.isThrowStatement,
    ts.isParameter,
    ts.isPropertyDeclaration,
  ].some((is) => is(p));
}

/** Rewraps long whole-line comments (`// ...`, ` * ...`, one-line `/** ... *\/`) at spaces. */
function rewrapComments(text, width) {
  const wrap = (words, room) =>
    words.reduce((lines, w) => {
      const cur = lines[lines.length - 1];
      if (cur !== undefined && cur.length + 1 + w.length <= room) lines[lines.length - 1] = `${cur} ${w}`;
      else lines.push(w);
      return lines;
    }, []);
  return text
    .split('\n')
    .flatMap((line) => {
      if (!isLong(line)) return [line];
      let m = /^(\s*)\/\*\*\s(.*?)\s*\*\/$/.exec(line);
      if (m) return [`${m[1]}/**`, ...wrap(m[2].split(' '), width - m[1].length - 3).map((l) => `${m[1]} * ${l}`), `${m[1]} */`];
      m = /^(\s*)\* (?!\|)(.*)$/.exec(line);
      if (m) return wrap(m[2].split(' '), width - m[1].length - 2).map((l) => `${m[1]}* ${l}`);
      m = /^(\s*)\/\/ (.*)$/.exec(line);
      if (m) return wrap(m[2].split(' '), width - m[1].length - 3).map((l) => `${m[1]}// ${l}`);
      return [line];
    })
    .join('\n');
}
