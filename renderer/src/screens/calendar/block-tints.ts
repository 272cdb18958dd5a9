/**
 * The tints of appointment blocks as literal colours, one class per staff colour. Mixed in every block from a custom
 * property (`color-mix(in srgb, var(--fd-c) 18%, var(--mantine-color-body))` and four more), each block's style
 * recalculation substituted and parsed them again: at a day switch that was about a third of the style time of some
 * 200 blocks. These rules hold the mixes with the colours written out, which the browser works out once per rule.
 * The body and text colours of both schemes come from the Mantine theme, as its CSS variables do.
 */

/** The body and text colours of one colour scheme (Mantine's --mantine-color-body and --mantine-color-text). */
export interface SchemeColors {
  body: string;
  text: string;
}

export interface ThemeSchemes {
  light: SchemeColors;
  dark: SchemeColors;
}

/** What Mantine's default CSS variables resolver sets for both schemes. */
export function themeSchemes(theme: { white: string; black: string; colors: { dark: readonly string[] } }): ThemeSchemes {
  return {
    light: { body: theme.white, text: theme.black },
    dark: { body: theme.colors.dark[7] ?? '#242424', text: theme.colors.dark[0] ?? '#c9c9c9' },
  };
}

const HEX_COLOR = /^#[0-9a-f]{6}$/;

/** The class of a block of this staff colour; a colour that is not #rrggbb (staff colours are) gets `fallback`'s. */
export function tintClass(color: string, fallback: string): string {
  const hex = color.toLowerCase();
  return `fd-tint-${(HEX_COLOR.test(hex) ? hex : fallback.toLowerCase()).slice(1)}`;
}

const mix = (color: string, percent: number, other: string) => `color-mix(in srgb, ${color} ${percent}%, ${other})`;

/**
 * The rules of `colors` (each #rrggbb; others are left out, see tintClass). Scheme-free parts with the class alone,
 * so the static rules of a state (cancelled: no ring; dragged: a larger shadow) outrank them.
 */
export function blockTintRules(colors: Iterable<string>, schemes: ThemeSchemes): string {
  const rules: string[] = [];
  for (const color of new Set([...colors].map((c) => c.toLowerCase()))) {
    if (!HEX_COLOR.test(color)) continue;
    const cls = `.fd-tint-${color.slice(1)}`;
    // The ring is inside the block: outside, two visits back to back filled the 2 px between them with their rings
    // and read as one block (square corners since cdd6524 no longer told them apart).
    rules.push(`${cls}{border-left-color:${color};box-shadow:inset 0 0 0 1px ${mix(color, 22, 'transparent')}}`);
    // --fd-c only for what a block shows now and then (the dragged block's outline and label, the resize grip): a
    // custom property in every block would be one more value to work out in each.
    rules.push(`${cls}[data-dragging],${cls}[data-resizable]:hover{--fd-c:${color}}`);
    for (const [scheme, { body, text }] of Object.entries(schemes) as [string, SchemeColors][]) {
      const on = `[data-mantine-color-scheme='${scheme}'] ${cls}`;
      rules.push(
        `${on}{background-color:${mix(color, 18, body)}}`,
        `${on}[data-status='completed']{background-color:${mix(color, 9, body)}}`,
        `${on}[data-status='cancelled'],${on}[data-status='noShow']{background:repeating-linear-gradient(135deg,${mix(color, 8, body)} 0 6px,${mix(color, 18, body)} 6px 12px)}`,
        // Secondary text: mixed from the text colour, not the grey "dimmed" (below AA on tints).
        `${on} .fd-dim{color:${mix(text, 82, color)}}`,
      );
    }
  }
  return rules.join('\n');
}
