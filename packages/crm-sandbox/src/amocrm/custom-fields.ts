import { isJsonObject, type Json } from './json.ts';
import type { CustomFieldDef, CustomFieldValue, EntityType } from './model.ts';
import type { ItemReader } from './validate.ts';

/**
 * The predefined fields every amoCRM account has: contacts and companies keep phones and
 * e-mails in multitext custom fields with `field_code` PHONE / EMAIL and enum codes WORK,
 * MOB, … (as in the contacts-api examples; https://docs.itgrix.ru/custom_amo relies on the
 * same PHONE/WORK field). The ids are
 * the sandbox's own; a connector must read them from GET /api/v4/{entity}/custom_fields.
 */
const phoneEnums = ['WORK', 'WORKDD', 'MOB', 'FAX', 'HOME', 'OTHER'];
const emailEnums = ['WORK', 'PRIV', 'OTHER'];

function multitext(
  id: number,
  entity: EntityType,
  code: string,
  name: string,
  enums: string[],
): CustomFieldDef {
  return {
    id,
    name,
    code,
    type: 'multitext',
    entity_type: entity,
    enums: enums.map((value, index) => ({ id: id * 10 + index + 1, value, sort: (index + 1) * 2 })),
  };
}

export const customFieldDefs: readonly CustomFieldDef[] = [
  multitext(100001, 'contacts', 'PHONE', 'Телефон', phoneEnums),
  multitext(100002, 'contacts', 'EMAIL', 'Email', emailEnums),
  multitext(100011, 'companies', 'PHONE', 'Телефон', phoneEnums),
  multitext(100012, 'companies', 'EMAIL', 'Email', emailEnums),
  {
    id: 100021,
    name: 'Источник звонка',
    code: null,
    type: 'text',
    entity_type: 'leads',
    enums: [],
  },
];

export function fieldsOf(entity: EntityType): CustomFieldDef[] {
  return customFieldDefs.filter((def) => def.entity_type === entity);
}

/**
 * Reads `custom_fields_values` of one item: each entry names its field by `field_id` or
 * `field_code` and carries `values: [{ value, enum_id? | enum_code? }]`. An unknown field
 * is `NotSupportedChoice` at `custom_fields_values.N.field_id`, as in the vendor's example.
 */
export function readCustomFields(reader: ItemReader, entity: EntityType): CustomFieldValue[] {
  const raw = reader.array('custom_fields_values');
  if (raw === undefined) return [];
  const out: CustomFieldValue[] = [];
  raw.forEach((entry: Json, index) => {
    const base = `custom_fields_values.${index}`;
    if (!isJsonObject(entry)) {
      reader.fail(base, 'InvalidType', 'This value should be of type object.');
      return;
    }
    const def = fieldsOf(entity).find(
      (candidate) =>
        (entry.field_id !== undefined && candidate.id === entry.field_id) ||
        (entry.field_id === undefined &&
          entry.field_code !== undefined &&
          candidate.code === entry.field_code),
    );
    if (def === undefined) {
      reader.fail(
        `${base}.field_id`,
        'NotSupportedChoice',
        'The value you selected is not a valid choice.',
      );
      return;
    }
    const values = entry.values;
    if (!Array.isArray(values) || values.length === 0) {
      reader.fail(`${base}.values`, 'FieldMissing', 'This field is missing.');
      return;
    }
    const parsed: CustomFieldValue['values'][number][] = [];
    values.forEach((value: Json, valueIndex) => {
      const path = `${base}.values.${valueIndex}`;
      if (
        !isJsonObject(value) ||
        (typeof value.value !== 'string' && typeof value.value !== 'number')
      ) {
        reader.fail(`${path}.value`, 'InvalidType', 'This value should be of type string.');
        return;
      }
      const enumDef = def.enums.find(
        (candidate) => candidate.id === value.enum_id || candidate.value === value.enum_code,
      );
      if ((value.enum_id !== undefined || value.enum_code !== undefined) && enumDef === undefined) {
        reader.fail(
          `${path}.enum_code`,
          'NotSupportedChoice',
          'The value you selected is not a valid choice.',
        );
        return;
      }
      parsed.push(
        enumDef === undefined
          ? { value: value.value }
          : { value: value.value, enum_id: enumDef.id, enum_code: enumDef.value },
      );
    });
    out.push({
      field_id: def.id,
      field_name: def.name,
      field_code: def.code,
      field_type: def.type,
      values: parsed,
    });
  });
  return out;
}

/** The values of the PHONE field, as stored. */
export function phonesOf(values: readonly CustomFieldValue[]): string[] {
  return values
    .filter((field) => field.field_code === 'PHONE')
    .flatMap((field) => field.values.map((value) => String(value.value)));
}

/** A PHONE field value for seeding and for unsorted contacts built from a bare number. */
export function phoneField(
  entity: 'contacts' | 'companies',
  phones: readonly string[],
): CustomFieldValue[] {
  const def = fieldsOf(entity).find((candidate) => candidate.code === 'PHONE');
  if (def === undefined || phones.length === 0) return [];
  const work = def.enums[0];
  return [
    {
      field_id: def.id,
      field_name: def.name,
      field_code: def.code,
      field_type: def.type,
      values: phones.map((value) =>
        work === undefined ? { value } : { value, enum_id: work.id, enum_code: work.value },
      ),
    },
  ];
}
