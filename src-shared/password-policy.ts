/** R9 password policy, checked by the platform and, before sending, by the console's forms. */

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** Every way a password can miss the policy; the platform names them in field errors. */
export const PASSWORD_PROBLEMS = ['too_short', 'too_long', 'needs_letter', 'needs_digit', 'equals_login'] as const;
export type PasswordProblem = (typeof PASSWORD_PROBLEMS)[number];

/** Returns what is wrong with a password (empty when it meets the policy). */
export function checkPasswordPolicy(password: string, login?: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (password.length > PASSWORD_MAX_LENGTH) problems.push('too_long');
  if (!/\p{L}/u.test(password)) problems.push('needs_letter');
  if (!/\p{N}/u.test(password)) problems.push('needs_digit');
  if (login && password.trim().toLowerCase() === login.trim().toLowerCase()) problems.push('equals_login');
  return problems;
}
