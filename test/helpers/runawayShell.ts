/**
 * Broken shell on which tree-sitter-bash's error recovery is exponential in `lines` (found by the
 * OpenVPN fuzz target, seed 1991278394): pending `<<-EOF` here-documents, an unclosed `$((`,
 * `lines` lines of `} |`, then an XML-looking tail. Unguarded, 16 lines parse in 30 ms, 28 in
 * 1.8 s, 40 in hours; the parser reads nothing new meanwhile (server/src/shell/wasmFuel.ts).
 */
export function runawayShell(lines: number): string {
  return (
    '\n} | \n\n} | \n\n} |<<-EOF\n<<-EOF\n<<-EOF\n} | \n\n} |$(( \n\n' +
    '} | \n\n'.repeat(lines) +
    '}<!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd"'
  );
}
