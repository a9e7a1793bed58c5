import { Located } from './lintFiles';

const commands = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' } as const;

/**
 * GitHub Actions workflow commands, one annotation per finding:
 * `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=CODE::message`, with `file` relative to the
 * repository root (`relativeFile` gives it; absolute when outside) as annotations need it.
 */
export function formatGithub(diagnostics: readonly Located[], relativeFile: (file: string) => string): string {
  return diagnostics
    .map((d) => {
      const properties = [
        ['file', relativeFile(d.file)],
        ['line', d.line],
        ['col', d.column],
        ['endLine', d.endLine],
        ['endColumn', d.endColumn],
        ['title', d.code],
      ].map(([k, v]) => `${k}=${escapeProperty(String(v))}`);
      return `::${commands[d.severity]} ${properties.join(',')}::${escapeData(d.message)}\n`;
    })
    .join('');
}

/** The runner's own escaping for a command's message: %, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value also escapes the separators `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
