import { capabilitiesFrom } from '../../../../app/services/dify/difyFiles';

describe('capabilitiesFrom (GET /parameters file_upload, dify-api.md §6.9)', () => {
  it('takes the allowed types of newer builds', () => {
    const caps = capabilitiesFrom({ file_upload: { enabled: true, allowed_file_types: ['image', 'document'] } });
    expect(['image', 'document', 'audio', 'video', 'custom'].map((t) => caps.accepts(t as 'image'))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('takes anything when custom is allowed or no list is given', () => {
    expect(capabilitiesFrom({ file_upload: { enabled: true, allowed_file_types: ['custom'] } }).accepts('video')).toBe(
      true,
    );
    expect(capabilitiesFrom({ file_upload: { enabled: true } }).accepts('audio')).toBe(true);
  });

  it('takes only images when only the older vision switch is on', () => {
    const caps = capabilitiesFrom({ file_upload: { image: { enabled: true } } });
    expect([caps.accepts('image'), caps.accepts('document')]).toEqual([true, false]);
  });

  it('takes nothing when upload is off, and leaves the decision to Dify when the setting is absent', () => {
    expect(capabilitiesFrom({ file_upload: { enabled: false, image: { enabled: false } } }).accepts('image')).toBe(
      false,
    );
    expect(capabilitiesFrom({ opening_statement: '' }).accepts('image')).toBe(true);
  });
});
