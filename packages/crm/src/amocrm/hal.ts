import { AmoCrmError } from './errors.ts';

/**
 * Reading amoCRM's HAL answers (`_embedded.<name>[…]`, `_links.next`) defensively: a field
 * of the wrong type is a `bad_response`, not a crash deep in the connector.
 */
export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function embeddedList(body: unknown, name: string): JsonRecord[] {
  if (body === undefined) return [];
  const holder = isRecord(body) ? body._embedded : undefined;
  const list = isRecord(holder) ? holder[name] : undefined;
  if (list === undefined) return [];
  if (!Array.isArray(list))
    throw new AmoCrmError('bad_response', `_embedded.${name} is not a list`);
  return list.filter(isRecord);
}

export function requireId(record: JsonRecord, what: string): number {
  const id = record.id;
  if (typeof id !== 'number' || !Number.isInteger(id))
    throw new AmoCrmError('bad_response', `${what} without a numeric id`);
  return id;
}

export function optionalInt(record: JsonRecord, name: string): number | null {
  const value = record[name];
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

export function optionalString(record: JsonRecord, name: string): string | null {
  const value = record[name];
  return typeof value === 'string' ? value : null;
}

export function hasNextPage(body: unknown): boolean {
  const links = isRecord(body) ? body._links : undefined;
  return isRecord(links) && isRecord(links.next);
}

/** The values of a contact's PHONE multitext field (contacts-api, custom_fields_values). */
export function phoneValues(record: JsonRecord): string[] {
  const fields = record.custom_fields_values;
  if (!Array.isArray(fields)) return [];
  return fields.filter(isRecord).flatMap((field) => {
    if (field.field_code !== 'PHONE' || !Array.isArray(field.values)) return [];
    return field.values
      .filter(isRecord)
      .flatMap((value) =>
        typeof value.value === 'string' || typeof value.value === 'number'
          ? [String(value.value)]
          : [],
      );
  });
}
