import { describe, expect, it } from 'vitest';
import { usersNextLink, usersNextSince } from '../../../src-shared/platform-api';

describe('C2: GET /users next-page links (issue 10)', () => {
  it('a link made for a page gives back its cursor; the search text is encoded', () => {
    const link = usersNextLink({ limit: 1000, q: 'José & co' }, '12345');
    expect(link).toBe('</api/v1/users?since=12345&limit=1000&q=Jos%C3%A9%20%26%20co>; rel="next"');
    expect(usersNextSince(link)).toBe('12345');
    expect(usersNextSince(usersNextLink({ limit: 7 }, '0'))).toBe('0');
  });

  it('no link, another relation, or a cursor the API would refuse: no next page from the header', () => {
    expect(usersNextSince(undefined)).toBeNull();
    expect(usersNextSince('')).toBeNull();
    expect(usersNextSince('</api/v1/users?since=5&limit=10>; rel="prev"')).toBeNull();
    expect(usersNextSince('</api/v1/users?limit=10>; rel="next"')).toBeNull();
    expect(usersNextSince('</api/v1/users?since=5x&limit=10>; rel="next"')).toBeNull();
    expect(usersNextSince(`</api/v1/users?since=${'9'.repeat(21)}>; rel="next"`)).toBeNull();
    // Several links: the next one is found among them.
    expect(usersNextSince('</api/v1/users?since=1>; rel="prev", </api/v1/users?since=42&limit=10>; rel="next"')).toBe('42');
  });
});
