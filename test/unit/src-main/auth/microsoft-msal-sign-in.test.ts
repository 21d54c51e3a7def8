import { describe, expect, it } from 'vitest';
import type { ProvidersResponse } from '../../../../src-shared/platform-api';
import { MemorySecretStore } from '../../../../src-main/auth/secret-store';
import { MicrosoftSignInError, MsalMicrosoftSignIn, msalAuthorityOf } from '../../../../src-main/auth/microsoft/msal-sign-in';
import { createMsalNetworkClient } from '../../../../src-main/auth/microsoft/msal-network-client';
import { ServiceError } from '../../../../src-main/errors';

const tenant = '11111111-2222-3333-4444-555555555555';

function service(opened: string[] = []) {
  return new MsalMicrosoftSignIn({ secretStore: new MemorySecretStore(), openBrowser: async (url) => void opened.push(url) });
}

const providers = (microsoft: ProvidersResponse['microsoft']): ProvidersResponse => ({
  password: microsoft === null,
  microsoft,
  selfManaged: microsoft !== null,
});

describe('MsalMicrosoftSignIn', () => {
  it('R11: derives the MSAL authority from the issuer the platform stores (no /v2.0, no trailing slash)', () => {
    expect(msalAuthorityOf({ authority: `https://login.microsoftonline.com/${tenant}/v2.0` })).toBe(`https://login.microsoftonline.com/${tenant}`);
    expect(msalAuthorityOf({ authority: `https://login.microsoftonline.com/${tenant}/` })).toBe(`https://login.microsoftonline.com/${tenant}`);
  });

  it('R11: an account without a Microsoft provider is refused with identity_provider_disabled, no browser opened', async () => {
    const opened: string[] = [];
    const error = await service(opened)
      .signIn({ account: 'acme', providers: providers(null), exchange: async () => Promise.reject(new Error('must not exchange')) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MicrosoftSignInError);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'identity_provider_disabled', reason: 'invalid_settings' });
    expect(opened).toEqual([]);
  });

  it('C3: refuses a non-HTTPS authority before any network or browser step', async () => {
    const opened: string[] = [];
    const settings = { authority: `http://login.example.test/${tenant}/v2.0`, clientId: 'client', scopes: ['api://client/access_as_user'] };
    await expect(service(opened).signInInteractive('acme', settings)).rejects.toMatchObject({ reason: 'invalid_settings' });
    await expect(service(opened).signInInteractive('acme', { ...settings, authority: 'not a url' })).rejects.toMatchObject({ reason: 'invalid_settings' });
    expect(opened).toEqual([]);
  });

  it('R11: with nothing cached, silent sign-in answers null and sign-out is harmless', async () => {
    const store = new MemorySecretStore();
    const signIn = new MsalMicrosoftSignIn({ secretStore: store, openBrowser: async () => {} });
    const settings = { authority: `https://login.example.test/${tenant}/v2.0`, clientId: 'client', scopes: ['api://client/access_as_user'] };
    expect(await signIn.acquireTokenSilent('acme', settings)).toBeNull();
    await signIn.signOut('acme');
    expect(await signIn.currentAccount('acme', settings)).toBeNull();
  });

  it('C3: the network client with an extra CA refuses plain-HTTP identity endpoints', async () => {
    const client = createMsalNetworkClient('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    await expect(client.sendGetRequestAsync('http://127.0.0.1:9/x')).rejects.toThrow(/non-HTTPS/);
  });
});
