import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeTemplateText, parseTemplate, placeholdersIn } from '../../../../shared/notifications/templates/syntax.ts';

describe('parseTemplate', () => {
  it('splits text and placeholders, allowing spaces inside the braces', () => {
    expect(parseTemplate('Hi {{clientName}}, see you {{ date }}!')).toEqual({
      parts: [
        { kind: 'text', value: 'Hi ' },
        { kind: 'placeholder', name: 'clientName', index: 3 },
        { kind: 'text', value: ', see you ' },
        { kind: 'placeholder', name: 'date', index: 27 },
        { kind: 'text', value: '!' },
      ],
      errors: [],
    });
  });

  it('reads escaped braces and backslashes literally, and keeps other backslashes', () => {
    const p = parseTemplate('\\{\\{literal\\}\\} \\\\ C:\\path');
    expect(p.errors).toEqual([]);
    expect(p.parts).toEqual([{ kind: 'text', value: '{{literal}} \\ C:\\path' }]);
  });

  it('refuses unbalanced and single braces with their position', () => {
    expect(parseTemplate('Hi {{clientName').errors[0]!.message).toMatch(/^unclosed '\{\{' at position 4/);
    expect(parseTemplate('Hi {clientName}').errors.map((e) => e.index)).toEqual([3, 14]);
    expect(parseTemplate('Hi {clientName}').errors[0]!.message).toContain("single '{' at position 4: write {{name}}");
    expect(parseTemplate('done }}').errors[0]!.message).toMatch(/^unmatched '\}\}' at position 6/);
    expect(parseTemplate('{{a {{b}}').errors[0]!.message).toMatch(/^unclosed/);
    expect(parseTemplate('{{first name}}').errors[0]!.message).toMatch(/^invalid placeholder '\{\{first name\}\}'/);
    expect(parseTemplate('{{}}').errors).toHaveLength(1);
  });

  it('lists placeholders once each', () => {
    expect(placeholdersIn('{{date}} {{time}} {{date}}')).toEqual(['date', 'time']);
  });

  it('property: escaped text parses back to itself with no placeholders and no errors', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '{', '}', '\\', ' ', 'я', '😀') }), (text) => {
        const p = parseTemplate(escapeTemplateText(text));
        expect(p.errors).toEqual([]);
        expect(p.parts.map((x) => (x.kind === 'text' ? x.value : '?')).join('')).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
