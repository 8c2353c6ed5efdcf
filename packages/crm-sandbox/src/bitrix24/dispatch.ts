/**
 * One method call after authentication: find the method (ERROR_METHOD_NOT_FOUND, 404),
 * check the scope (insufficient_scope, 403) and the authorization type (telephony and
 * event.bind refuse webhooks with WRONG_AUTH_TYPE, 403 — CRM-FACTS #8), then run it.
 * _includes/system-errors.md, telephony-external-line-get.md (bitrix24/b24restdocs).
 */
import type { AuthContext } from './auth.ts';
import { systemErrors } from './errors.ts';
import type { MethodOutcome, MethodTable, Portal } from './method-registry.ts';
import type { JsonObject } from './params.ts';

export type MethodCaller = (method: string, params: JsonObject, auth: AuthContext) => MethodOutcome;

/** Method names may come with a `.json` suffix (settings/how-to-call-rest-api/index.md). */
export function methodKey(method: string): string {
  return method.toLowerCase().replace(/\.json$/, '');
}

export function createMethodCaller(table: MethodTable, portal: Portal): MethodCaller {
  return (method, params, auth) => {
    const definition = table.get(methodKey(method));
    if (definition === undefined) throw systemErrors.methodNotFound();
    // `basic` methods (batch, event.*) need no granted scope.
    if (definition.scope !== 'basic' && !auth.scope.includes(definition.scope)) {
      throw systemErrors.insufficientScope();
    }
    if (definition.appOnly && auth.kind !== 'oauth') throw systemErrors.wrongAuthType();
    return definition.run({ params, auth, portal });
  };
}
