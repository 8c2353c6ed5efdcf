import { describe, expect, it } from 'vitest';
import { parsePhpQuery, splitPhpKey } from './params.ts';

describe('parsePhpQuery (PHP bracket keys)', () => {
  it('builds nested fields and lists the way PHP does', () => {
    // Form of settings/how-to-call-rest-api/data-encoding.md: FIELDS[PHONE][0][VALUE]=…
    const parsed = parsePhpQuery(
      'FIELDS%5BNAME%5D=Ivan&FIELDS[PHONE][0][VALUE]=%2B7+999+123-45-67&FIELDS[PHONE][0][VALUE_TYPE]=WORK&VALUES[]=a&VALUES[]=b&halt=0',
    );
    expect(parsed).toEqual({
      FIELDS: { NAME: 'Ivan', PHONE: [{ VALUE: '+7 999 123-45-67', VALUE_TYPE: 'WORK' }] },
      VALUES: ['a', 'b'],
      halt: '0',
    });
  });

  it('keeps non-contiguous numeric keys as an object and tolerates broken input', () => {
    expect(parsePhpQuery('a[2]=x&a[5]=y')).toEqual({ a: { '2': 'x', '5': 'y' } });
    expect(parsePhpQuery('bad=%E0%A4%A&&=v&flag')).toEqual({ bad: '%E0%A4%A', flag: '' });
    expect(splitPhpKey('x[unclosed')).toEqual(['x[unclosed']);
    expect(splitPhpKey('')).toBeUndefined();
  });
});
