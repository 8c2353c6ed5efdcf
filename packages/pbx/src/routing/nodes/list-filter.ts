import type { RoutingNodeOf } from '@provod/contracts';
import { hungUp, type NodeHandler } from '../node-handler.ts';

type NumberList = RoutingNodeOf<'list_filter'>['blacklist'];

/**
 * docs/routing-schemes.md, list_filter: the black list is checked first (a number on it
 * is refused even if a prefix of the white list matches), then the white list.
 */
export const listFilterHandler: NodeHandler<'list_filter'> = {
  needs: () => 'nothing',
  async run(node, ctx) {
    const caller = ctx.call.caller;
    const black = matchIn(node.blacklist, caller);
    if (black !== undefined) {
      return node.blacklisted === null
        ? { outcome: 'blacklisted', note: `${caller} ${black}: rejected`, end: hungUp('rejected') }
        : { outcome: 'blacklisted', note: `${caller} ${black}`, next: node.blacklisted };
    }
    const white = matchIn(node.whitelist, caller);
    if (white !== undefined && node.whitelisted !== null) {
      return { outcome: 'whitelisted', note: `${caller} ${white}`, next: node.whitelisted };
    }
    const note =
      white === undefined ? `${caller} is on neither list` : `${caller} ${white}; no priority path`;
    return { outcome: 'otherwise', note, next: node.otherwise };
  },
};

/**
 * Numbers and prefixes are digits with an optional `+`; a trunk may present the same
 * caller with or without it, so the `+` is ignored on both sides.
 */
function matchIn(list: NumberList, caller: string): string | undefined {
  const digits = withoutPlus(caller);
  const number = list.numbers.find((n) => withoutPlus(n) === digits);
  if (number !== undefined) return `matches ${number}`;
  const prefix = list.prefixes.find((p) => digits.startsWith(withoutPlus(p)));
  return prefix === undefined ? undefined : `matches prefix ${prefix}`;
}

function withoutPlus(number: string): string {
  return number.startsWith('+') ? number.slice(1) : number;
}
