// SIP dialogs (RFC 3261 §12): state, creation on each side, requests within a dialog
// with loose and strict routing, and CSeq ordering.
export {
  acceptInDialogRequest,
  buildAck,
  buildInDialogRequest,
  dialogAsUac,
  dialogAsUas,
  dialogIdOf,
  dialogIdOfDialog,
  dialogKey,
  DialogError,
  isDialogError,
  refreshRemoteTarget,
  tagOf,
  type Dialog,
  type InDialogCheck,
  type InDialogRequestOptions,
} from './dialog.ts';
