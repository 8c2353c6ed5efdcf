import { describe, expect, it } from 'vitest';
import { chooseFailure } from './failure-choice.ts';

describe('the status a caller hears when every contact failed', () => {
  it.each([
    { statuses: [486, 408], expected: 486, why: 'busy beats unreachable' },
    { statuses: [480, 404], expected: 480, why: 'unavailable beats other 4xx' },
    { statuses: [603, 486], expected: 603, why: 'a 6xx ends the search' },
    { statuses: [408, 503], expected: 480, why: 'nobody reachable sounds unavailable' },
    { statuses: [500], expected: 480, why: 'a phone’s own error is not the caller’s' },
    { statuses: [488, 415], expected: 415, why: 'lowest code within the class' },
    { statuses: [302, 486], expected: 486, why: 'busy still beats a redirect' },
  ])('$statuses → $expected ($why)', ({ statuses, expected }) => {
    expect(chooseFailure(statuses)).toBe(expected);
  });
});
