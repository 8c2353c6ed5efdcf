import { describe, expect, it } from 'vitest';
import { at, makeFixture } from '../test-fixture.ts';

describe('Bitrix24 sandbox: tasks.task.add and tasks.task.list', () => {
  it('lists tasks newest first, filtered by the whole title and the responsible', async () => {
    const { rest } = makeFixture();
    const add = (title: string, responsible: number) =>
      rest('tasks.task.add', { fields: { TITLE: title, RESPONSIBLE_ID: responsible } });
    await add('Call back +79001234567', 2);
    await add('Call back +79001234567', 1);
    await add('Call back +79001234567 later', 2);
    await add('call back +79001234567', 2);

    const reply = await rest('tasks.task.list', {
      filter: { TITLE: 'Call back +79001234567', RESPONSIBLE_ID: 2 },
      select: ['ID', 'TITLE'],
    });
    expect(reply.status).toBe(200);
    const tasks = at(reply.body, 'result', 'tasks');
    expect(Array.isArray(tasks) ? tasks.map((task) => at(task, 'id')) : tasks).toEqual(['4', '1']);
    expect(at(reply.body, 'total')).toBe(2);
  });

  it('an unfiltered list pages by 50 with next', async () => {
    // 53 requests on a frozen clock: more than the standard bucket of 50 holds.
    const { rest } = makeFixture({ limits: 'enterprise' });
    for (let i = 0; i < 51; i += 1)
      await rest('tasks.task.add', { fields: { TITLE: `Task ${i}`, RESPONSIBLE_ID: 1 } });
    const first = await rest('tasks.task.list', {});
    expect(at(first.body, 'next')).toBe(50);
    const second = await rest('tasks.task.list', { start: 50 });
    expect(at(second.body, 'result', 'tasks')).toHaveLength(1);
  });
});
