/**
 * Links that go to a route. Mantine's NavLink and Anchor are an <a>, and one without an address is no Tab stop: rows
 * and links that only had an onClick could not be reached from the keyboard. The address makes them links like any
 * other (Tab, Enter, "open in new tab"); a plain click still goes through navigate(), which asks about unsaved edits.
 */
import type { ComponentPropsWithoutRef, MouseEvent } from 'react';
import { Anchor, NavLink, type AnchorProps, type NavLinkProps } from '@mantine/core';
import { formatRoute, navigate, type Route } from './router.ts';

type LinkProps<Own> = Own & Omit<ComponentPropsWithoutRef<'a'>, keyof Own | 'href' | 'onClick'> & { route: Route; 'data-testid'?: string };

function goTo(route: Route) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    // A modified click (new tab or window) is the browser's to handle.
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(route);
  };
}

/** A navigation or list row; `active` marks it as the page shown. */
export function RouteNavLink({ route, active, ...rest }: LinkProps<NavLinkProps>) {
  return <NavLink {...rest} active={active} aria-current={active ? 'page' : undefined} href={formatRoute(route)} onClick={goTo(route)} />;
}

/** A link in running text or a heading. */
export function RouteAnchor({ route, ...rest }: LinkProps<AnchorProps>) {
  return <Anchor {...rest} href={formatRoute(route)} onClick={goTo(route)} />;
}
