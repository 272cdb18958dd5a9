/**
 * A few options side by side, one chosen: the DOM and classes of Mantine's SegmentedControl (so it looks and reads the
 * same: a radio group, Tab to the chosen option, arrows to change it), without its sliding indicator. Mantine places
 * that indicator from the options' measured boxes in an effect, which forced a layout of the whole page in the start's
 * first commit and watches the options with two ResizeObservers: the language switch alone cost the page's start
 * ~30 ms of its main thread's CPU (bench:ui, start_page_cpu). The chosen option is drawn by Mantine's own stylesheet
 * instead (its rule for a control whose indicator is not placed yet), and the choice moves at once.
 */
import { useId, type CSSProperties } from 'react';
import { SegmentedControl } from '@mantine/core';

const classes = SegmentedControl.classes;

/** Mantine's --sc-padding and font size for the sizes used here. */
const SIZES: Record<'xs' | 'sm', Record<string, string>> = {
  xs: { '--sc-padding': 'calc(0.125rem * var(--mantine-scale)) calc(0.375rem * var(--mantine-scale))', '--sc-font-size': 'var(--mantine-font-size-xs)' },
  sm: { '--sc-padding': 'calc(0.1875rem * var(--mantine-scale)) calc(0.625rem * var(--mantine-scale))', '--sc-font-size': 'var(--mantine-font-size-sm)' },
};

export interface SegmentedRadiosProps<V extends string> {
  value: V;
  options: readonly { value: V; label: string }[];
  onChange(value: V): void;
  size?: 'xs' | 'sm';
  'aria-label'?: string;
  'data-testid'?: string;
}

export function SegmentedRadios<V extends string>({ value, options, onChange, size = 'sm', 'aria-label': label, 'data-testid': testId }: SegmentedRadiosProps<V>) {
  const name = useId();
  const style = { ...SIZES[size], '--sc-shadow': 'var(--mantine-shadow-xs)' } as CSSProperties;
  return (
    <div className={classes.root} role="radiogroup" aria-label={label} data-testid={testId} style={style}>
      {options.map((option) => {
        const id = `${name}-${option.value}`;
        const active = option.value === value;
        return (
          <div key={option.value} className={classes.control} data-active={active || undefined}>
            <input className={classes.input} type="radio" name={name} value={option.value} id={id} checked={active} onChange={() => onChange(option.value)} data-focus-ring="auto" />
            <label className={classes.label} htmlFor={id} data-active={active || undefined}>
              <span className={classes.innerLabel}>{option.label}</span>
            </label>
          </div>
        );
      })}
    </div>
  );
}
