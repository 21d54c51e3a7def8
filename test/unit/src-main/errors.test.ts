import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../../src-shared/errors';
import { ServiceError, toApiError } from '../../../src-main/errors';
import { PlatformError } from '../../../src-main/platform/platform-error';

describe('toApiError (issue 14: errors become API errors by a pure function, not through the router)', () => {
  it('C5: a service error keeps its code, field errors and details, with the message in the given locale', () => {
    const err = new PlatformError('stale_version', 412, 'stale', { fieldErrors: { name: ['required'] }, details: { current: 2 } });
    expect(toApiError(err, 'en')).toEqual({
      code: 'stale_version',
      message: errorMessage('stale_version', 'en'),
      fieldErrors: { name: ['required'] },
      details: { current: 2 },
    });
    expect(toApiError(new ServiceError('offline'), 'pt-BR')).toEqual({ code: 'offline', message: errorMessage('offline', 'pt-BR') });
  });

  it('anything else is internal_error, and its text never reaches the renderer', () => {
    const api = toApiError(new Error('SQLITE_CORRUPT at /home/someone/cache.sqlite'), 'en');
    expect(api).toEqual({ code: 'internal_error', message: errorMessage('internal_error', 'en') });
    expect(JSON.stringify(api)).not.toContain('sqlite');
    expect(toApiError('thrown string', 'pt-BR').code).toBe('internal_error');
  });
});
