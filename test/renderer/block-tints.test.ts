/** Appointment blocks take their colours from one class per staff colour, with every mix written out (no var()). */
import { describe, expect, it } from 'vitest';
import { blockTintRules, themeSchemes, tintClass } from '../../renderer/src/screens/calendar/block-tints.ts';

const schemes = { light: { body: '#fff', text: '#000' }, dark: { body: '#242424', text: '#C9C9C9' } };

describe('tintClass', () => {
  it('names the class after the colour, in lower case', () => {
    expect(tintClass('#7B1FA2', '#868e96')).toBe('fd-tint-7b1fa2');
  });

  it('gives a colour that is not #rrggbb the fallback colour\'s class', () => {
    expect(tintClass('red', '#868e96')).toBe('fd-tint-868e96');
    expect(tintClass('#fff', '#868e96')).toBe('fd-tint-868e96');
  });
});

describe('blockTintRules', () => {
  it('writes the edge, ring, tints, stripes and secondary text of each scheme as literal mixes', () => {
    const css = blockTintRules(['#7b1fa2'], schemes);
    expect(css).not.toContain('var(');
    expect(css).toContain('.fd-tint-7b1fa2{border-left-color:#7b1fa2;box-shadow:inset 0 0 0 1px color-mix(in srgb, #7b1fa2 22%, transparent)}');
    for (const [scheme, { body, text }] of Object.entries(schemes)) {
      const on = `[data-mantine-color-scheme='${scheme}'] .fd-tint-7b1fa2`;
      expect(css).toContain(`${on}{background-color:color-mix(in srgb, #7b1fa2 18%, ${body})}`);
      expect(css).toContain(`${on}[data-status='completed']{background-color:color-mix(in srgb, #7b1fa2 9%, ${body})}`);
      expect(css).toContain(`${on}[data-status='cancelled'],${on}[data-status='noShow']{background:repeating-linear-gradient(135deg,color-mix(in srgb, #7b1fa2 8%, ${body}) 0 6px,color-mix(in srgb, #7b1fa2 18%, ${body}) 6px 12px)}`);
      expect(css).toContain(`${on} .fd-dim{color:color-mix(in srgb, ${text} 82%, #7b1fa2)}`);
    }
  });

  it('sets --fd-c only on a dragged or hovered resizable block, which the drag outline and the resize grip read', () => {
    expect(blockTintRules(['#7b1fa2'], schemes)).toContain('.fd-tint-7b1fa2[data-dragging],.fd-tint-7b1fa2[data-resizable]:hover{--fd-c:#7b1fa2}');
  });

  it('writes each colour once, whatever its case, and leaves out anything that is not #rrggbb', () => {
    const css = blockTintRules(['#7B1FA2', '#7b1fa2', 'red}body{display:none', '#123'], schemes);
    expect(css.match(/^\.fd-tint-7b1fa2\{border-left-color/gm)).toHaveLength(1);
    expect(css).not.toContain('display:none');
    expect(css).not.toContain('#123');
  });
});

describe('themeSchemes', () => {
  it('takes body and text colours as Mantine\'s default resolver sets them: white/black, dark 7/dark 0', () => {
    const dark = ['#C9C9C9', '#b8b8b8', '#828282', '#696969', '#424242', '#3b3b3b', '#2e2e2e', '#242424', '#1f1f1f', '#141414'];
    expect(themeSchemes({ white: '#fff', black: '#000', colors: { dark } })).toEqual(schemes);
  });
});
