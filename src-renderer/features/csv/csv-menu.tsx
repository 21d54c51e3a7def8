/**
 * The users screen's CSV menu (issue 11): export the table's current view, export the account's
 * audit trail, and (for profiles that may edit users, R2) import users from a file.
 */
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { ErrorNotice, Notice } from '../../ui/notice';
import { MenuButton, type MenuItem } from '../../ui/menu';
import { useUsersStore } from '../users/users-store';
import { permissions } from '../../../src-shared/domain';
import { useSessionStore } from '../session/session-store';
import { useNavigationStore } from '../shell/navigation-store';
import { useExportStore } from './export-store';

/** "CSV" menu button of the users screen. */
export function CsvMenu() {
  const { t } = useTranslation();
  const { busy, exportUsers, exportAudit } = useExportStore(useShallow((s) => ({ busy: s.busy, exportUsers: s.exportUsers, exportAudit: s.exportAudit })));
  const profile = useSessionStore((s) => s.session?.user?.profile ?? null);
  const go = useNavigationStore((s) => s.go);
  const items: MenuItem[] = [
    {
      key: 'export-users',
      label: t('csv.exportUsers'),
      onSelect: () => {
        // The table's view when chosen (read then, so a keystroke does not render this menu).
        const { query, filters, sort } = useUsersStore.getState();
        void exportUsers({ query, filters, sort });
      },
    },
    { key: 'export-audit', label: t('csv.exportAccountAudit'), onSelect: () => void exportAudit() },
  ];
  // R2: a profile that may not edit users is not offered the import (the platform refuses it anyway).
  // Offline it is offered: the dry run reads the cache; only the apply needs the platform.
  if (profile && permissions.canEditUsers(profile)) items.push({ key: 'import', label: t('csv.importUsers'), onSelect: () => go({ screen: 'csv-import' }) });
  return <MenuButton label={busy ? t('csv.exporting') : t('csv.menu')} items={items} disabled={busy !== null} />;
}

/** The result of the last export of `kind` (rows and file name) or its error. */
export function ExportNotice({ kind }: { kind: 'users' | 'audit' }) {
  const { t } = useTranslation();
  const { done, error, failed } = useExportStore(useShallow((s) => ({ done: s.done, error: s.error, failed: s.failed })));
  if (error && failed === kind) return <ErrorNotice error={error} autoFocus />;
  if (!done || done.kind !== kind) return null;
  return <Notice tone="success">{t(done.kind === 'users' ? 'csv.exportedUsers' : 'csv.exportedAudit', { count: done.rows, fileName: done.fileName })}</Notice>;
}
