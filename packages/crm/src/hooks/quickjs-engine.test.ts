import { describe, expect, it } from 'vitest';
import { hookCompileError, quickJsEngine } from './quickjs-engine.ts';

describe('hooks in QuickJS', () => {
  it('runs a function on JSON input and gives its JSON answer', async () => {
    const engine = await quickJsEngine();
    expect(
      engine.run('(body, call) => ({ ...body, note: call.id })', [{ a: 1 }, { id: 'c1' }]),
    ).toEqual({
      ok: true,
      value: { a: 1, note: 'c1' },
    });
    expect(engine.run('function (call) { return null; }', [{}])).toEqual({ ok: true, value: null });
  });

  it('stops a hook that runs too long or takes too much memory', async () => {
    const engine = await quickJsEngine({ timeoutMs: 30, memoryBytes: 4 * 1024 * 1024 });
    const endless = engine.run('() => { for (;;) {} }', []);
    expect(endless.ok).toBe(false);
    expect(endless.ok ? '' : endless.error).toMatch(/time limit/);
    const greedy = engine.run(
      '() => { const parts = []; for (;;) parts.push("x".repeat(1 << 16)); }',
      [],
    );
    expect(greedy.ok).toBe(false);
    // The engine is fine afterwards: every run has its own runtime.
    expect(engine.run('() => 42', [])).toEqual({ ok: true, value: 42 });
  });

  it('has no way out: no Node, no require, no fetch', async () => {
    const engine = await quickJsEngine();
    expect(
      engine.run(
        '() => [typeof process, typeof require, typeof fetch, typeof globalThis.setTimeout]',
        [],
      ),
    ).toEqual({ ok: true, value: ['undefined', 'undefined', 'undefined', 'undefined'] });
  });

  it('reports a throw, a missing return and a non-function as errors', async () => {
    const engine = await quickJsEngine();
    expect(engine.run('() => { throw new Error("no") }', [])).toEqual({
      ok: false,
      error: 'Error: no',
    });
    const errorOf = (source: string) => {
      const result = engine.run(source, []);
      return result.ok ? null : result.error;
    };
    expect(errorOf('() => { }')).toMatch(/returned nothing/);
    expect(errorOf('42')).toMatch(/not a function/);
  });

  it('checks a source before it is saved', async () => {
    expect(await hookCompileError('(body) => body')).toBeNull();
    expect(await hookCompileError('(body) => {')).toMatch(/SyntaxError/);
    expect(await hookCompileError('"text"')).toBe('the hook is a string, not a function');
  });
});
