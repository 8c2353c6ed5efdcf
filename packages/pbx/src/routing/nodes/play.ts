import { follow, type NodeHandler } from '../node-handler.ts';

/**
 * docs/routing-schemes.md, play: a message `repeat` times, answered or as early media
 * (RFC 3960) so the caller is not billed; `next: null` hangs up after it (autoresponder).
 */
export const playHandler: NodeHandler<'play'> = {
  needs: (node) => (node.answer ? 'answered' : 'media'),
  async run(node, ctx) {
    for (let i = 0; i < node.repeat; i++) await ctx.actions.playPrompt(node.prompt);
    const times = node.repeat === 1 ? 'once' : `${node.repeat} times`;
    const how = node.answer ? '' : ' as early media';
    return follow(node.next, 'played', `played ${times}${how}`);
  },
};
