import { errorFields } from '../../app/logger';

describe('errorFields', () => {
  it('keeps name, message and stack and drops every other field of an error', () => {
    const err = Object.assign(new Error('request failed'), {
      config: { headers: { Authorization: 'Bearer app-secret' } },
    });
    const fields = errorFields(err);
    expect(fields).toMatchObject({ name: 'Error', message: 'request failed' });
    expect(JSON.stringify(fields)).not.toContain('app-secret');
  });

  it('describes a thrown non-error value', () => {
    expect(errorFields('boom')).toEqual({ name: 'string', message: 'boom' });
  });
});
