/**
 * The user editor (Configurações > Usuários > editar): data and "Opções da tela do Atendente",
 * Salvar (through the R4 dialog), Ações > Redefinir senha (R5), tabs Senha (R9), Ramal (R10),
 * Filas (R8) and Histórico, and the readiness checklist (R7).
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { profileFitsAccount, type ReadinessItem } from '../../../src-shared/domain';
import { supportRule } from '../../../src-shared/rules';
import { formatDateTime, useLocale } from '../../ui/format';
import { Dialog } from '../../ui/dialog';
import { focusFirstInvalid } from '../../ui/focus';
import { MenuButton } from '../../ui/menu';
import { ScreenHeader } from '../../ui/screen-header';
import { ActionNotices, ErrorNotice, Notice, Reason } from '../../ui/notice';
import { Tabs } from '../../ui/tabs';
import { FRAME_NOTICE_ID, useAccess, useOnline, type Access } from '../session/access';
import { useSessionStore } from '../session/session-store';
import { useNavigationStore, type EditorTab } from '../shell/navigation-store';
import { AuditTab } from './audit-tab';
import { ConflictView } from './conflict-view';
import { isDirty, useEditorStore } from './editor-store';
import { ExtensionTab } from './extension-tab';
import { PasswordTab } from './password-tab';
import { QueuesTab } from './queues-tab';
import { FIX_LOCATION, ReadinessChecklist } from './readiness-checklist';
import { SaveConfirmDialog } from './save-confirm-dialog';
import { UserForm } from './user-form';
import { useShallow } from 'zustand/react/shallow';

/** The editor screen for user `id`, showing `tab`. */
export function UserEditorScreen({ id, tab, focus }: { id: string; tab: EditorTab; focus?: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const go = useNavigationStore((s) => s.go);
  const store = useEditorStore(useShallow((s) => ({ open: s.open, user: s.user, draft: s.draft, discard: s.discard, fieldErrors: s.fieldErrors, id: s.id, loadError: s.loadError, phase: s.phase, reapplied: s.reapplied, requestSave: s.requestSave, reset: s.reset, resetPassword: s.resetPassword, saveError: s.saveError, saved: s.saved, setField: s.setField, stale: s.stale })));
  const { open, user, draft } = store;
  const actorProfile = useSessionStore((s) => s.session?.user?.profile ?? null);
  // Issue 9 class 1: the support profile is given only in the operator scope.
  const accountKind = useSessionStore((s) => s.session?.account?.kind);
  // Only Support changes Support's users (the platform answers 403 otherwise).
  const supportOnly = !!user && !!actorProfile && !supportRule.mayChangeUser(actorProfile, user.profile);
  const lock = (access: Access): Access => (supportOnly && access.allowed ? { allowed: false, reason: t('reasons.supportUser') } : access);
  const canEdit = lock(useAccess('canEditUsers'));
  const canReset = lock(useAccess('canResetPasswords'));
  const canManageQueues = lock(useAccess('canManageQueues'));
  const canManageExtensions = lock(useAccess('canManageExtensions'));
  const saveReasonId = useId();
  const [confirmReset, setConfirmReset] = useState(false);
  // An invalid Save moves focus to the first field in error (its error is its description).
  const [invalidSave, setInvalidSave] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (invalidSave > 0) focusFirstInvalid(formRef.current);
  }, [invalidSave]);
  const online = useOnline();

  useEffect(() => {
    void open(id);
  }, [id, open]);

  // Leaving this user with unsaved edits asks first (tab changes of the same user do not).
  useEffect(
    () =>
      useNavigationStore.getState().setGuard((next) => {
        const state = useEditorStore.getState();
        return !(next.screen === 'user' && next.id === id) && isDirty(state.user, state.draft);
      }),
    [id],
  );

  // A readiness "Resolver" link or a route may ask to focus a control of the data tab.
  useEffect(() => {
    if (!focus || tab !== 'data' || !user) return;
    document.getElementById(`editor-${focus}`)?.focus();
  }, [focus, tab, user]);

  if (store.loadError) {
    return (
      <section className="screen">
        <BackButton />
        <ErrorNotice error={store.loadError} />
      </section>
    );
  }
  if (!user || !draft || store.id !== id) {
    return (
      <section className="screen">
        <p role="status">{t('editor.loading')}</p>
      </section>
    );
  }

  const dirty = isDirty(user, draft);
  const setTab = (next: EditorTab) => go({ screen: 'user', id, tab: next });
  const onFix = (item: ReadinessItem) => {
    const where = FIX_LOCATION[item];
    go({ screen: 'user', id, tab: where.tab, focus: where.focus });
  };
  const resetReason = user.selfManaged ? t('reasons.selfManaged') : canReset.reason;
  const tabs = [
    { key: 'data' as const, label: t('editor.tabData'), badge: dirty ? '•' : undefined },
    { key: 'password' as const, label: t('editor.tabPassword') },
    { key: 'extension' as const, label: t('editor.tabExtension') },
    { key: 'queues' as const, label: t('editor.tabQueues') },
    { key: 'audit' as const, label: t('editor.tabAudit') },
  ];

  return (
    <section className="screen editor-screen" aria-labelledby="editor-title">
      <ScreenHeader
        titleId="editor-title"
        titleKey={id}
        breadcrumb={
          <>
            <BackButton /> {t('shell.breadcrumbUsers')}
          </>
        }
        title={user.name}
        details={
          <p className="muted">
            {user.login} · {t(`profiles.${user.profile}`)} · {user.email}
            {user.extension ? ` · ${t('editor.extensionCurrent', { number: user.extension.number })}` : ''}
          </p>
        }
        actions={
          <>
            {dirty ? <span className="tag tag-warn">{t('editor.unsaved')}</span> : null}
            {dirty ? (
              <button type="button" className="button button-ghost" onClick={store.discard}>
                {t('editor.discard')}
              </button>
            ) : null}
            <MenuButton
              label={t('editor.actions')}
              items={[
                {
                  key: 'reset',
                  label: t('editor.resetPassword'),
                  disabled: !!resetReason || store.reset.status === 'busy',
                  reason: resetReason,
                  // The article's step 3 sends mail to the user: say where before sending.
                  onSelect: () => setConfirmReset(true),
                },
              ]}
            />
            <button
              type="button"
              className="button button-primary"
              disabled={!canEdit.allowed || !dirty || store.phase !== 'idle'}
              aria-describedby={canEdit.inBanner ? FRAME_NOTICE_ID : canEdit.reason ? saveReasonId : undefined}
              onClick={() => {
                if (tab !== 'data') setTab('data');
                store.requestSave();
                if (Object.keys(useEditorStore.getState().fieldErrors).length > 0) setInvalidSave((n) => n + 1);
              }}
            >
              {t('common.save')}
            </button>
          </>
        }
      />
      {canEdit.reason && !canEdit.inBanner ? <Reason id={saveReasonId}>{canEdit.reason}</Reason> : null}
      {/* Offline, the frame's notice already says the data comes from the cache. */}
      {store.stale && online ? <Notice tone="warning">{t('editor.staleNote')}</Notice> : null}
      {store.saved ? (
        <Notice tone="success" autoFocus>
          {t('editor.saved')}{' '}
          {store.saved.loggedOutQueues.length > 0
            ? t('editor.loggedOut', { queues: store.saved.loggedOutQueues.map((q) => q.queueName).join(', ') })
            : t('editor.loggedOutNone')}
        </Notice>
      ) : null}
      {store.reapplied ? <Notice tone="info">{t('editor.reapplied')}</Notice> : null}
      <ErrorNotice error={store.saveError} autoFocus />
      <ActionNotices
        state={store.reset}
        busy={t('editor.resetSending')}
        done={(r) => (r ? t('editor.resetSent', { to: r.sentTo, until: formatDateTime(r.expiresAt, locale) }) : null)}
        focusError
      />
      <div className="editor-layout">
        <div className="editor-main">
          <Tabs label={t('editor.title')} tabs={tabs} active={tab} onChange={setTab}>
            {tab === 'data' ? (
              <form
                className="tab-section"
                noValidate
                ref={formRef}
                onSubmit={(e) => {
                  e.preventDefault();
                  if (!canEdit.allowed || !dirty) return;
                  store.requestSave();
                  if (Object.keys(useEditorStore.getState().fieldErrors).length > 0) setInvalidSave((n) => n + 1);
                }}
              >
                <UserForm
                  idPrefix="editor"
                  draft={draft}
                  errors={store.fieldErrors}
                  disabled={!canEdit.allowed || store.phase !== 'idle'}
                  supportProfileAllowed={!!actorProfile && supportRule.mayGiveProfile(actorProfile, 'support') && profileFitsAccount('support', { kind: accountKind })}
                  onChange={store.setField}
                />
              </form>
            ) : null}
            {tab === 'password' ? <PasswordTab user={user} access={canReset} /> : null}
            {tab === 'extension' ? <ExtensionTab user={user} access={canManageExtensions} /> : null}
            {tab === 'queues' ? <QueuesTab user={user} access={canManageQueues} focus={focus} /> : null}
            {tab === 'audit' ? <AuditTab /> : null}
          </Tabs>
        </div>
        <ReadinessChecklist user={user} onFix={onFix} />
      </div>
      <SaveConfirmDialog />
      {confirmReset ? (
        <Dialog
          title={t('editor.resetConfirmTitle')}
          onClose={() => setConfirmReset(false)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setConfirmReset(false)} data-autofocus>
                {t('common.cancel')}
              </button>
              <button
                type="button"
                className="button button-primary"
                onClick={() => {
                  setConfirmReset(false);
                  void store.resetPassword();
                }}
              >
                {t('editor.resetConfirmSend')}
              </button>
            </>
          }
        >
          <p>{t('editor.resetConfirmText', { to: user.email })}</p>
        </Dialog>
      ) : null}
      <ConflictView />
    </section>
  );
}

function BackButton() {
  const { t } = useTranslation();
  const go = useNavigationStore((s) => s.go);
  return (
    <button type="button" className="link-button" onClick={() => go({ screen: 'users' })}>
      ← {t('common.back')}
    </button>
  );
}
