import { describe, expect, it } from 'vitest';
import { csvDocument, csvField, csvRecord, utf8Bom } from './csv.ts';

describe('csvField', () => {
  it('leaves plain values alone', () => {
    expect(csvField('+74951234567')).toBe('+74951234567');
    expect(csvField('')).toBe('');
    expect(csvField("it's fine; really")).toBe("it's fine; really");
  });

  it('quotes commas, and doubles quotes inside quotes (RFC 4180 §2.6, §2.7)', () => {
    expect(csvField('Smith, John')).toBe('"Smith, John"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('"')).toBe('""""');
  });

  it('quotes line breaks of every kind', () => {
    expect(csvField('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
  });

  it('keeps Cyrillic as it is', () => {
    expect(csvField('Приёмная')).toBe('Приёмная');
    expect(csvField('Иванов, Пётр')).toBe('"Иванов, Пётр"');
  });
});

describe('csvDocument', () => {
  it('starts with the UTF-8 BOM and ends every record with CRLF', () => {
    const text = csvDocument([
      ['Кто', 'Куда'],
      ['Иванов, Пётр', 'a "b"\nc'],
    ]);
    expect(text.startsWith(utf8Bom)).toBe(true);
    expect(text).toBe(`${utf8Bom}Кто,Куда\r\n"Иванов, Пётр","a ""b""\nc"\r\n`);
    // The BOM is the three bytes EF BB BF once encoded, as Excel looks for them.
    const bytes = new TextEncoder().encode(text);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('is just the BOM without records', () => {
    expect(csvDocument([])).toBe(utf8Bom);
    expect(csvRecord([])).toBe('');
  });
});
