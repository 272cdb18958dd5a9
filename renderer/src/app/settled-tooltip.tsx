/**
 * Mantine's Tooltip for the shell's controls, mounted once the start has settled (start-settled.ts): until then the
 * control is rendered alone, with the same props. A dozen tooltips (the navigation, the header, the calendar's
 * toolbar: floating-ui's hooks, run for the first time) and the toasts' container rendered with the shell took the
 * page's start 22–29 ms of its main thread's CPU (bench:ui start_page_cpu, two A/B pairs of 6 starts), and nobody
 * points at a control in that time. Wrapped in the tooltip, the control is a new element for React: if it had the
 * focus, the new one gets it back (focus-keeping-ref.ts).
 */
import { cloneElement, useState, type ReactElement, type Ref } from 'react';
import { Tooltip, type TooltipProps } from '@mantine/core';
import { useMergedRef } from '@mantine/hooks';
import { focusKeepingRef } from './focus-keeping-ref.ts';
import { useStartSettled } from './start-settled.ts';

export function SettledTooltip({ children, ...tooltip }: TooltipProps & { children: ReactElement<{ ref?: Ref<HTMLElement> }> }) {
  const settled = useStartSettled();
  // One per control, for its life: React calls it only when the control's element comes or goes.
  const [keepFocus] = useState(() => focusKeepingRef<HTMLElement>());
  const ref = useMergedRef(children.props.ref, keepFocus);
  const control = cloneElement(children, { ref });
  return settled ? <Tooltip {...tooltip}>{control}</Tooltip> : control;
}
