import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { z } from 'zod';
import { isApiError, type ApiError } from '../api/api-error.ts';
import type { MessageSchema } from '../i18n/ru.ts';

/** Field path (`forwarding.busy.number`) → the message to show under that field. */
export type FieldErrors = Record<string, string>;

export function fieldErrorsFromZod(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) fields[issue.path.join('.')] ??= issue.message;
  return fields;
}

type ErrorKey = keyof MessageSchema['errors'];
const translatedCodes: readonly ErrorKey[] = [
  'network_error',
  'unexpected_response',
  'validation_failed',
  'invalid_credentials',
  'unauthenticated',
  'forbidden',
  'conflict',
  'not_found',
  'tenant_suspended',
  'rate_limited',
];

/**
 * The state of one form's errors: what the contract's schema refused before sending, and
 * what the API refused after (ProvodError details name the field). Errors that are not an
 * ApiError are bugs and go on up.
 */
export function useFormErrors() {
  const { t } = useI18n<{ message: MessageSchema }>();
  const fields = ref<FieldErrors>({});
  const summary = ref<string | null>(null);

  function clear(): void {
    fields.value = {};
    summary.value = null;
  }

  /** The parsed value, or null with the field errors shown. */
  function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> | null {
    clear();
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    fields.value = fieldErrorsFromZod(parsed.error);
    summary.value = t('form.fixErrors');
    return null;
  }

  function show(error: unknown): void {
    if (!isApiError(error)) throw error;
    fields.value = { ...error.fieldErrors };
    summary.value = describe(error);
  }

  function describe(error: ApiError): string {
    const key = translatedCodes.find((code) => code === error.code);
    return key !== undefined ? t(`errors.${key}`) : t('errors.other', { message: error.message });
  }

  /** Props for an Ant Design Form.Item showing the error of `path`. */
  function item(path: string): { validateStatus: '' | 'error'; help: string | undefined } {
    const message = fields.value[path];
    return { validateStatus: message === undefined ? '' : 'error', help: message };
  }

  return { fields, summary, clear, validate, show, item };
}
