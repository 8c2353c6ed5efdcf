/**
 * im.notify (TYPE USER|SYSTEM), im.notify.personal.add, im.notify.system.add.
 * api-reference/chats/notifications/im-notify.md, im-notify-personal-add.md,
 * im-notify-system-add.md (bitrix24/b24restdocs): USER_ID_EMPTY, MESSAGE_EMPTY;
 * the result is the notification id.
 */
import { B24Error } from '../errors.ts';
import type { MethodDefinition } from '../method-registry.ts';
import { paramInt, paramString } from '../params.ts';
import type { SandboxNotification } from '../store.ts';

function notifyMethod(
  name: string,
  fixedType: SandboxNotification['type'] | undefined,
): MethodDefinition {
  return {
    name,
    scope: 'im',
    appOnly: false,
    run({ params, portal, auth }) {
      const userId = paramInt(params, 'USER_ID');
      if (userId === undefined || userId <= 0)
        throw new B24Error(400, 'USER_ID_EMPTY', "User ID can't be empty");
      const message = (paramString(params, 'MESSAGE') ?? '').trim();
      if (message === '') throw new B24Error(400, 'MESSAGE_EMPTY', "Message can't be empty");
      const requested = paramString(params, 'TYPE')?.toUpperCase();
      const type = fixedType ?? (requested === 'SYSTEM' ? 'SYSTEM' : 'USER');
      const notification: SandboxNotification = {
        id: portal.store.nextId('notification'),
        userId,
        type,
        message,
        fromUserId: type === 'USER' ? auth.userId : null,
        tag: paramString(params, 'TAG') ?? null,
      };
      portal.store.notifications.push(notification);
      return { result: notification.id };
    },
  };
}

export const imMethods: readonly MethodDefinition[] = [
  notifyMethod('im.notify', undefined),
  notifyMethod('im.notify.personal.add', 'USER'),
  notifyMethod('im.notify.system.add', 'SYSTEM'),
];
