/**
 * Issue 9 class 2 (R11): an account's identity-provider settings must be Microsoft's. Pure; the
 * platform enforces it when the settings are saved and again at every sign-in, and a form can
 * pre-check with it. A local test authority is allowed only when the platform was started with it
 * (`extraAuthorityOrigins`), never through the API.
 */

/**
 * Microsoft Entra ID's cloud authority hosts: the global service, Azure Government, and Azure
 * operated by 21Vianet (its current host and the older `chinacloudapi.cn` one). Azure Germany
 * (`login.microsoftonline.de`) closed in 2021 and is not accepted.
 */
export const MICROSOFT_AUTHORITY_HOSTS = ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'] as const;

/** Entra tenant and application ids are GUIDs. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Field problems of the settings; each is an error code of errors.ts with its message. */
export type IdentityProviderProblem = 'guid_required' | 'authority_not_https' | 'authority_not_microsoft' | 'authority_tenant_mismatch';

/** What is checked. */
export interface IdentityProviderSettings {
  tenantId: string;
  clientId: string;
  authority: string;
}

/**
 * The field problems of identity-provider settings (empty when they are Microsoft's): tenant and
 * client ids are GUIDs; the authority is `https://<Microsoft authority host>/<tenant id>` (a
 * trailing `/v2.0` allowed) with no port, credentials, query or fragment, and its tenant is the
 * configured one. `extraAuthorityOrigins` (e.g. `https://127.0.0.1:8443`) are accepted as hosts
 * too: a local test provider, allowed only by the platform's start options.
 */
export function checkIdentityProviderSettings(
  settings: IdentityProviderSettings,
  options: { extraAuthorityOrigins?: readonly string[] } = {},
): Partial<Record<keyof IdentityProviderSettings, IdentityProviderProblem[]>> {
  const problems: Partial<Record<keyof IdentityProviderSettings, IdentityProviderProblem[]>> = {};
  const tenantId = settings.tenantId.trim();
  if (!GUID.test(tenantId)) problems.tenantId = ['guid_required'];
  if (!GUID.test(settings.clientId.trim())) problems.clientId = ['guid_required'];
  let url: URL;
  try {
    url = new URL(settings.authority.trim());
  } catch {
    problems.authority = ['authority_not_microsoft'];
    return problems;
  }
  if (url.protocol !== 'https:') {
    problems.authority = ['authority_not_https'];
    return problems;
  }
  const extra = (options.extraAuthorityOrigins ?? []).some((origin) => origin.toLowerCase() === url.origin.toLowerCase());
  const microsoft = (MICROSOFT_AUTHORITY_HOSTS as readonly string[]).includes(url.hostname.toLowerCase()) && url.port === '';
  if ((!microsoft && !extra) || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    problems.authority = ['authority_not_microsoft'];
    return problems;
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const versioned = segments.length === 2 && segments[1] === 'v2.0';
  if (!(segments.length === 1 || versioned) || segments[0]?.toLowerCase() !== tenantId.toLowerCase()) {
    problems.authority = ['authority_tenant_mismatch'];
  }
  return problems;
}

/** The authority as stored and published: `https://<host>/<tenant id>/v2.0` (the v2.0 token issuer). */
export function normalizeAuthority(authority: string): string {
  const url = new URL(authority.trim());
  const tenant = (url.pathname.split('/').filter(Boolean)[0] ?? '').toLowerCase();
  return `${url.origin}/${tenant}/v2.0`;
}
