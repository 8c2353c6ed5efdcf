import { describe, expect, it } from 'vitest';
import { headerKey, isListHeader } from './header-names.ts';
import { SipHeaders, splitHeaderList } from './headers.ts';

describe('headerKey (RFC 3261 §7.3.1, §7.3.3)', () => {
  it('lower-cases names and expands compact forms', () => {
    expect(headerKey('Call-ID')).toBe('call-id');
    expect(['i', 'm', 'e', 'l', 'c', 'f', 's', 'k', 't', 'v'].map(headerKey)).toEqual([
      'call-id',
      'contact',
      'content-encoding',
      'content-length',
      'content-type',
      'from',
      'subject',
      'supported',
      'to',
      'via',
    ]);
    expect(['o', 'r', 'u', 'x', 'y', 'b'].map(headerKey)).toEqual([
      'event',
      'refer-to',
      'allow-events',
      'session-expires',
      'identity',
      'referred-by',
    ]);
    expect(headerKey('Q')).toBe('q');
  });

  it('splits list headers only', () => {
    expect(isListHeader('v')).toBe(true);
    expect(isListHeader('WWW-Authenticate')).toBe(false);
    expect(isListHeader('X-Unknown')).toBe(false);
  });
});

describe('SipHeaders', () => {
  const headers = () =>
    new SipHeaders([
      { name: 'Via', value: 'SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2' },
      { name: 'v', value: 'SIP/2.0/TCP c;branch=z9hG4bK3' },
      { name: 'To', value: '"Doe, John" <sip:j@x>' },
      { name: 'm', value: '"a,b" <sip:a@x;p=1,2>;q=0.5, <sip:b@x>' },
      { name: 'WWW-Authenticate', value: 'Digest realm="x", nonce="y", qop="auth,auth-int"' },
      { name: 'Date', value: 'Sat, 13 Nov 2010 23:29:00 GMT' },
    ]);

  it('looks up case-insensitively, across compact and full names, in order', () => {
    const h = headers();
    expect(h.get('VIA')).toBe('SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2');
    expect(h.getAll('via')).toEqual([
      'SIP/2.0/UDP a;branch=z9hG4bK1',
      'SIP/2.0/UDP b;branch=z9hG4bK2',
      'SIP/2.0/TCP c;branch=z9hG4bK3',
    ]);
    expect(h.getLines('Via')).toHaveLength(2);
    expect(h.has('t')).toBe(true);
    expect(h.get('missing')).toBeUndefined();
  });

  it('splits lists outside quotes and <>, never the headers whose values hold commas', () => {
    const h = headers();
    expect(h.getAll('contact')).toEqual(['"a,b" <sip:a@x;p=1,2>;q=0.5', '<sip:b@x>']);
    expect(h.getAll('www-authenticate')).toHaveLength(1);
    expect(h.getAll('date')).toEqual(['Sat, 13 Nov 2010 23:29:00 GMT']);
    expect(h.getAll('to')).toEqual(['"Doe, John" <sip:j@x>']);
  });

  it('appends, prepends above the first of a name, sets in place and deletes', () => {
    const h = headers();
    h.prepend('Via', 'SIP/2.0/UDP proxy;branch=z9hG4bK0');
    expect(h.entries()[0]).toEqual({ name: 'Via', value: 'SIP/2.0/UDP proxy;branch=z9hG4bK0' });
    h.set('v', 'SIP/2.0/UDP only;branch=z9hG4bK9');
    expect(h.getLines('via')).toEqual(['SIP/2.0/UDP only;branch=z9hG4bK9']);
    expect(h.entries()[0]?.name).toBe('Via');
    h.set('Max-Forwards', '70');
    expect(h.entries().at(-1)).toEqual({ name: 'Max-Forwards', value: '70' });
    h.append('Max-Forwards', '69');
    h.delete('max-forwards');
    expect(h.has('Max-Forwards')).toBe(false);
    expect(h.clone().entries()).toEqual(h.entries());
  });
});

describe('splitHeaderList', () => {
  it('keeps empty elements so validators can refuse them', () => {
    expect(splitHeaderList('a,,b')).toEqual(['a', '', 'b']);
  });

  it('is not fooled by escaped quotes', () => {
    expect(splitHeaderList('"x\\",y" <sip:a@b>, <sip:c@d>')).toEqual([
      '"x\\",y" <sip:a@b>',
      '<sip:c@d>',
    ]);
  });
});
