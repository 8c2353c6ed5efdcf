import { headerKey, isListHeader } from './header-names.ts';
import { trimWhitespace } from './lexical.ts';

/** One header line as received: its name keeps its spelling, its value is unfolded. */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

/**
 * The ordered header fields of a message (RFC 3261 §7.3). Order and repetition are kept
 * because they carry meaning (Via and Route order, §7.3.1), and original names are kept so
 * a message can be written back as it came. Lookups are case-insensitive and understand
 * compact forms.
 */
export class SipHeaders {
  private fields: HeaderField[];

  constructor(fields: Iterable<HeaderField> = []) {
    this.fields = [...fields];
  }

  /** All header lines in wire order. */
  entries(): readonly HeaderField[] {
    return this.fields;
  }

  has(name: string): boolean {
    const key = headerKey(name);
    return this.fields.some((field) => headerKey(field.name) === key);
  }

  /** The value of the first line with this name, unsplit. */
  get(name: string): string | undefined {
    const key = headerKey(name);
    return this.fields.find((field) => headerKey(field.name) === key)?.value;
  }

  /** Every line with this name, each unsplit. */
  getLines(name: string): string[] {
    const key = headerKey(name);
    return this.fields.filter((field) => headerKey(field.name) === key).map((field) => field.value);
  }

  /**
   * Every value with this name in order; for list headers (Via, Contact, Route…) lines
   * holding several comma-separated values are split (§7.3.1), empty elements kept so a
   * validator can refuse them.
   */
  getAll(name: string): string[] {
    const lines = this.getLines(name);
    return isListHeader(name) ? lines.flatMap(splitHeaderList) : lines;
  }

  append(name: string, value: string): void {
    this.fields.push({ name, value });
  }

  /** Adds a line above all others with this name, e.g. a proxy's own Via (§16.6 step 8). */
  prepend(name: string, value: string): void {
    const key = headerKey(name);
    const index = this.fields.findIndex((field) => headerKey(field.name) === key);
    this.fields.splice(index < 0 ? this.fields.length : index, 0, { name, value });
  }

  /** Replaces every line with this name by one, where the first one was (or at the end). */
  set(name: string, value: string): void {
    const key = headerKey(name);
    let replaced = false;
    const next: HeaderField[] = [];
    for (const field of this.fields) {
      if (headerKey(field.name) !== key) {
        next.push(field);
      } else if (!replaced) {
        next.push({ name: field.name, value });
        replaced = true;
      }
    }
    if (!replaced) next.push({ name, value });
    this.fields = next;
  }

  delete(name: string): void {
    const key = headerKey(name);
    this.fields = this.fields.filter((field) => headerKey(field.name) !== key);
  }

  clone(): SipHeaders {
    return new SipHeaders(this.fields);
  }
}

/**
 * Splits a list header's value on commas that are outside quoted strings and <…>
 * (a URI in brackets may hold commas, a quoted display name too).
 */
export function splitHeaderList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i];
    if (inQuotes) {
      if (char === '\\') i += 1;
      else if (char === '"') inQuotes = false;
    } else if (char === '"') {
      inQuotes = true;
    } else if (char === '<') {
      depth += 1;
    } else if (char === '>' && depth > 0) {
      depth -= 1;
    } else if (char === ',' && depth === 0) {
      parts.push(trimWhitespace(value.slice(start, i)));
      start = i + 1;
    }
  }
  parts.push(trimWhitespace(value.slice(start)));
  return parts;
}
