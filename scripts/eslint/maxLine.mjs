// A line-length rule for what Prettier cannot break: it wraps code at printWidth, but leaves a long
// comment, string or regular expression as it is. ESLint's own max-len is deprecated (formatting
// rules left its core), and this is all of it that Hooksmith needs: every line, no exceptions.

/** @type {import('eslint').Rule.RuleModule} */
export const maxLine = {
  meta: {
    type: 'layout',
    docs: { description: 'Lines are at most `max` characters (code points), comments and strings included.' },
    schema: [{ type: 'object', properties: { max: { type: 'integer', minimum: 1 } }, required: ['max'], additionalProperties: false }],
    messages: { long: 'This line is {{length}} characters long; the limit is {{max}}. Split the comment or string (Prettier cannot).' },
  },
  create(context) {
    const { max } = context.options[0];
    return {
      Program() {
        context.sourceCode.lines.forEach((line, i) => {
          const length = [...line].length;
          if (length > max)
            context.report({
              loc: { start: { line: i + 1, column: 0 }, end: { line: i + 1, column: line.length } },
              messageId: 'long',
              data: { length, max },
            });
        });
      },
    };
  },
};
