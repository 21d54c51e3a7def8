/**
 * Error codes shared by the platform API, the console's main process and the renderer, with their
 * messages in both locales (C5). The platform answers every 4xx as `{ error: ApiError }`; the IPC
 * router forwards the same shape, so a code means the same thing everywhere.
 */
import { z } from 'zod';

/** R11: the exact message of the vendor article for self-managed (Microsoft IdP) accounts. */
export const SELF_MANAGED_MESSAGE_PT = 'Este usuário pertence a um grupo autogerenciado. Entre em contato com Administrador da conta';

export const ERROR_CODES = [
  // 400
  'validation_failed',
  'malformed_request',
  'invisible_character',
  // 401
  'unauthorized',
  'invalid_credentials',
  'session_expired',
  'invalid_token',
  // 403
  'forbidden',
  'omnichannel_creation_support_only',
  'support_operator_scope',
  'console_access_denied',
  'cross_site_request',
  // 404
  'not_found',
  // 409
  'queue_logout_confirmation_required',
  'conflict',
  'login_taken',
  'email_taken',
  'extension_taken',
  'no_free_extension',
  // 412 / 428
  'stale_version',
  'precondition_required',
  // 413
  'payload_too_large',
  // 415
  'unsupported_media_type',
  // 421
  'misdirected_request',
  // 422
  'webrtc_required',
  'chat_queue_requires_omnichannel',
  'voice_queue_requires_extension',
  'self_managed_account',
  'password_policy',
  'password_mismatch',
  'reset_token_invalid',
  'idempotency_key_mismatch',
  'identity_provider_disabled',
  'identity_provider_invalid',
  'identity_provider_unreachable',
  'identity_provider_issuer_mismatch',
  // 422 field problems of identity_provider_invalid
  'guid_required',
  'authority_not_https',
  'authority_not_microsoft',
  'authority_tenant_mismatch',
  // 429
  'rate_limited',
  // console-side (never sent by the platform)
  'offline',
  'network_error',
  'timeout',
  'internal_error',
  'not_signed_in',
  'cancelled',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** Field errors: field name → error codes (or messages) for that field. */
export const FieldErrorsSchema = z.record(z.string(), z.array(z.string()));
export type FieldErrors = z.infer<typeof FieldErrorsSchema>;

export const ApiErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  fieldErrors: FieldErrorsSchema.optional(),
  /** Code-specific data, e.g. the queue sessions of `queue_logout_confirmation_required`. */
  details: z.unknown().optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
export const ApiErrorBodySchema = z.object({ error: ApiErrorSchema });

export type Locale = 'pt-BR' | 'en';
export const LOCALES = ['pt-BR', 'en'] as const satisfies readonly Locale[];

/** Human messages for every code, in both locales. */
export const ERROR_MESSAGES: Record<ErrorCode, Record<Locale, string>> = {
  validation_failed: { 'pt-BR': 'Dados inválidos. Verifique os campos destacados.', en: 'Invalid data. Check the highlighted fields.' },
  malformed_request: { 'pt-BR': 'Requisição malformada.', en: 'Malformed request.' },
  invisible_character: {
    'pt-BR': 'Remova os caracteres invisíveis (espaço de largura zero, controle de direção do texto) deste campo.',
    en: 'Remove the invisible characters (zero-width spaces, text-direction controls) from this field.',
  },
  unauthorized: { 'pt-BR': 'Faça login para continuar.', en: 'Sign in to continue.' },
  invalid_credentials: { 'pt-BR': 'Conta, login ou senha inválidos.', en: 'Invalid account, login or password.' },
  session_expired: { 'pt-BR': 'Sua sessão expirou. Faça login novamente.', en: 'Your session expired. Sign in again.' },
  invalid_token: { 'pt-BR': 'Token de acesso inválido.', en: 'Invalid access token.' },
  forbidden: { 'pt-BR': 'Seu perfil não tem permissão para esta ação.', en: 'Your profile is not allowed to do this.' },
  omnichannel_creation_support_only: {
    'pt-BR': 'Criar usuário já habilitado para uso omnichannel é ação exclusiva do Suporte.',
    en: 'Creating a user with omnichannel enabled is reserved to Support.',
  },
  support_operator_scope: {
    'pt-BR': 'O perfil Suporte é da equipe do fornecedor e existe somente no escopo do operador da plataforma, não em contas de clientes.',
    en: "The Support profile is the vendor's staff and exists only in the platform's operator scope, never in a customer account.",
  },
  console_access_denied: {
    'pt-BR': 'Seu perfil não tem acesso ao console. Atendentes usam a plataforma de atendimento; se precisar de acesso, fale com o administrador da conta.',
    en: 'Your profile has no access to the console. Agents use the agent platform; if you need access, ask your account administrator.',
  },
  not_found: { 'pt-BR': 'Não encontrado.', en: 'Not found.' },
  queue_logout_confirmation_required: {
    'pt-BR': 'Esta edição fará o logout do usuário na(s) fila(s). Confirme para continuar.',
    en: 'This edit logs the user out of their queue(s). Confirm to continue.',
  },
  conflict: { 'pt-BR': 'Conflito com o estado atual.', en: 'Conflicts with the current state.' },
  login_taken: { 'pt-BR': 'Este login já está em uso nesta conta.', en: 'This login is already used in this account.' },
  email_taken: { 'pt-BR': 'Este e-mail já está em uso nesta conta.', en: 'This email is already used in this account.' },
  extension_taken: { 'pt-BR': 'Este ramal já está associado a outro usuário.', en: 'This extension is already associated with another user.' },
  no_free_extension: { 'pt-BR': 'Não há ramal livre nesta conta.', en: 'This account has no free extension.' },
  stale_version: {
    'pt-BR': 'Outra pessoa alterou este registro. Recarregue para ver a versão atual.',
    en: 'Someone else changed this record. Reload to see the current version.',
  },
  precondition_required: { 'pt-BR': 'Cabeçalho If-Match obrigatório.', en: 'The If-Match header is required.' },
  payload_too_large: { 'pt-BR': 'Requisição grande demais.', en: 'Request too large.' },
  unsupported_media_type: {
    'pt-BR': 'Tipo de conteúdo não aceito: envie application/json.',
    en: 'Unsupported content type: send application/json.',
  },
  misdirected_request: {
    'pt-BR': 'Esta plataforma não atende a este nome de host.',
    en: 'This platform does not answer for this host name.',
  },
  cross_site_request: {
    'pt-BR': 'Envio recusado: o formulário não veio desta plataforma.',
    en: 'Refused: the form was not sent from this platform.',
  },
  webrtc_required: {
    'pt-BR': 'Habilite o WebRTC para habilitar o agente para uso omnichannel.',
    en: 'Enable WebRTC to enable the agent for omnichannel use.',
  },
  chat_queue_requires_omnichannel: {
    'pt-BR': 'Somente usuários habilitados para uso omnichannel podem entrar em filas de chat.',
    en: 'Only omnichannel-enabled users may join chat queues.',
  },
  voice_queue_requires_extension: {
    'pt-BR': 'Somente usuários com ramal podem entrar em filas de voz.',
    en: 'Only users with an extension may join voice queues.',
  },
  self_managed_account: {
    'pt-BR': SELF_MANAGED_MESSAGE_PT,
    en: 'This user belongs to a self-managed group. Contact the account Administrator',
  },
  password_policy: {
    'pt-BR': 'A senha não atende à política: mínimo de 12 caracteres, sem caracteres de controle, nem comum nem deduzível do login, nome, e-mail, conta ou produto.',
    en: 'The password does not meet the policy: at least 12 characters, no control characters, neither common nor guessable from the login, name, email, account or product.',
  },
  password_mismatch: { 'pt-BR': 'As senhas não conferem.', en: 'The passwords do not match.' },
  reset_token_invalid: {
    'pt-BR': 'Este link de redefinição é inválido, já foi usado ou expirou.',
    en: 'This reset link is invalid, was already used or has expired.',
  },
  idempotency_key_mismatch: {
    'pt-BR': 'Esta chave de idempotência já foi usada com outra requisição.',
    en: 'This idempotency key was already used for another request.',
  },
  identity_provider_disabled: {
    'pt-BR': 'O login Microsoft não está habilitado nesta conta.',
    en: 'Microsoft sign-in is not enabled for this account.',
  },
  identity_provider_invalid: {
    'pt-BR': 'As configurações do provedor de identidade devem ser de uma autoridade da Microsoft com o mesmo locatário. Verifique os campos destacados.',
    en: 'The identity provider settings must name a Microsoft authority of the same tenant. Check the highlighted fields.',
  },
  identity_provider_unreachable: {
    'pt-BR': 'A autoridade não respondeu com sua configuração OpenID e suas chaves de assinatura; o provedor não foi habilitado.',
    en: 'The authority did not answer with its OpenID configuration and signing keys; the provider was not enabled.',
  },
  identity_provider_issuer_mismatch: {
    'pt-BR': 'A configuração OpenID da autoridade indica outro emissor; o provedor não foi habilitado.',
    en: "The authority's OpenID configuration names another issuer; the provider was not enabled.",
  },
  guid_required: { 'pt-BR': 'Informe um identificador (GUID) do Microsoft Entra ID.', en: 'Enter a Microsoft Entra ID identifier (GUID).' },
  authority_not_https: { 'pt-BR': 'A autoridade deve usar https.', en: 'The authority must use https.' },
  authority_not_microsoft: {
    'pt-BR': 'A autoridade deve ser um endereço de login da Microsoft (por exemplo https://login.microsoftonline.com/<locatário>/v2.0).',
    en: 'The authority must be a Microsoft sign-in address (for example https://login.microsoftonline.com/<tenant>/v2.0).',
  },
  authority_tenant_mismatch: {
    'pt-BR': 'O locatário da autoridade deve ser o ID do locatário informado.',
    en: "The authority's tenant must be the tenant id entered.",
  },
  rate_limited: { 'pt-BR': 'Muitas tentativas. Aguarde e tente novamente.', en: 'Too many attempts. Wait and try again.' },
  offline: {
    'pt-BR': 'Sem conexão com a plataforma: alterações estão desabilitadas.',
    en: 'No connection to the platform: changes are disabled.',
  },
  network_error: { 'pt-BR': 'Não foi possível falar com a plataforma.', en: 'Could not reach the platform.' },
  timeout: { 'pt-BR': 'A plataforma demorou demais para responder.', en: 'The platform took too long to answer.' },
  internal_error: { 'pt-BR': 'Erro inesperado.', en: 'Unexpected error.' },
  not_signed_in: { 'pt-BR': 'Faça login para continuar.', en: 'Sign in to continue.' },
  cancelled: { 'pt-BR': 'Operação cancelada.', en: 'Operation cancelled.' },
};

/** Maps an Accept-Language header (or a locale setting) to a supported locale; pt-BR by default. */
export function pickLocale(acceptLanguage: string | undefined | null): Locale {
  if (!acceptLanguage) return 'pt-BR';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'pt-BR';
}

export function errorMessage(code: ErrorCode, locale: Locale): string {
  return ERROR_MESSAGES[code][locale];
}

/** HTTP status of each platform code. */
export const ERROR_STATUS: Partial<Record<ErrorCode, number>> = {
  validation_failed: 400,
  malformed_request: 400,
  invisible_character: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  session_expired: 401,
  invalid_token: 401,
  forbidden: 403,
  omnichannel_creation_support_only: 403,
  support_operator_scope: 403,
  console_access_denied: 403,
  not_found: 404,
  queue_logout_confirmation_required: 409,
  conflict: 409,
  login_taken: 409,
  email_taken: 409,
  extension_taken: 409,
  no_free_extension: 409,
  stale_version: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  misdirected_request: 421,
  cross_site_request: 403,
  precondition_required: 428,
  webrtc_required: 422,
  chat_queue_requires_omnichannel: 422,
  voice_queue_requires_extension: 422,
  self_managed_account: 422,
  password_policy: 422,
  password_mismatch: 422,
  reset_token_invalid: 422,
  idempotency_key_mismatch: 422,
  identity_provider_disabled: 422,
  identity_provider_invalid: 422,
  identity_provider_unreachable: 422,
  identity_provider_issuer_mismatch: 422,
  guid_required: 422,
  authority_not_https: 422,
  authority_not_microsoft: 422,
  authority_tenant_mismatch: 422,
  rate_limited: 429,
};
