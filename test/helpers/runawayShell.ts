/**
 * Broken shell on which tree-sitter-bash's error recovery is exponential in `lines` (found by the
 * OpenVPN fuzz target, seed 1991278394): pending `<<-EOF` here-documents, an unclosed `$((`,
 * `lines` lines of `} |`, then an XML-looking tail. Unguarded, 16 lines parse in 30 ms, 28 in
 * 1.8 s, 40 in hours; the parser reads nothing new meanwhile (server/src/shell/wasmFuel.ts).
 * The same happens with `$(` for `$((` and with lines of `fi |` or `esac |`.
 */
export function runawayShell(lines: number, line = '} | ', open = '$(('): string {
  return (
    `\n} | \n\n} | \n\n} |<<-EOF\n<<-EOF\n<<-EOF\n} | \n\n} |${open} \n\n` +
    `${line}\n\n`.repeat(lines) +
    '}<!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd"'
  );
}

/** The known shapes of runaway text: [what, line, open]. */
export const runawayShapes: ReadonlyArray<readonly [string, string, string]> = [
  ['lines of `} |` after `$((`', '} | ', '$(('],
  ['lines of `fi |` after `$((`', 'fi | ', '$(('],
  ['lines of `esac |` after `$((`', 'esac | ', '$(('],
  ['lines of `} |` after `$(`', '} | ', '$('],
];
