/**
 * Configurações > Usuários: instant search, filters, and a virtualized, keyboard-navigable table
 * of the cached users (arrows move, Enter opens the editor).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PROFILES, READINESS_ITEMS, type Profile, type ReadinessItem } from '../../../src-shared/domain';
import type { UserFilters, UserRow } from '../../../src-shared/ipc-contract';
import { useLocale } from '../../ui/format';
import { ScreenHeader } from '../../ui/screen-header';
import { ErrorNotice, Reason } from '../../ui/notice';
import { FRAME_NOTICE_ID, useAccess } from '../session/access';
import { useSessionStore } from '../session/session-store';
import { useNavigationStore } from '../shell/navigation-store';
import { QueueOptions } from '../queues/queue-options';
import { useQueuesStore } from '../queues/queues-store';
import { IncompleteCacheNotice, SyncStatusBar } from '../sync-status/sync-status';
import { useUsersStore, type SortBy } from './users-store';
import { BulkBar } from '../bulk/bulk-panel';
import { useBulkStore } from '../bulk/bulk-store';
import { permissions } from '../../../src-shared/domain';
import { useShallow } from 'zustand/react/shallow';
import { CsvMenu, ExportNotice } from '../csv/csv-menu';

const ROW_HEIGHT = 40;

/** The users screen. */
export function UsersScreen() {
  const { t } = useTranslation();
  const go = useNavigationStore((s) => s.go);
  const profile = useSessionStore((s) => s.session?.user?.profile ?? null);
  const canCreate = useAccess('canEditUsers');
  const newReasonId = useId();

  // The search, the filters and the order ask main themselves (the store's actions start the
  // search within the keystroke's own event: no debounce, no render in front of it; latest wins).
  // This screen subscribes to none of them, so a keystroke re-renders the box, not the screen.
  useEffect(() => {
    void useUsersStore.getState().search();
  }, []);

  return (
    <section className="screen users-screen" aria-labelledby="users-title">
      <ScreenHeader
        titleId="users-title"
        breadcrumb={t('shell.breadcrumbUsers')}
        title={t('users.title')}
        actions={
          <>
            <SyncStatusBar />
            <CsvMenu />
            <button
              type="button"
              className="button button-primary"
              disabled={!canCreate.allowed}
              aria-describedby={canCreate.inBanner ? FRAME_NOTICE_ID : canCreate.reason ? newReasonId : undefined}
              onClick={() => go({ screen: 'new-user' })}
            >
              {t('users.new')} <span className="sr-only">{t('users.newUser')}</span>
            </button>
          </>
        }
      />
      {canCreate.reason && profile && !canCreate.inBanner ? <Reason id={newReasonId}>{canCreate.reason}</Reason> : null}
      <div className="toolbar">
        <SearchBox />
        <UsersCount />
      </div>
      <IncompleteCacheNotice />
      <UserFiltersBar />
      <BulkBar />
      <ExportNotice kind="users" />
      <SearchError />
      <UsersTable />
    </section>
  );
}

/** The search box: the only part of the screen a keystroke renders before main answers. */
function SearchBox() {
  const { t } = useTranslation();
  const query = useUsersStore((s) => s.query);
  const setQuery = useUsersStore((s) => s.setQuery);
  const searchId = useId();
  return (
    <div className="field field-inline search-field">
      <label htmlFor={searchId}>{t('users.searchLabel')}</label>
      <input id={searchId} type="search" value={query} placeholder={t('users.searchPlaceholder')} onChange={(e) => setQuery(e.target.value)} />
    </div>
  );
}

/** How many users the shown rows' search matches. */
function UsersCount() {
  const { t } = useTranslation();
  const locale = useLocale();
  const total = useUsersStore((s) => s.total);
  return (
    <span className="count" role="status">
      {total === null ? t('app.loading') : t('users.count', { count: total, n: total.toLocaleString(locale) })}
    </span>
  );
}

function SearchError() {
  return <ErrorNotice error={useUsersStore((s) => s.error)} />;
}

type Tri = '' | 'true' | 'false';
const toTri = (v: boolean | undefined): Tri => (v === undefined ? '' : v ? 'true' : 'false');
const fromTri = (v: string): boolean | undefined => (v === '' ? undefined : v === 'true');

function TriSelect({ label, value, onChange, yes, no }: { label: string; value: boolean | undefined; onChange(v: boolean | undefined): void; yes: string; no: string }) {
  const id = useId();
  const { t } = useTranslation();
  return (
    <div className="field field-compact">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={toTri(value)} onChange={(e) => onChange(fromTri(e.target.value))}>
        <option value="">{t('common.all')}</option>
        <option value="true">{yes}</option>
        <option value="false">{no}</option>
      </select>
    </div>
  );
}

function UserFiltersBar() {
  const { t } = useTranslation();
  const { filters, setFilter, clearFilters } = useUsersStore(useShallow((s) => ({ filters: s.filters, setFilter: s.setFilter, clearFilters: s.clearFilters })));
  const { queues, loaded, load } = useQueuesStore(useShallow((s) => ({ queues: s.queues, loaded: s.loaded, load: s.load })));
  const profileId = useId();
  const queueId = useId();
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);
  const set = <K extends keyof UserFilters>(k: K) => (v: UserFilters[K] | undefined) => setFilter(k, v);
  const active = Object.keys(filters).length > 0;
  return (
    <div className="filters" role="group" aria-label={t('users.filters')}>
      <div className="field field-compact">
        <label htmlFor={profileId}>{t('users.filterProfile')}</label>
        <select id={profileId} value={filters.profile ?? ''} onChange={(e) => setFilter('profile', (e.target.value || undefined) as Profile | undefined)}>
          <option value="">{t('common.all')}</option>
          {PROFILES.map((p) => (
            <option key={p} value={p}>
              {t(`profiles.${p}`)}
            </option>
          ))}
        </select>
      </div>
      <TriSelect label={t('users.filterOmnichannel')} value={filters.omnichannel} onChange={set('omnichannel')} yes={t('common.on')} no={t('common.off')} />
      <TriSelect label={t('users.filterWebrtc')} value={filters.webrtc} onChange={set('webrtc')} yes={t('common.on')} no={t('common.off')} />
      <TriSelect label={t('users.filterExtension')} value={filters.hasExtension} onChange={set('hasExtension')} yes={t('users.withExtension')} no={t('users.withoutExtension')} />
      <div className="field field-compact">
        <label htmlFor={queueId}>{t('users.filterQueue')}</label>
        <select id={queueId} value={filters.queueId ?? ''} onChange={(e) => setFilter('queueId', e.target.value || undefined)}>
          <option value="">{t('common.all')}</option>
          <QueueOptions queues={queues} />
        </select>
      </div>
      <ReadinessSelect />
      <button type="button" className="button button-small button-ghost" disabled={!active} onClick={clearFilters}>
        {t('users.clearFilters')}
      </button>
    </div>
  );
}

/** Readiness filter (R7): ready, not ready, or missing one checklist item. */
function ReadinessSelect() {
  const { t } = useTranslation();
  const id = useId();
  const { filters, patchFilters } = useUsersStore(useShallow((s) => ({ filters: s.filters, patchFilters: s.patchFilters })));
  const value = filters.missing ? `missing:${filters.missing}` : toTri(filters.ready);
  function onChange(next: string) {
    if (next.startsWith('missing:')) patchFilters({ ready: undefined, missing: next.slice('missing:'.length) as ReadinessItem });
    else patchFilters({ missing: undefined, ready: fromTri(next) });
  }
  return (
    <div className="field field-compact">
      <label htmlFor={id}>{t('users.filterReadiness')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('common.all')}</option>
        <option value="true">{t('users.ready')}</option>
        <option value="false">{t('users.notReady')}</option>
        {READINESS_ITEMS.map((item) => (
          <option key={item} value={`missing:${item}`}>
            {t('users.missing', { item: t(`editor.readinessItems.${item}`) })}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The virtualized users grid. */
export function UsersTable() {
  const { t } = useTranslation();
  const labels = useCellLabels();
  const loadedTotal = useUsersStore((s) => s.total);
  const total = loadedTotal ?? 0;
  const pages = useUsersStore((s) => s.pages);
  const shownQuery = useUsersStore((s) => s.shownQuery);
  const ensureRange = useUsersStore((s) => s.ensureRange);
  const rowAt = useUsersStore((s) => s.rowAt);
  const sort = useUsersStore((s) => s.sort);
  const setSort = useUsersStore((s) => s.setSort);
  const go = useNavigationStore((s) => s.go);
  const scrollRef = useRef<HTMLDivElement>(null);
  // No row looks selected until the user picks one (a click, an arrow key, or focusing the grid).
  const [active, setActive] = useState<number | null>(null);
  const gridId = useId();
  const pointerDown = useRef(false);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
    // The sticky header row sits inside the scroll element, above the first body row.
    scrollMargin: ROW_HEIGHT,
    initialRect: { width: 1200, height: 600 },
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (total > 0) ensureRange(first, last);
  }, [first, last, total, pages, ensureRange]);

  // A new search's rows start the keyboard cursor at the top again (a refresh of the same search keeps it).
  const shownSearch = useUsersStore((s) => s.shownSearch);
  const [cursorKey, setCursorKey] = useState<string | null>(null);
  if (cursorKey !== shownSearch) {
    setCursorKey(shownSearch);
    setActive(null);
  }
  const activeIndex = active === null || total === 0 ? null : Math.min(active, total - 1);

  // Enter on a row whose page is still loading opens it when the page arrives.
  const [pendingOpen, setPendingOpen] = useState<number | null>(null);
  const open = useCallback(
    (index: number) => {
      const row = rowAt(index);
      if (row) go({ screen: 'user', id: row.id, tab: 'data' });
      else {
        setPendingOpen(index);
        ensureRange(index, index);
      }
    },
    [rowAt, go, ensureRange],
  );
  useEffect(() => {
    if (pendingOpen === null) return;
    const row = rowAt(pendingOpen);
    if (row) go({ screen: 'user', id: row.id, tab: 'data' });
  }, [pendingOpen, pages, rowAt, go]);

  function onKeyDown(e: React.KeyboardEvent) {
    // Keys on the header's sort buttons are theirs, not the grid's.
    if (total === 0 || e.target !== e.currentTarget) return;
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: pageRows, PageUp: -pageRows };
    let next: number | null = null;
    if (e.key in moves) next = activeIndex === null ? 0 : activeIndex + moves[e.key]!;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = total - 1;
    else if (e.key === ' ' && activeIndex !== null) {
      e.preventDefault();
      pickActive(activeIndex);
      return;
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (activeIndex !== null) open(activeIndex);
      return;
    }
    if (next === null) return;
    e.preventDefault();
    next = Math.max(0, Math.min(total - 1, next));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  }

  // Issue 11: a checkbox per row for bulk actions (profiles that may edit users); Shift-click picks a range.
  const profile = useSessionStore((s) => s.session?.user?.profile ?? null);
  const selectable = profile !== null && permissions.canEditUsers(profile);
  const { picked, allMatching, toggle } = useBulkStore(useShallow((s) => ({ picked: s.selected, allMatching: s.allMatching, toggle: s.toggle })));
  const rowActions = useMemo<RowActions>(
    () => ({
      open(index) {
        setActive(index);
        open(index);
      },
      pick(e, index, id) {
        e.stopPropagation();
        const { anchor, selectRange } = useBulkStore.getState();
        if (e.shiftKey && anchor !== null) {
          const ids: string[] = [];
          for (let i = Math.min(anchor, index); i <= Math.max(anchor, index); i++) {
            const r = rowAt(i);
            if (r) ids.push(r.id);
          }
          selectRange(ids, index);
        } else toggle(id, index);
      },
    }),
    [open, rowAt, toggle],
  );
  /** Space on the keyboard's row selects it, as a click on its checkbox does. */
  function pickActive(index: number) {
    const r = rowAt(index);
    if (r && selectable) toggle(r.id, index);
  }

  const columns = useMemo<{ label: string; sortBy?: SortBy; select?: true }[]>(
    () => [
      { label: t('bulk.region'), select: true },
      { label: t('users.colName'), sortBy: 'name' },
      { label: t('users.colLogin'), sortBy: 'login' },
      { label: t('users.colEmail'), sortBy: 'email' },
      { label: t('users.colProfile') },
      { label: t('users.colWebrtc') },
      { label: t('users.colOmnichannel') },
      { label: t('users.colExtension') },
      { label: t('users.colReadiness') },
    ],
    [t],
  );

  return (
    <div className="users-table">
      <div
        ref={scrollRef}
        className="grid-scroll"
        role="grid"
        aria-label={t('users.tableLabel')}
        aria-rowcount={total + 1}
        aria-colcount={columns.length}
        aria-describedby={`${gridId}-hint`}
        aria-activedescendant={activeIndex !== null ? `${gridId}-row-${activeIndex}` : undefined}
        data-query={shownQuery ?? undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onFocus={(e) => {
          // Keyboard users land on the first row; a mouse user's click picks its own row.
          if (e.target === e.currentTarget && active === null && total > 0 && !pointerDown.current) setActive(0);
        }}
        onPointerDown={() => {
          pointerDown.current = true;
          setTimeout(() => (pointerDown.current = false), 0);
        }}
      >
        <div role="row" aria-rowindex={1} className="grid-row grid-header">
          {columns.map((c) => {
            const sorted = c.sortBy && sort.by === c.sortBy ? sort.dir : null;
            return (
              <div
                role="columnheader"
                key={c.label}
                className={c.select ? 'grid-cell select' : 'grid-cell'}
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : c.sortBy ? 'none' : undefined}
              >
                {c.select ? (
                  <span className="sr-only">{c.label}</span>
                ) : c.sortBy ? (
                  <button type="button" className="sort-button" onClick={() => setSort(c.sortBy!)}>
                    {c.label}
                    <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                  </button>
                ) : (
                  c.label
                )}
              </div>
            );
          })}
        </div>
        {loadedTotal === null ? (
          <p className="empty" role="status">
            {t('app.loading')}
          </p>
        ) : total === 0 ? (
          <p className="empty">{t('users.empty')}</p>
        ) : (
          <div className="grid-body" style={{ height: virtualizer.getTotalSize() }} role="rowgroup">
            {items.map((item) => {
              const row = rowAt(item.index);
              return (
                <GridRow
                  key={item.key}
                  index={item.index}
                  top={item.start - ROW_HEIGHT}
                  row={row}
                  rowId={`${gridId}-row-${item.index}`}
                  selected={item.index === activeIndex}
                  selectable={selectable}
                  checked={row !== undefined && (allMatching !== null || picked.has(row.id))}
                  labels={labels}
                  actions={rowActions}
                />
              );
            })}
          </div>
        )}
      </div>
      <p className="muted small" id={`${gridId}-hint`}>
        {t('users.keyboardHint')}
      </p>
    </div>
  );
}

type RowActions = {
  /** A click on the row: the cursor moves there and the user opens. */
  open(index: number): void;
  /** A click on the row's checkbox (Shift picks the range from the last one). */
  pick(e: React.MouseEvent, index: number, id: string): void;
};

/**
 * One grid row; rendered again only when its own props change (a keystroke, a scroll or another
 * row's selection leaves it alone).
 */
const GridRow = memo(function GridRow(props: {
  index: number;
  top: number;
  row: UserRow | undefined;
  rowId: string;
  selected: boolean;
  selectable: boolean;
  checked: boolean;
  labels: CellLabels;
  actions: RowActions;
}) {
  const { index, row, selected, labels, actions } = props;
  return (
    <div
      id={props.rowId}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-user-id={row?.id}
      className={`grid-row${selected ? ' is-active' : ''}${row && !row.active ? ' is-inactive' : ''}`}
      style={{ transform: `translateY(${props.top}px)`, height: ROW_HEIGHT }}
      onClick={() => actions.open(index)}
    >
      <div role="gridcell" className="grid-cell select">
        {row && props.selectable ? (
          <input
            type="checkbox"
            tabIndex={-1}
            aria-label={labels.select(row.name)}
            checked={props.checked}
            onChange={() => undefined}
            onClick={(e) => actions.pick(e, index, row.id)}
          />
        ) : null}
      </div>
      {row ? <UserCells row={row} labels={labels} /> : <div role="gridcell" className="grid-cell muted">{labels.loadingRow}</div>}
    </div>
  );
});

/** The texts every row repeats, translated once per table render (not ten times a row). */
function useCellLabels() {
  const { t } = useTranslation();
  return useMemo(() => {
    // "Selecionar {{name}}": translated once with a marker, then each row's name put in its place.
    const [before = '', after = ''] = t('bulk.select', { name: NAME_MARK }).split(NAME_MARK);
    return {
      select: (name: string) => before + name + after,
      loadingRow: t('users.loadingRow'),
      inactive: t('users.inactive'),
      profiles: Object.fromEntries(PROFILES.map((p) => [p, t(`profiles.${p}`)])) as Record<Profile, string>,
      webrtc: `${t('users.colWebrtc')}: `,
      omnichannel: `${t('users.colOmnichannel')}: `,
      extension: `${t('users.colExtension')}: `,
      on: t('common.on'),
      off: t('common.off'),
      ready: t('users.ready'),
      notReady: t('users.notReady'),
      notApplicable: t('users.notApplicable'),
    };
  }, [t]);
}
const NAME_MARK = '\u0000';
type CellLabels = ReturnType<typeof useCellLabels>;

/** A yes/no mark: the same glyphs, weight and colours in every column (non-text contrast ≥ 3:1, also on the selected row). */
function RowFlag({ on, label, labels }: { on: boolean; label: string; labels: CellLabels }) {
  return (
    <span className={on ? 'flag flag-on' : 'flag flag-off'} role="img" aria-label={label + (on ? labels.on : labels.off)}>
      {on ? '✓' : '✕'}
    </span>
  );
}

/** One row's cells; rendered again only when its row or the language changes. */
const UserCells = memo(function UserCells({ row, labels }: { row: UserRow; labels: CellLabels }) {
  return (
    <>
      <div role="gridcell" className="grid-cell strong">
        {row.name}
        {!row.active ? <span className="tag">{labels.inactive}</span> : null}
      </div>
      <div role="gridcell" className="grid-cell">
        {row.login}
      </div>
      <div role="gridcell" className="grid-cell">
        {row.email}
      </div>
      <div role="gridcell" className="grid-cell">
        {labels.profiles[row.profile]}
      </div>
      <div role="gridcell" className="grid-cell center">
        <RowFlag on={row.webrtcEnabled} label={labels.webrtc} labels={labels} />
      </div>
      <div role="gridcell" className="grid-cell center">
        <RowFlag on={row.omnichannelEnabled} label={labels.omnichannel} labels={labels} />
      </div>
      <div role="gridcell" className="grid-cell">
        {row.extension ? row.extension.number : <RowFlag on={false} label={labels.extension} labels={labels} />}
      </div>
      <div role="gridcell" className="grid-cell">
        {row.readiness.applies ? (
          <span className={row.readiness.ready ? 'pill pill-ok' : 'pill pill-warn'}>{row.readiness.ready ? labels.ready : labels.notReady}</span>
        ) : (
          // R7: readiness is about agents; other profiles are not "pending".
          <span className="muted" title={labels.notApplicable}>
            <span aria-hidden="true">—</span>
            <span className="sr-only">{labels.notApplicable}</span>
          </span>
        )}
      </div>
    </>
  );
});
