/**
 * Turns the AMI event stream of Asterisk 13–20 into finished calls: one CallRecord per
 * Linkedid ("Uniqueid of the oldest channel associated with this channel",
 * https://docs.asterisk.org/Asterisk_18_Documentation/API_Documentation/AMI_Events/Newchannel/).
 *
 * Events used, each as documented for Asterisk 18 (…/API_Documentation/AMI_Events/<name>/):
 * Newchannel (a channel joins its call; the first one fixes caller, DID and start),
 * Newstate (kept for the channel's state), DialBegin/DialEnd (who rang, DialStatus),
 * BridgeEnter (an answer without Dial, e.g. call pickup), Hangup (Cause; the last one ends
 * the call), Cdr (the originator's disposition; its arrival closes the call), VarSet
 * (MIXMONITOR_FILENAME, the recording,
 * https://docs.asterisk.org/Asterisk_18_Documentation/API_Documentation/Dialplan_Applications/MixMonitor/),
 * BlindTransfer and AttendedTransfer (who transferred to whom).
 *
 * When channels are bridged Asterisk moves them all to the oldest Linkedid, so a channel
 * may show up under a new Linkedid (the target of an attended transfer does): the channel
 * then moves to that call. An attended transfer's consultation call is folded into the
 * call that was transferred.
 *
 * A call is emitted after its last Hangup once the originator's Cdr arrives (Asterisk
 * raises Cdr after the hangups, when cdr_manager is loaded), or `settleMs` after the end
 * (`tick`), or on `flush()`.
 */
import type { CallRecord } from '../call-model.ts';
import {
  answeringRole,
  directionOf,
  toCallRecord,
  type CallState,
  type ChannelState,
} from './call-state.ts';
import { classifyChannel, type ChannelClassifierConfig } from './channel-classifier.ts';
import type { AmiMessage } from './message.ts';
import { eventTimeMs } from './transcript.ts';

export interface CallAssemblerOptions {
  readonly channels: ChannelClassifierConfig;
  /** Time of events without a `Timestamp` header (manager.conf `timestampevents = no`). */
  readonly nowMs?: () => number;
  /** How long an ended call waits for its Cdr before `tick` emits it; default 5 s. */
  readonly settleMs?: number;
}

export class CallAssembler {
  private readonly calls = new Map<string, CallState>();
  private readonly channels = new Map<string, ChannelState>();
  private readonly nowMs: () => number;

  constructor(
    private readonly options: CallAssemblerOptions,
    private readonly onCall: (call: CallRecord) => void,
  ) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** Calls still going on or waiting for their Cdr. */
  get openCalls(): number {
    return this.calls.size;
  }

  push(event: AmiMessage): void {
    const at = eventTimeMs(event) ?? this.nowMs();
    switch (event.event) {
      case 'Newchannel':
        this.newChannel(event, at);
        return;
      case 'DialBegin':
        this.dialBegin(event);
        return;
      case 'DialEnd':
        this.dialEnd(event, at);
        return;
      case 'BridgeEnter':
        this.bridgeEnter(event, at);
        return;
      case 'Hangup':
        this.hangup(event, at);
        return;
      case 'Cdr':
        this.cdr(event);
        return;
      case 'VarSet':
        this.varSet(event);
        return;
      case 'BlindTransfer':
        this.blindTransfer(event, at);
        return;
      case 'AttendedTransfer':
        this.attendedTransfer(event, at);
        return;
      default:
        // Newstate and the rest still carry a channel snapshot: follow Linkedid changes.
        this.channelOf(event, '');
    }
  }

  /** Emits the ended calls whose Cdr has not come within settleMs. */
  tick(nowMs: number = this.nowMs()): void {
    const settle = this.options.settleMs ?? 5000;
    for (const call of [...this.calls.values()]) {
      if (call.phase === 'ended' && call.endedMs + settle <= nowMs) this.emit(call);
    }
  }

  /** Emits every ended call now (end of a transcript, shutting down). */
  flush(): void {
    for (const call of [...this.calls.values()]) if (call.phase === 'ended') this.emit(call);
  }

  private newChannel(event: AmiMessage, at: number): void {
    const uniqueid = event.get('Uniqueid');
    const name = event.get('Channel');
    if (uniqueid === undefined || name === undefined) return;
    const linkedid = event.get('Linkedid') ?? uniqueid;
    const channel: ChannelState = {
      ...classifyChannel(this.options.channels, name),
      uniqueid,
      name,
      linkedid,
      hungUp: false,
    };
    this.channels.set(uniqueid, channel);
    let call = this.calls.get(linkedid);
    if (call === undefined) {
      call = {
        id: linkedid,
        originator: channel,
        startedMs: at,
        callerIdNum: event.get('CallerIDNum') ?? '',
        dialledExten: event.get('Exten') ?? '',
        channels: new Set(),
        phase: 'active',
        endedMs: at,
        trunk: null,
        rung: [],
        answeredBy: null,
        answeredMs: null,
        outcomes: [],
        transfers: [],
        recordingFile: null,
        hangupCause: null,
        cdrDisposition: null,
      };
      this.calls.set(linkedid, call);
    }
    call.channels.add(uniqueid);
    if (channel.role === 'trunk' && channel !== call.originator) call.trunk = channel.endpoint;
  }

  private dialBegin(event: AmiMessage): void {
    const dest = this.channelOf(event, 'Dest');
    const call = dest === undefined ? undefined : this.calls.get(dest.linkedid);
    if (dest === undefined || call === undefined) return;
    if (dest.role === 'trunk') call.trunk = dest.endpoint;
    if (dest.extension !== null && !call.rung.includes(dest.extension))
      call.rung.push(dest.extension);
  }

  private dialEnd(event: AmiMessage, at: number): void {
    const dest = this.channelOf(event, 'Dest');
    const call = dest === undefined ? undefined : this.calls.get(dest.linkedid);
    const status = event.get('DialStatus');
    if (dest === undefined || call === undefined || status === undefined) return;
    call.outcomes.push({ role: dest.role, status });
    if (status === 'ANSWER') this.answer(call, dest, at);
  }

  private bridgeEnter(event: AmiMessage, at: number): void {
    const channel = this.channelOf(event, '');
    const call = channel === undefined ? undefined : this.calls.get(channel.linkedid);
    // A second channel in the bridge means two parties talk; Dial already told us in the
    // usual case, this catches answers without Dial (Pickup, Bridge(), Originate).
    if (
      channel !== undefined &&
      call !== undefined &&
      channel !== call.originator &&
      Number(event.get('BridgeNumChannels')) >= 2
    ) {
      this.answer(call, channel, at);
    }
  }

  private answer(call: CallState, channel: ChannelState, at: number): void {
    if (call.answeredMs !== null || channel.role !== answeringRole(directionOf(call))) return;
    call.answeredMs = at;
    call.answeredBy = channel.extension;
  }

  private hangup(event: AmiMessage, at: number): void {
    const channel = this.channelOf(event, '');
    const call = channel === undefined ? undefined : this.calls.get(channel.linkedid);
    if (channel === undefined || call === undefined) return;
    channel.hungUp = true;
    const code = Number(event.get('Cause'));
    if (channel === call.originator && Number.isInteger(code)) {
      call.hangupCause = { code, text: event.get('Cause-txt') ?? '' };
    }
    if ([...call.channels].every((id) => this.channels.get(id)?.hungUp !== false)) {
      call.phase = 'ended';
      call.endedMs = at;
    }
  }

  private cdr(event: AmiMessage): void {
    const uniqueid = event.get('UniqueID');
    const channel = uniqueid === undefined ? undefined : this.channels.get(uniqueid);
    const call = channel === undefined ? undefined : this.calls.get(channel.linkedid);
    if (call === undefined || channel !== call.originator) return;
    call.cdrDisposition = event.get('Disposition') ?? null;
    if (call.phase === 'ended') this.emit(call);
  }

  private varSet(event: AmiMessage): void {
    if (event.get('Variable') !== 'MIXMONITOR_FILENAME') return;
    const channel = this.channelOf(event, '');
    const call = channel === undefined ? undefined : this.calls.get(channel.linkedid);
    const value = event.get('Value');
    if (call !== undefined && value !== undefined && value !== '') call.recordingFile = value;
  }

  private blindTransfer(event: AmiMessage, at: number): void {
    if (event.get('Result') !== 'Success') return;
    const transferer = this.channelOf(event, 'Transferer');
    const call = transferer === undefined ? undefined : this.calls.get(transferer.linkedid);
    if (transferer === undefined || call === undefined) return;
    const to = event.get('Extension') ?? null;
    call.transfers.push({
      kind: 'blind',
      from: transferer.extension,
      to,
      at: new Date(at).toISOString(),
    });
  }

  private attendedTransfer(event: AmiMessage, at: number): void {
    if (event.get('Result') !== 'Success') return;
    const first = this.channelOf(event, 'OrigTransferer');
    const second = this.channelOf(event, 'SecondTransferer');
    const call = first === undefined ? undefined : this.calls.get(first.linkedid);
    if (first === undefined || call === undefined) return;
    const consultation = second === undefined ? undefined : this.calls.get(second.linkedid);
    if (consultation !== undefined && consultation !== call) this.fold(consultation, call);
    const target = this.channelOf(event, 'TransferTarget');
    const to = target?.extension ?? event.get('SecondTransfererConnectedLineNum') ?? null;
    call.transfers.push({
      kind: 'attended',
      from: first.extension,
      to,
      at: new Date(at).toISOString(),
    });
  }

  /** Moves a call's channels and what was learnt from them into another call. */
  private fold(from: CallState, into: CallState): void {
    for (const id of from.channels) {
      const channel = this.channels.get(id);
      if (channel !== undefined) channel.linkedid = into.id;
      into.channels.add(id);
    }
    for (const extension of from.rung)
      if (!into.rung.includes(extension)) into.rung.push(extension);
    into.transfers.push(...from.transfers);
    into.recordingFile ??= from.recordingFile;
    this.calls.delete(from.id);
  }

  /**
   * The channel a snapshot (fields with `prefix`: '', 'Dest', 'Transferer'…) describes, with
   * its Linkedid brought up to date: a channel that moved to an older call goes with it.
   */
  private channelOf(event: AmiMessage, prefix: string): ChannelState | undefined {
    const uniqueid = event.get(`${prefix}Uniqueid`);
    const channel = uniqueid === undefined ? undefined : this.channels.get(uniqueid);
    const linkedid = event.get(`${prefix}Linkedid`);
    if (channel === undefined || linkedid === undefined || linkedid === channel.linkedid)
      return channel;
    const target = this.calls.get(linkedid);
    const source = this.calls.get(channel.linkedid);
    if (target !== undefined) {
      source?.channels.delete(channel.uniqueid);
      target.channels.add(channel.uniqueid);
      channel.linkedid = linkedid;
      // Its last channel gone, the old call lives on only as part of the new one.
      if (source !== undefined && source.channels.size === 0) this.fold(source, target);
    }
    return channel;
  }

  private emit(call: CallState): void {
    this.calls.delete(call.id);
    for (const id of call.channels) this.channels.delete(id);
    this.onCall(toCallRecord(call));
  }
}
