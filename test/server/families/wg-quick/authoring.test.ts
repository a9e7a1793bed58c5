import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { configTypeOf } from '../../../../server/src/config/configDocs';
import { parseKeyValue } from '../../../../server/src/config/keyValue';
import { needsShellParser } from '../../../helpers/hooks';
import { costGrowth } from '../../../helpers/scaling';

needsShellParser();

const file = '/etc/wireguard/wg0.conf';

/** The wg-quick config type's completion and hover at the `|` of `source`. */
function at(source: string) {
  const offset = source.indexOf('|');
  const text = source.replace('|', '');
  const type = configTypeOf(file, text)?.type;
  assert.ok(type?.completion && type.hover);
  const parsed = parseKeyValue(text, type.syntax);
  return { completion: type.completion(parsed, offset), hover: type.hover(parsed, offset, file), text };
}

suite('wg-quick config completion and hover', () => {
  test("at a line's start: the keys of its section, the hook keys only in [Interface]", () => {
    const iface = at('[Interface]\nPrivateKey = x\nPos|\n').completion.map((c) => c.label);
    assert.ok(
      ['PostUp', 'PostDown', 'PreUp', 'PreDown', 'Address', 'DNS'].every((k) => iface.includes(k)),
      iface.join(),
    );
    assert.ok(!iface.includes('AllowedIPs'));
    const { completion } = at('[Interface]\nPrivateKey = x\n[Peer]\n|\n');
    const peer = completion.map((c) => c.label);
    assert.ok(peer.includes('AllowedIPs') && !peer.includes('PostUp'), peer.join());
    assert.equal(completion[0].insert.endsWith(' = '), true);
  });

  test("in a hook line: $ completes wg-quick's own variables, % completes %i", () => {
    const vars = at('[Interface]\nPostUp = logger "up $IN|"\n').completion;
    const iface = vars.find((c) => c.label === 'INTERFACE');
    assert.ok(iface, vars.map((c) => c.label).join());
    assert.match(iface.documentation, /Not exported/);
    const { completion, text } = at('[Interface]\nPostUp = iptables -A FORWARD -i %|\n');
    assert.deepEqual(
      completion.map((c) => [c.label, text.slice(c.start, c.end)]),
      [['%i', '%']],
    );
    assert.deepEqual(at('[Interface]\n[Peer]\nPostUp = echo $|\n').completion, [], 'not a hook outside [Interface]');
  });

  test('hover: a hook key says when it runs and what a failure does; %i and $INTERFACE say what they hold', () => {
    const key = at('[Interface]\nPreD|own = iptables -D INPUT -j DROP\n').hover;
    assert.match(key?.contents ?? '', /\*\*PreDown\*\*/);
    assert.match(key?.contents ?? '', /before the interface is deleted: it stays up/);
    const { hover, text } = at('[Interface]\nPostUp = ip link set %|i up\n');
    assert.equal(text.slice(hover?.start, hover?.end), '%i');
    assert.match(hover?.contents ?? '', /replaces it with the interface name/);
    assert.match(at('[Interface]\nPostUp = echo ${INTER|FACE}\n').hover?.contents ?? '', /\$INTERFACE/);
    assert.match(at('[Interface]\n[Peer]\nAllowed|IPs = 10.0.0.2/32\n').hover?.contents ?? '', /routed to this peer/);
  });

  test('hover on a script a hook line runs lists its arguments as it gets them; on one argument: its $N and value', () => {
    const line = '[Interface]\nPostUp = /etc/wireguard/up.sh %i "$INTERFACE-nat" 10.99.0.0/24\n';
    /** At `needle`'s second character. */
    const on = (needle: string) => at(`${line.slice(0, line.indexOf(needle) + 1)}|${line.slice(line.indexOf(needle) + 1)}`);
    const script = on('/etc/wireguard/up.sh');
    assert.equal(script.text.slice(script.hover?.start, script.hover?.end), '/etc/wireguard/up.sh');
    assert.match(script.hover?.contents ?? '', /\*\*up\.sh\*\* · run by this PostUp line, as root/);
    assert.match(script.hover?.contents ?? '', /- `\$1` = `wg0`\n- `\$2` = `wg0-nat`\n- `\$3` = `10\.99\.0\.0\/24`/);
    const first = on('%i');
    assert.equal(first.text.slice(first.hover?.start, first.hover?.end), '%i');
    assert.match(first.hover?.contents ?? '', /^\*\*\$1\*\* of up\.sh · `wg0` \(written `%i`\)/);
    assert.match(first.hover?.contents ?? '', /In wg0\.conf: `wg0`/);
    assert.match(on('10.99.0.0/24').hover?.contents ?? '', /^\*\*\$3\*\* of up\.sh · `10\.99\.0\.0\/24`: what the script reads as "\$3"/);
    assert.match(at('[Interface]\nPostUp = bash /etc/wireguard/nat.sh |%i\n').hover?.contents ?? '', /^\*\*\$1\*\* of nat\.sh · `wg0`/);
    assert.match(at('[Interface]\nPostUp = ip link set |%i up\n').hover?.contents ?? '', /In wg0\.conf: `wg0`/);
  });
});

test('hover on %i after a long word in the hook costs the same per character at 32 KB as at 2 KB (it was quadratic in the word)', () => {
  const source = (size: number) => `[Interface]\nPostUp = logger ${'x'.repeat(size)} && ip link set %|i up\n`;
  const { hover, text } = at(source(32_000));
  assert.equal(text.slice(hover?.start, hover?.end), '%i');
  const growth = costGrowth((size) => at(source(size)), 2_000, 32_000, 4_000_000);
  assert.ok(growth < 4, `one character costs ${growth.toFixed(1)} times as much at 32 KB as at 2 KB`);
});
