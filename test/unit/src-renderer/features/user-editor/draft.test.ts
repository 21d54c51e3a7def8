import { describe, expect, it } from 'vitest';
import { changesOf, draftOf, rebase, validateDraft } from '../../../../../src-renderer/features/user-editor/draft';
import { makeUser } from '../../fake-console-api';

describe('editor draft rules', () => {
  it('R3: omnichannel without WebRTC is refused before sending', () => {
    const draft = { ...draftOf(makeUser()), omnichannelEnabled: true, webrtcEnabled: false };
    expect(validateDraft(draft)).toEqual({ omnichannelEnabled: ['webrtc_required'] });
    expect(validateDraft({ ...draft, webrtcEnabled: true })).toEqual({});
  });

  it('refuses an empty name, a bad email and a bad login', () => {
    const draft = { ...draftOf(makeUser()), name: '  ', email: 'not-an-email', login: 'a b' };
    expect(Object.keys(validateDraft(draft)).sort()).toEqual(['email', 'login', 'name']);
  });

  it('sends only the changed fields', () => {
    const base = draftOf(makeUser());
    expect(changesOf(base, { ...base, webrtcEnabled: true, name: 'X' })).toEqual({ webrtcEnabled: true, name: 'X' });
    expect(changesOf(base, base)).toEqual({});
  });

  it('rebases my edits on a newer version: my fields win, the rest follow the server', () => {
    const base = draftOf(makeUser({ name: 'A', email: 'a@x.com' }));
    const mine = { ...base, name: 'Mine' };
    const theirs = { ...base, email: 'new@x.com', name: 'Theirs' };
    expect(rebase(base, mine, theirs)).toEqual({ ...theirs, name: 'Mine' });
  });

  it('issue 9 class 10: the form refuses what the platform refuses in names, emails and logins, before sending', () => {
    const base = draftOf(makeUser({ name: 'Ana', email: 'ana@x.com', login: 'ana.silva' }));
    expect(validateDraft({ ...base, name: 'Ana \u202Eavlis' }).name).toEqual(['invisible_character']);
    expect(validateDraft({ ...base, name: 'A\u200Bna' }).name).toEqual(['invisible_character']);
    expect(validateDraft({ ...base, name: 'Ana\u0007' }).name).toEqual(['ill_formed_text']);
    expect(validateDraft({ ...base, email: 'a\u200Dna@x.com' }).email).toEqual(['invisible_character']);
    expect(validateDraft(base)).toEqual({});
  });
});
