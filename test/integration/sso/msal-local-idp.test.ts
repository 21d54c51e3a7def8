import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntraKeySource, verifyEntraAccessToken } from '../../../src-platform/auth/microsoft/verify-entra-token';
import { MsalMicrosoftSignIn, type MicrosoftProviderSettings } from '../../../src-main/auth/microsoft/msal-sign-in';
import { startLocalIdp, type LocalIdp } from '../../support/local-idp';

class MemorySecretStore {
  readonly values = new Map<string, string>();
  get(key: string) {
    return this.values.get(key) ?? null;
  }
  set(key: string, value: string) {
    this.values.set(key, value);
  }
  delete(key: string) {
    this.values.delete(key);
  }
}

let idp: LocalIdp;
let settings: MicrosoftProviderSettings;

beforeAll(async () => {
  idp = await startLocalIdp({ users: [{ oid: 'oid-ana', login: 'ana@contoso.example', name: 'Ana Souza' }] });
  settings = { authority: idp.issuer, tenantId: idp.tenantId, clientId: idp.clientId, scopes: [idp.apiScope, 'offline_access'] };
});
afterAll(async () => idp?.close());

describe('MSAL against the local Entra-shaped provider', () => {
  it('R11: signs in with auth code + PKCE and the token verifies with jose', { timeout: 20_000 }, async () => {
    const store = new MemorySecretStore();
    const signIn = new MsalMicrosoftSignIn({
      secretStore: store,
      ca: idp.caCert,
      interactiveTimeoutMs: 15_000,
      openBrowser: async (url) => {
        void idp.signInWithHttp(url, 'oid-ana').catch((e: unknown) => console.error(e));
      },
    });
    const tokens = await signIn.signIn(settings);
    const claims = await verifyEntraAccessToken(tokens.accessToken, {
      authority: idp.issuer,
      tenantId: idp.tenantId,
      clientId: idp.clientId,
      jwks: createEntraKeySource(idp.issuer, { ca: idp.caCert }),
    });
    expect(claims.oid).toBe('oid-ana');
  });
});
