/**
 * Template syntax, deliberately tiny so managers can edit it safely:
 *
 * - `{{name}}` inserts a placeholder; spaces inside the braces are allowed (`{{ name }}`); a name is a letter followed
 *   by letters or digits.
 * - `\{` and `\}` write a literal brace; `\\` writes a backslash. A backslash before anything else is kept as is.
 * - Any other `{` or `}` is an error, so a typo like `{clientName}` is refused instead of reaching a client verbatim.
 */

export type TemplatePart =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'placeholder'; readonly name: string; readonly index: number };

export interface TemplateSyntaxError {
  /** 0-based character index in the template text. */
  readonly index: number;
  readonly message: string;
}

export interface ParsedTemplate {
  readonly parts: readonly TemplatePart[];
  readonly errors: readonly TemplateSyntaxError[];
}

const NAME = /^[A-Za-z][A-Za-z0-9]*$/;

export function parseTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const errors: TemplateSyntaxError[] = [];
  let buf = '';
  const flush = (): void => {
    if (buf !== '') parts.push({ kind: 'text', value: buf });
    buf = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '{' || next === '}' || next === '\\') {
        buf += next;
        i += 2;
      } else {
        buf += c;
        i += 1;
      }
      continue;
    }
    if (c === '{' && text[i + 1] === '{') {
      const close = text.indexOf('}}', i + 2);
      const nextOpen = text.indexOf('{{', i + 2);
      if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
        errors.push({ index: i, message: `unclosed '{{' at position ${i + 1}: a placeholder is written {{name}}` });
        i += 2;
        continue;
      }
      const name = text.slice(i + 2, close).trim();
      if (!NAME.test(name)) {
        errors.push({
          index: i,
          message: `invalid placeholder '${text.slice(i, close + 2)}' at position ${i + 1}: a name is letters and digits, e.g. {{clientName}}`,
        });
      } else {
        flush();
        parts.push({ kind: 'placeholder', name, index: i });
      }
      i = close + 2;
      continue;
    }
    if (c === '{' || c === '}') {
      const hint = c === '}' && text[i + 1] === '}' ? `unmatched '}}'` : `single '${c}'`;
      errors.push({
        index: i,
        message: `${hint} at position ${i + 1}: write {{name}} for a placeholder or \\${c} for a literal brace`,
      });
      i += c === '}' && text[i + 1] === '}' ? 2 : 1;
      continue;
    }
    buf += c;
    i += 1;
  }
  flush();
  return { parts, errors };
}

/** Names of the placeholders a template uses, in order of first use, each once. */
export function placeholdersIn(text: string): string[] {
  const names: string[] = [];
  for (const p of parseTemplate(text).parts) if (p.kind === 'placeholder' && !names.includes(p.name)) names.push(p.name);
  return names;
}

/** Escapes text so that parseTemplate reads it back literally. */
export function escapeTemplateText(text: string): string {
  return text.replace(/[\\{}]/g, (c) => `\\${c}`);
}
