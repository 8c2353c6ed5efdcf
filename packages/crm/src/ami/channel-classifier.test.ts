import { describe, expect, it } from 'vitest';
import { channelEndpoint, classifyChannel } from './channel-classifier.ts';

const config = {
  trunks: ['PJSIP/trunk-', /^SIP\/gw\d+-/],
  extensions: [/^PJSIP\/(?<ext>\d{3,4})-/, 'SIP/'],
};

describe('classifyChannel', () => {
  it.each([
    ['PJSIP/trunk-0000000b', { role: 'trunk', endpoint: 'PJSIP/trunk', extension: null }],
    ['SIP/gw1-00000003', { role: 'trunk', endpoint: 'SIP/gw1', extension: null }],
    ['PJSIP/101-0000000a', { role: 'extension', endpoint: 'PJSIP/101', extension: '101' }],
    ['SIP/2001-0000001f', { role: 'extension', endpoint: 'SIP/2001', extension: '2001' }],
    [
      'Local/101@from-internal-00000004;2',
      { role: 'other', endpoint: 'Local/101@from-internal', extension: null },
    ],
    ['PJSIP/anna-00000001', { role: 'other', endpoint: 'PJSIP/anna', extension: null }],
  ])('%s', (channel, expected) => {
    expect(classifyChannel(config, channel)).toEqual(expected);
  });

  it('checks trunks first, so a trunk is never taken for an extension', () => {
    const overlapping = { trunks: ['PJSIP/100-'], extensions: [/^PJSIP\/(?<ext>\d+)-/] };
    expect(classifyChannel(overlapping, 'PJSIP/100-00000001').role).toBe('trunk');
  });

  it('strips only the sequence suffix', () => {
    expect(channelEndpoint('PJSIP/my-trunk-0000000c')).toBe('PJSIP/my-trunk');
    expect(channelEndpoint('DAHDI/i1/79001234567-5')).toBe('DAHDI/i1/79001234567');
  });
});
