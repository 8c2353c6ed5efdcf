/**
 * CSV as RFC 4180 describes it (https://www.rfc-editor.org/rfc/rfc4180#section-2): fields
 * separated by commas, records by CRLF; a field holding a comma, a double quote, CR or LF is
 * enclosed in double quotes, and a double quote inside is doubled.
 */

const needsQuotes = /[",\r\n]/;

export function csvField(value: string): string {
  return needsQuotes.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

/**
 * The UTF-8 byte order mark. Excel reads a CSV file without it in the system's legacy code
 * page (Windows-1251 in Russia), which turns Cyrillic into mojibake; with it, as UTF-8.
 */
export const utf8Bom = '\uFEFF';

/** A whole file: the BOM, then every record ending in CRLF. */
export function csvDocument(records: readonly (readonly string[])[]): string {
  return utf8Bom + records.map((record) => `${csvRecord(record)}\r\n`).join('');
}
