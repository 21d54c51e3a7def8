/**
 * The user's data fields and the section "Opções da tela do Atendente" (R1, R3). Shared by the
 * editor and the new-user screen.
 */
import { useTranslation } from 'react-i18next';
import { PROFILES } from '../../../src-shared/domain';
import type { FieldErrors } from '../../../src-shared/errors';
import { Checkbox, Field } from '../../ui/field';
import type { Draft, DraftField } from './draft';

type UserFormProps = {
  idPrefix: string;
  draft: Draft;
  errors: FieldErrors;
  /** When set, every field is read-only (R2/C1). */
  disabled: boolean;
  /** When set, the omnichannel option alone is disabled (R6 for non-support creators). */
  omnichannelDisabledReason?: string | null;
  /** Whether the signed-in profile may give the support profile (only Support may). */
  supportProfileAllowed: boolean;
  onChange<F extends DraftField>(field: F, value: Draft[F]): void;
};

/** Data fields + agent screen options. */
export function UserForm({ idPrefix, draft, errors, disabled, omnichannelDisabledReason, supportProfileAllowed, onChange }: UserFormProps) {
  const { t } = useTranslation();
  const id = (f: string) => `${idPrefix}-${f}`;
  return (
    <div className="user-form">
      <div className="form-grid">
        <Field id={id('name')} label={t('editor.name')} errors={errors.name}>
          {(p) => <input {...p} value={draft.name} disabled={disabled} autoComplete="off" onChange={(e) => onChange('name', e.target.value)} />}
        </Field>
        <Field id={id('email')} label={t('editor.email')} errors={errors.email}>
          {(p) => <input {...p} type="email" value={draft.email} disabled={disabled} autoComplete="off" onChange={(e) => onChange('email', e.target.value)} />}
        </Field>
        <Field id={id('login')} label={t('editor.login')} errors={errors.login}>
          {(p) => <input {...p} value={draft.login} disabled={disabled} autoComplete="off" onChange={(e) => onChange('login', e.target.value)} />}
        </Field>
        <Field id={id('profile')} label={t('editor.profile')} errors={errors.profile}>
          {(p) => (
            <select {...p} value={draft.profile} disabled={disabled} onChange={(e) => onChange('profile', e.target.value as Draft['profile'])}>
              {PROFILES.map((profile) => {
                const locked = profile === 'support' && !supportProfileAllowed;
                return (
                  <option key={profile} value={profile} disabled={locked}>
                    {locked ? t('editor.profileSupportOnly', { profile: t(`profiles.${profile}`) }) : t(`profiles.${profile}`)}
                  </option>
                );
              })}
            </select>
          )}
        </Field>
      </div>
      <Checkbox id={id('active')} label={t('editor.active')} checked={draft.active} disabled={disabled} errors={errors.active} onChange={(v) => onChange('active', v)} />
      <fieldset className="section">
        <legend>{t('editor.agentOptions')}</legend>
        <Checkbox
          id={id('webrtcEnabled')}
          label={t('editor.webrtc')}
          checked={draft.webrtcEnabled}
          disabled={disabled}
          errors={errors.webrtcEnabled}
          hint={t('editor.webrtcHint')}
          onChange={(v) => onChange('webrtcEnabled', v)}
        />
        <Checkbox
          id={id('omnichannelEnabled')}
          label={t('editor.omnichannel')}
          checked={draft.omnichannelEnabled}
          disabled={disabled || !!omnichannelDisabledReason}
          errors={errors.omnichannelEnabled}
          hint={omnichannelDisabledReason ?? undefined}
          onChange={(v) => onChange('omnichannelEnabled', v)}
        />
      </fieldset>
    </div>
  );
}
