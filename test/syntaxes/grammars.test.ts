import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe as suite, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import { IGrammar, INITIAL, parseRawGrammar, Registry } from 'vscode-textmate';
import { anyconnectEnv } from '../../server/src/families/anyconnect/env';
import { shorewallEnv } from '../../server/src/families/shorewall/hooks';
import { ElementSpec, profileRoot } from '../../server/src/profile/schema';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributed: { scopeName: string; path: string; injectTo?: string[] }[] = pkg.contributes.grammars;

// VS Code's own XML and shell grammars are not in node_modules: stand-ins (see the fixtures' README).
const hosts: Record<string, string> = {
  'text.xml': 'test/fixtures/grammars/xml.stub.tmLanguage.json',
  'source.shell': 'test/fixtures/grammars/shell.stub.tmLanguage.json',
};

function registry(): Registry {
  const files: Record<string, string> = { ...hosts, ...Object.fromEntries(contributed.map((g) => [g.scopeName, g.path])) };
  return new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p) => new oniguruma.OnigScanner(p),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      const file = files[scope];
      return file ? parseRawGrammar(fs.readFileSync(path.join(root, file), 'utf8'), file) : null;
    },
    getInjections: (scope) => contributed.filter((g) => g.injectTo?.includes(scope)).map((g) => g.scopeName),
  });
}

interface Token {
  readonly text: string;
  readonly scopes: readonly string[];
}

function tokenize(grammar: IGrammar, text: string): Token[] {
  let stack = INITIAL;
  return text.split('\n').flatMap((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The scopes of the `nth` token whose text is exactly `text`. */
function scopesOf(tokens: readonly Token[], text: string, nth = 0): readonly string[] {
  const found = tokens.filter((t) => t.text === text)[nth];
  assert.ok(found, `a token "${text}" in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return found.scopes;
}

const has = (scopes: readonly string[], prefix: string): boolean => scopes.some((s) => s.startsWith(prefix));

let profileGrammar: IGrammar;
let shellGrammar: IGrammar;

before(async () => {
  await oniguruma.loadWASM(fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')));
  const reg = registry();
  profileGrammar = (await reg.loadGrammar('text.xml.anyconnect-profile')) as IGrammar;
  shellGrammar = (await reg.loadGrammar('source.shell')) as IGrammar;
  assert.ok(profileGrammar && shellGrammar, 'both grammars load');
});

const specs = (spec: ElementSpec): ElementSpec[] => [spec, ...(spec.children ?? []).flatMap(specs)];

suite('profile grammar', () => {
  // Themes colour a token by its most specific scope: anything beside the tag's own scopes (a
  // keyword, an invalid) would colour a script element's name unlike every other tag.
  const coloured = (scopes: readonly string[]): string[] => scopes.filter((s) => !s.startsWith('meta.') && !s.startsWith('text.'));

  test('script elements: the name is coloured as every XML tag is, the text as a string', () => {
    const tokens = tokenize(
      profileGrammar,
      '<ClientInitialization>\n<OnConnectScript>OnConnect_routes.sh</OnConnectScript>\n</ClientInitialization>',
    );
    const tag = scopesOf(tokens, 'OnConnectScript');
    assert.ok(has(tag, 'meta.script-element'), tag.join(' '));
    assert.deepEqual(coloured(tag), coloured(scopesOf(tokens, 'ClientInitialization')), 'the same colour as any other tag name');
    assert.deepEqual(coloured(tag), ['entity.name.tag.xml', 'entity.name.tag.localname.xml']);
    assert.deepEqual(coloured(scopesOf(tokens, 'OnConnect_routes.sh')), ['string.unquoted.script-file.anyconnect-profile']);
    for (const t of tokens)
      assert.ok(!t.scopes.some((s) => s.startsWith('invalid') || s.startsWith('keyword')), `${t.text}: ${t.scopes.join(' ')}`);
  });

  test('EnableScripting keeps its XML attributes; its value and other values are constants', () => {
    const tokens = tokenize(
      profileGrammar,
      '<EnableScripting ' +
        'UserControllable="true">true\n<TerminateScriptOnNextEvent>false</TerminateScriptOnNextEvent>\n' +
        '</EnableScripting>\n<AuthenticationTimeout>30</AuthenticationTimeout>',
    );
    assert.ok(has(scopesOf(tokens, 'EnableScripting'), 'meta.script-element'));
    assert.ok(has(scopesOf(tokens, 'UserControllable'), 'entity.other.attribute-name.xml'));
    assert.ok(has(scopesOf(tokens, 'true', 0), 'string.quoted.double.xml'), 'the attribute value is an XML string');
    assert.ok(has(scopesOf(tokens, 'true', 1), 'constant.language.boolean'), 'the element text is a boolean');
    assert.ok(has(scopesOf(tokens, 'false'), 'constant.language.boolean'));
    assert.ok(has(scopesOf(tokens, '30'), 'constant.numeric'));
  });

  test('every script element and every enumeration value of the schema is highlighted', () => {
    for (const spec of specs(profileRoot)) {
      if (spec.value?.kind === 'script') {
        assert.ok(
          has(scopesOf(tokenize(profileGrammar, `<${spec.name}>x.sh</${spec.name}>`), 'x.sh'), 'string.unquoted.script-file'),
          spec.name,
        );
      }
      if (spec.value?.kind !== 'enum') continue;
      for (const value of spec.value.values) {
        assert.ok(
          has(scopesOf(tokenize(profileGrammar, `<${spec.name}>${value}</${spec.name}>`), value), 'support.constant.enum'),
          `${spec.name}: ${value}`,
        );
      }
    }
  });

  test('a value inside a comment stays a comment', () => {
    const tokens = tokenize(profileGrammar, '<!-- <AutoUpdate>true</AutoUpdate> -->');
    assert.ok(
      tokens.every((t) => has(t.scopes, 'comment')),
      JSON.stringify(tokens),
    );
  });
});

suite('hook injection grammar', () => {
  test('marks every AnyConnect and Shorewall variable, as $NAME and ${NAME}, in strings too', () => {
    for (const v of [...anyconnectEnv, ...shorewallEnv]) {
      const tokens = tokenize(shellGrammar, `echo $${v.name} "\${${v.name}}"`);
      assert.ok(has(scopesOf(tokens, v.name, 0), 'variable.language.hook'), v.name);
      assert.ok(has(scopesOf(tokens, v.name, 1), 'variable.language.hook'), `${v.name} in a string`);
    }
  });

  test('marks run_iptables and log_rule_limit as Shorewall functions', () => {
    const tokens = tokenize(shellGrammar, 'run_iptables -A INPUT -j ACCEPT\nlog_rule_limit info');
    assert.ok(has(scopesOf(tokens, 'run_iptables'), 'support.function.shorewall'));
    assert.ok(has(scopesOf(tokens, 'log_rule_limit'), 'support.function.shorewall'));
  });

  test('leaves misspelt names, comments and single quotes alone', () => {
    const tokens = tokenize(shellGrammar, "echo $CISCO_VPN_USER\n# $CISCO_VPN_IP\necho '$COMMAND'\nmy_run_iptables");
    assert.ok(
      !tokens.some((t) => has(t.scopes, 'variable.language.hook') || has(t.scopes, 'support.function.shorewall')),
      JSON.stringify(tokens),
    );
    assert.ok(has(scopesOf(tokens, '$CISCO_VPN_USER'), 'variable.other.normal.shell'), 'the shell grammar still scopes it');
  });
});
