import type { NodeHandler } from '../node-handler.ts';

/** docs/routing-schemes.md, voicemail: greeting, then a message up to `maxSeconds`; ends the scheme. */
export const voicemailHandler: NodeHandler<'voicemail'> = {
  needs: () => 'answered',
  async run(node, ctx) {
    const message = await ctx.actions.recordVoicemail({
      mailbox: node.mailbox,
      greeting: node.greeting,
      maxSeconds: node.maxSeconds,
    });
    const recorded = message.kind === 'recorded';
    return {
      outcome: message.kind,
      note: recorded ? `message left in ${node.mailbox}` : 'the caller left no message',
      end: { kind: 'voicemail', mailbox: node.mailbox, recorded },
    };
  },
};
