import { isJsonObject, type Json, type JsonObject } from './json.ts';
import { validationProblem, type FieldError, type ItemErrors } from './problem.ts';

/**
 * Reads one item of a batch body field by field, collecting amoCRM-style field errors
 * (`code`, `path`, `detail`) instead of failing on the first. The codes and messages
 * follow the one example the error reference shows (`NotSupportedChoice`, "The value you
 * selected is not a valid choice."); the others (`FieldMissing`, `InvalidType`,
 * `NotFound`, `ExtraField`) are the sandbox's choice — see docs/crm-sandbox.md.
 */
export class ItemReader {
  constructor(
    readonly item: JsonObject,
    private readonly prefix = '',
    /** Shared with the parent reader, so nested errors belong to the item's request_id. */
    readonly errors: FieldError[] = [],
  ) {}

  path(name: string): string {
    return this.prefix === '' ? name : `${this.prefix}.${name}`;
  }

  fail(name: string, code: string, detail: string): void {
    this.errors.push({ code, path: this.path(name), detail });
  }

  missing(name: string): void {
    this.fail(name, 'FieldMissing', 'This field is missing.');
  }

  private wrongType(name: string, type: string): void {
    this.fail(name, 'InvalidType', `This value should be of type ${type}.`);
  }

  string(name: string, required = false): string | undefined {
    const value = this.item[name];
    if (value === undefined || value === null) {
      if (required) this.missing(name);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.wrongType(name, 'string');
      return undefined;
    }
    if (required && value === '') this.fail(name, 'NotBlank', 'This value should not be blank.');
    return value;
  }

  int(name: string, required = false, min = 0): number | undefined {
    const value = this.item[name];
    if (value === undefined || value === null) {
      if (required) this.missing(name);
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.wrongType(name, 'int');
      return undefined;
    }
    if (value < min) {
      this.fail(
        name,
        'GreaterThanOrEqual',
        `This value should be greater than or equal to ${min}.`,
      );
      return undefined;
    }
    return value;
  }

  bool(name: string): boolean | undefined {
    const value = this.item[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.wrongType(name, 'bool');
      return undefined;
    }
    return value;
  }

  choice<T extends string>(name: string, choices: readonly T[], required = false): T | undefined {
    const value = this.string(name, required);
    if (value === undefined) return undefined;
    const found = choices.find((choice) => choice === value);
    if (found === undefined) this.notSupported(name);
    return found;
  }

  object(name: string, required = false): JsonObject | undefined {
    const value = this.item[name];
    if (value === undefined || value === null) {
      if (required) this.missing(name);
      return undefined;
    }
    if (!isJsonObject(value)) {
      this.wrongType(name, 'object');
      return undefined;
    }
    return value;
  }

  array(name: string): Json[] | undefined {
    const value = this.item[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.wrongType(name, 'array');
      return undefined;
    }
    return value;
  }

  /** A reader for a nested object whose errors land in this item's list. */
  nested(name: string, required = false): ItemReader | undefined {
    const value = this.object(name, required);
    if (value === undefined) return undefined;
    return new ItemReader(value, this.path(name), this.errors);
  }

  notSupported(name: string): void {
    this.fail(name, 'NotSupportedChoice', 'The value you selected is not a valid choice.');
  }

  notFound(name: string): void {
    this.fail(name, 'NotFound', 'An entity with this id was not found.');
  }

  /** Fields the route does not know, for the `unknownFields: 'reject'` option. */
  rejectExtra(known: readonly string[]): void {
    for (const key of Object.keys(this.item)) {
      if (!known.includes(key)) this.fail(key, 'ExtraField', 'This field was not expected.');
    }
  }
}

/**
 * amoCRM v4 write methods take a JSON array of items. Each is read by `readItem`; if any
 * item has errors the whole request is refused with 400 and every item's errors, keyed by
 * its `request_id` (the one the caller sent, else its index).
 */
export function readBatch<T>(
  body: unknown,
  readItem: (reader: ItemReader, index: number) => T,
  maxItems = 250,
): { items: T[]; requestIds: string[] } {
  if (!Array.isArray(body) || body.length === 0) {
    throw validationProblem([
      {
        request_id: '0',
        errors: [
          { code: 'InvalidType', path: '', detail: 'This value should be a non-empty array.' },
        ],
      },
    ]);
  }
  if (body.length > maxItems) {
    throw validationProblem([
      {
        request_id: '0',
        errors: [{ code: 'TooMany', path: '', detail: `At most ${maxItems} items per request.` }],
      },
    ]);
  }
  const items: T[] = [];
  const requestIds: string[] = [];
  const failed: ItemErrors[] = [];
  body.forEach((raw: unknown, index) => {
    const requestId =
      isJsonObject(raw) && typeof raw.request_id === 'string' ? raw.request_id : String(index);
    requestIds.push(requestId);
    if (!isJsonObject(raw)) {
      failed.push({
        request_id: requestId,
        errors: [
          {
            code: 'InvalidType',
            path: String(index),
            detail: 'This value should be of type object.',
          },
        ],
      });
      return;
    }
    const reader = new ItemReader(raw);
    const item = readItem(reader, index);
    if (reader.errors.length > 0) failed.push({ request_id: requestId, errors: reader.errors });
    else items.push(item);
  });
  if (failed.length > 0) throw validationProblem(failed);
  return { items, requestIds };
}
