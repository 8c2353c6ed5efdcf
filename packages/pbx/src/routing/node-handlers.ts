import type { NodeHandlers } from './node-handler.ts';
import { conferenceHandler } from './nodes/conference.ts';
import { extensionHandler } from './nodes/extension.ts';
import { forwardHandler } from './nodes/forward.ts';
import { hangupHandler } from './nodes/hangup.ts';
import { ivrHandler } from './nodes/ivr.ts';
import { listFilterHandler } from './nodes/list-filter.ts';
import { playHandler } from './nodes/play.ts';
import { queueHandler } from './nodes/queue.ts';
import { ringGroupHandler } from './nodes/ring-group.ts';
import { scheduleHandler } from './nodes/schedule.ts';
import { voicemailHandler } from './nodes/voicemail.ts';

/** The engine's table: typed over every node kind, so a missing handler does not compile. */
export const nodeHandlers: NodeHandlers = {
  schedule: scheduleHandler,
  ivr: ivrHandler,
  queue: queueHandler,
  ring_group: ringGroupHandler,
  extension: extensionHandler,
  voicemail: voicemailHandler,
  list_filter: listFilterHandler,
  forward: forwardHandler,
  play: playHandler,
  conference: conferenceHandler,
  hangup: hangupHandler,
};
