import variant from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  shouldInterruptAfterDeadline,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import type { HookEngine, HookResult } from '../connector/hooks.ts';

export interface HookLimits {
  /** Wall time one hook may run; then QuickJS interrupts it. */
  readonly timeoutMs: number;
  /** Heap of one hook's runtime. */
  readonly memoryBytes: number;
}

export const defaultHookLimits: HookLimits = { timeoutMs: 50, memoryBytes: 8 * 1024 * 1024 };

let module: Promise<QuickJSWASMModule> | undefined;

/**
 * Hooks run in QuickJS compiled to WebAssembly (quickjs-emscripten): a separate JS engine
 * with its own heap, no access to Node, the network or the files, interrupted after
 * `timeoutMs` and stopped at `memoryBytes`. Each run gets a fresh runtime, so hooks share
 * nothing between calls. Input and output cross as JSON.
 */
export async function quickJsEngine(limits: HookLimits = defaultHookLimits): Promise<HookEngine> {
  module ??= newQuickJSWASMModuleFromVariant(variant);
  const quickjs = await module;
  return {
    run(source: string, input: readonly unknown[]): HookResult {
      const runtime = quickjs.newRuntime();
      runtime.setMemoryLimit(limits.memoryBytes);
      runtime.setMaxStackSize(256 * 1024);
      runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + limits.timeoutMs));
      const vm = runtime.newContext();
      try {
        const code = [
          '"use strict";',
          `const hook = (${source}\n);`,
          'if (typeof hook !== "function") throw new TypeError("the hook is not a function");',
          `const result = hook(...${JSON.stringify(input)});`,
          'if (result === undefined) throw new TypeError("the hook returned nothing");',
          'JSON.stringify(result);',
        ].join('\n');
        const evaluated = vm.evalCode(code, 'hook.js');
        if (evaluated.error) {
          const error: unknown = vm.dump(evaluated.error);
          evaluated.error.dispose();
          return { ok: false, error: describe(error) };
        }
        const text: unknown = vm.dump(evaluated.value);
        evaluated.value.dispose();
        if (typeof text !== 'string')
          return { ok: false, error: 'the hook returned no JSON value' };
        return { ok: true, value: JSON.parse(text) as unknown };
      } finally {
        vm.dispose();
        runtime.dispose();
      }
    },
  };
}

/**
 * Why a hook's source is no function expression (a syntax error, a value), or null: what
 * the API checks before it saves a hook. The source is evaluated, not called.
 */
export async function hookCompileError(
  source: string,
  limits: HookLimits = defaultHookLimits,
): Promise<string | null> {
  const engine = await quickJsEngine(limits);
  const check = `() => { const hook = (${source}\n); return typeof hook; }`;
  const result = engine.run(check, []);
  if (!result.ok) return result.error;
  return result.value === 'function'
    ? null
    : `the hook is a ${String(result.value)}, not a function`;
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    const text = [name, message].filter((part) => typeof part === 'string').join(': ');
    if (text !== '') return text.includes('interrupted') ? `${text} (time limit)` : text;
  }
  return String(error);
}
