/**
 * New user (R6). Enabling omnichannel on creation is "ação exclusiva do Suporte": for other
 * profiles the option is disabled with that reason. Afterwards the screen says which emails the
 * platform sent and which extension it associated.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { permissions, profileFitsAccount } from '../../../src-shared/domain';
import { ScreenHeader } from '../../ui/screen-header';
import { supportRule } from '../../../src-shared/rules';
import { ErrorNotice, Notice, Reason } from '../../ui/notice';
import { useAccess } from '../session/access';
import { useSessionStore } from '../session/session-store';
import { useNavigationStore } from '../shell/navigation-store';
import { UserForm } from '../user-editor/user-form';
import type { Draft, DraftField } from '../user-editor/draft';
import { useNewUserStore } from './new-user-store';
import { useQueuesStore } from '../queues/queues-store';
import { AssignmentsSection } from './assignments-section';
import { NO_ASSIGNMENTS, type Assignments } from './assignments';
import { useShallow } from 'zustand/react/shallow';

const EMPTY: Draft = { name: '', email: '', login: '', profile: 'agent', active: true, webrtcEnabled: false, omnichannelEnabled: false };

/** The new-user screen. */
export function NewUserScreen() {
  const { t } = useTranslation();
  const go = useNavigationStore((s) => s.go);
  const profile = useSessionStore((s) => s.session?.user?.profile ?? null);
  // Issue 9 class 1: the support profile is given only in the operator scope.
  const accountKind = useSessionStore((s) => s.session?.account?.kind);
  const access = useAccess('canEditUsers');
  const { busy, error, fieldErrors, result, create, reset } = useNewUserStore(useShallow((s) => ({ busy: s.busy, error: s.error, fieldErrors: s.fieldErrors, result: s.result, create: s.create, reset: s.reset })));
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [assignments, setAssignments] = useState<Assignments>(NO_ASSIGNMENTS);
  const { extensions, loadExtensions } = useNewUserStore(useShallow((s) => ({ extensions: s.extensions, loadExtensions: s.loadExtensions })));
  const { queues, queuesLoaded, loadQueues } = useQueuesStore(useShallow((s) => ({ queues: s.queues, queuesLoaded: s.loaded, loadQueues: s.load })));

  useEffect(() => reset, [reset]);
  useEffect(() => {
    void loadExtensions();
  }, [loadExtensions]);
  useEffect(() => {
    if (!queuesLoaded) void loadQueues();
  }, [queuesLoaded, loadQueues]);

  const omnichannelReason = profile && permissions.canCreateOmnichannelUser(profile) ? null : t('reasons.omnichannelSupportOnly');
  const onChange = <F extends DraftField>(field: F, value: Draft[F]) => setDraft((d) => ({ ...d, [field]: value }));

  const joinedIds = result ? [...result.user.voiceQueueIds, ...result.user.chatQueueIds] : [];
  const joined = joinedIds.map((id) => queues.find((q) => q.id === id)?.name ?? id);

  if (result) {
    return (
      <section className="screen" aria-labelledby="new-user-title">
        {/* The result message takes focus, not the title. */}
        <ScreenHeader titleId="new-user-title" breadcrumb={t('shell.breadcrumbUsers')} title={t('newUser.title')} focusTitle={false} />
        <div className="panel result-panel">
          <Notice tone="success" autoFocus>{t('newUser.created', { name: result.user.name })}</Notice>
          <h2>{t('newUser.emailsSent')}</h2>
          {result.emailsSent.length === 0 ? (
            <p className="muted">{t('newUser.noEmails')}</p>
          ) : (
            <ul className="plain-list bullets">
              {result.emailsSent.map((mail) => (
                <li key={`${mail.kind}-${mail.to}`}>{t(`newUser.mail.${mail.kind}`, { to: mail.to })}</li>
              ))}
            </ul>
          )}
          <p className="strong">{result.extension ? t('newUser.extensionAssigned', { number: result.extension.number }) : t('newUser.extensionNone')}</p>
          <p className="strong">
            {joined.length > 0 ? t('newUser.queuesJoined', { names: joined.join(', ') }) : t('newUser.queuesNone')}
          </p>
          <div className="row gap">
            <button type="button" className="button button-primary" onClick={() => go({ screen: 'user', id: result.user.id, tab: 'data' })}>
              {t('newUser.openUser')}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                reset();
                setDraft(EMPTY);
                setAssignments(NO_ASSIGNMENTS);
                void loadExtensions();
              }}
            >
              {t('newUser.another')}
            </button>
          </div>
        </div>
      </section>
    );
  }

  return (
    <section className="screen" aria-labelledby="new-user-title">
      <ScreenHeader
        titleId="new-user-title"
        breadcrumb={
          <>
            <button type="button" className="link-button" onClick={() => go({ screen: 'users' })}>
              ← {t('common.back')}
            </button>{' '}
            {t('shell.breadcrumbUsers')}
          </>
        }
        title={t('newUser.title')}
      />
      {access.reason && !access.inBanner ? <Reason>{access.reason}</Reason> : null}
      <form
        className="panel form-panel"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void create(draft, assignments, queues);
        }}
      >
        <UserForm
          idPrefix="new-user"
          draft={draft}
          errors={fieldErrors}
          disabled={!access.allowed || busy}
          omnichannelDisabledReason={omnichannelReason}
          supportProfileAllowed={!!profile && supportRule.mayGiveProfile(profile, 'support') && profileFitsAccount('support', { kind: accountKind })}
          onChange={onChange}
        />
        <AssignmentsSection
          idPrefix="new-user"
          assignments={assignments}
          extensions={extensions ?? []}
          queues={queues}
          errors={fieldErrors}
          disabled={!access.allowed || busy}
          omnichannelEnabled={draft.omnichannelEnabled}
          onChange={setAssignments}
        />
        <ErrorNotice error={error} />
        {busy ? <Notice tone="info">{t('newUser.creating')}</Notice> : null}
        <div className="row gap">
          <button type="submit" className="button button-primary" disabled={!access.allowed || busy}>
            {t('newUser.submit')}
          </button>
          <button type="button" className="button" onClick={() => go({ screen: 'users' })}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
