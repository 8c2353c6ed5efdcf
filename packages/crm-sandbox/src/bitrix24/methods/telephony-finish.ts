/**
 * telephony.externalCall.finish and telephony.externalCall.attachRecord.
 * api-reference/telephony/telephony-external-call-finish.md (STATUS_CODE defaults to 200
 * when DURATION > 0 else 304; the statistic record it returns; a call must be registered
 * first), telephony-external-call-attach-record.md (only after finish; wav or mp3 only;
 * FILENAME + FILE_CONTENT in base64, or RECORD_URL; FILENAME alone returns an upload URL)
 * — bitrix24/b24restdocs. A finished call leaves the active-call table, so a second
 * finish answers "Call is not found" (not stated by the page).
 */
import { B24Error, coreError } from '../errors.ts';
import { restAppId, type MethodDefinition, type MethodOutcome } from '../method-registry.ts';
import { param, paramInt, paramString } from '../params.ts';
import type { CallStatistic } from '../store.ts';

const callFinish: MethodDefinition = {
  name: 'telephony.externalCall.finish',
  scope: 'telephony',
  appOnly: true,
  run({ params, portal }) {
    const callId = param(params, 'CALL_ID');
    if (typeof callId !== 'string') {
      throw new B24Error(400, 'INVALID_ARGUMENT', 'CALL_ID must be a string');
    }
    const userIdParam = paramInt(params, 'USER_ID');
    const inner = paramString(params, 'USER_PHONE_INNER');
    if (userIdParam === undefined && (inner === undefined || inner === '')) {
      throw coreError('USER_ID or USER_PHONE_INNER should be set');
    }
    const call = portal.store.calls.get(callId);
    if (call === undefined || call.state !== 'registered') {
      throw coreError('Call is not found (call should be registered prior to finishing)');
    }
    const user = portal.store.findUser(userIdParam, inner);
    if (user === undefined || !user.ACTIVE) throw coreError('User is not found or is not active');

    const duration = Math.max(0, paramInt(params, 'DURATION') ?? 0);
    const statusCode = paramString(params, 'STATUS_CODE') ?? (duration > 0 ? '200' : '304');
    // A CRM activity is written only when the call is bound to a CRM entity.
    let activityId: number | null = null;
    if (call.crmEntityType !== null && call.crmEntityId !== null) {
      activityId = portal.store.nextId('activity');
      portal.store.activities.push({
        ID: activityId,
        CALL_ID: call.CALL_ID,
        OWNER_TYPE: call.crmEntityType,
        OWNER_ID: call.crmEntityId,
        RESPONSIBLE_ID: user.ID,
        DIRECTION: call.type === 1 ? 'outgoing' : 'incoming',
        DURATION: duration,
        STATUS_CODE: statusCode,
      });
    }
    const app = portal.apps.get(call.clientId);
    const statistic: CallStatistic = {
      ID: portal.store.nextId('statistic'),
      CALL_ID: call.CALL_ID,
      EXTERNAL_CALL_ID: call.externalCallId,
      PORTAL_USER_ID: user.ID,
      PHONE_NUMBER: call.phoneNumber,
      PORTAL_NUMBER: call.lineNumber ?? '',
      INCOMING: String(call.type),
      CALL_DURATION: duration,
      CALL_START_DATE: call.startDate,
      CALL_STATUS: statusCode === '200' ? 1 : 0,
      CALL_VOTE: paramInt(params, 'VOTE') ?? 0,
      COST: Number(paramString(params, 'COST') ?? 0) || 0,
      COST_CURRENCY: paramString(params, 'COST_CURRENCY') ?? '',
      CALL_FAILED_CODE: statusCode,
      CALL_FAILED_REASON: paramString(params, 'FAILED_REASON') ?? '',
      REST_APP_ID: restAppId(portal, call.clientId),
      REST_APP_NAME: app?.name ?? app?.clientId ?? '',
      CRM_ACTIVITY_ID: activityId,
      COMMENT: null,
      CRM_ENTITY_TYPE: call.crmEntityType,
      CRM_ENTITY_ID: call.crmEntityId,
    };
    call.state = 'finished';
    call.statistic = statistic;
    call.shownTo = [];
    // RECORD_URL on finish is deprecated but still accepted (finish page).
    const recordUrl = paramString(params, 'RECORD_URL');
    if (recordUrl !== undefined && recordUrl !== '') {
      call.records = [
        {
          FILE_ID: portal.store.nextId('file'),
          filename: fileNameOf(recordUrl),
          bytes: null,
          url: recordUrl,
        },
      ];
    }
    return { result: { ...statistic } };
  },
};

function fileNameOf(url: string): string {
  const path = url.split(/[?#]/)[0] ?? '';
  return path.slice(path.lastIndexOf('/') + 1);
}

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

const attachRecord: MethodDefinition = {
  name: 'telephony.externalCall.attachRecord',
  scope: 'telephony',
  appOnly: true,
  run({ params, portal }): MethodOutcome {
    const callId = paramString(params, 'CALL_ID') ?? '';
    const recordUrl = paramString(params, 'RECORD_URL');
    const filenameParam = paramString(params, 'FILENAME');
    const content = paramString(params, 'FILE_CONTENT');
    if ((recordUrl === undefined || recordUrl === '') && filenameParam === undefined) {
      throw coreError(
        'Required parameters are not set. Request should contain either URL or FILENAME parameter',
      );
    }
    const call = portal.store.calls.get(callId);
    if (call === undefined || call.state !== 'finished') {
      throw coreError(
        'Call is not found in the statistic table. It looks like it is not finished yet.',
      );
    }
    const urlMode = recordUrl !== undefined && recordUrl !== '';
    const filename = filenameParam ?? (urlMode ? fileNameOf(recordUrl) : '');
    if (filename.trim() === '') throw coreError('File name is empty');
    if (!/\.(wav|mp3)$/i.test(filename))
      throw coreError('Wrong file extension. Only wav and mp3 are allowed');
    const fileId = () => portal.store.nextId('file');
    if (urlMode) {
      // The sandbox records the URL; it does not download it (docs/crm-sandbox.md).
      call.records = [{ FILE_ID: fileId(), filename, bytes: null, url: recordUrl }];
      return { result: { FILE_ID: call.records[0]?.FILE_ID ?? 0 } };
    }
    if (content === undefined) {
      call.pendingUploadFilename = filename;
      return {
        result: {
          uploadUrl: `/rest/upload.json?token=telephony%7C${encodeURIComponent(callId)}`,
          fieldName: 'file',
        },
      };
    }
    if (content === '') throw coreError('File content is empty.');
    const compact = content.replace(/\s/g, '');
    if (compact.length % 4 === 1 || !base64Pattern.test(compact)) {
      throw coreError('File content is not properly encoded. Base64 encoding is expected.');
    }
    // "If the method is called again for the same call, the new record will replace the previous one."
    const id = fileId();
    call.records = [
      { FILE_ID: id, filename, bytes: Buffer.from(compact, 'base64').length, url: null },
    ];
    call.pendingUploadFilename = null;
    return { result: { FILE_ID: id } };
  },
};

export const telephonyFinishMethods: readonly MethodDefinition[] = [callFinish, attachRecord];
