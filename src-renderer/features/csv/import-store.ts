/**
 * CSV import (issue 11): the chosen file is checked for size, sent to main in parts, dry-run
 * against the cache (nothing is sent to the platform), then, after the article's confirmation when
 * existing users change (R4), applied chunk by chunk with progress; a failure leaves the remaining
 * chunks to resume with their keys, and "retry the failed ones" dry-runs those rows again.
 */
import { create } from 'zustand';
import { CSV_IMPORT_MAX_BYTES, CSV_UPLOAD_PART_BYTES } from '../../../src-shared/csv-columns';
import type { CsvImportPreview, CsvImportProgress } from '../../../src-shared/ipc-contract';
import { call, toConsoleError, type ConsoleError } from '../../api';
import { forgetOnSignOut } from '../session/person-state';

/** Where the import is. */
export type ImportPhase = 'idle' | 'reading' | 'preview' | 'confirm' | 'applying' | 'report';

type ImportStore = {
  phase: ImportPhase;
  fileName: string | null;
  /** A whole-file problem (`form.*` key), shown on the file field. */
  fileError: string | null;
  preview: CsvImportPreview | null;
  progress: CsvImportProgress | null;
  error: ConsoleError | null;
  /** Reads `file`, sends it to main and shows the dry run. */
  choose(file: File): Promise<void>;
  /** "Aplicar": asks the R4 confirmation first when existing users change. */
  requestApply(): void;
  /** Applies every remaining chunk (after "Sim" when asked). */
  apply(confirmQueueLogout: boolean): Promise<void>;
  cancelConfirm(): void;
  retryFailed(): Promise<void>;
  reset(): void;
};

const initial = { phase: 'idle' as ImportPhase, fileName: null, fileError: null, preview: null, progress: null, error: null };

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The import store. */
export const useImportStore = create<ImportStore>()((set, get) => ({
  ...initial,
  async choose(file) {
    set({ ...initial, fileName: file.name });
    // A file too large is refused before it is read (a 50 MB file never crosses to main).
    if (file.size > CSV_IMPORT_MAX_BYTES) return set({ fileError: 'form.csvTooLarge' });
    if (file.size === 0) return set({ fileError: 'form.csvEmpty' });
    set({ phase: 'reading' });
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const importId = crypto.randomUUID();
      for (let offset = 0; offset < bytes.length; offset += CSV_UPLOAD_PART_BYTES) {
        await call('stageCsvImport', { importId, offset, size: bytes.length, data: toBase64(bytes.subarray(offset, offset + CSV_UPLOAD_PART_BYTES)) });
      }
      const preview = await call('previewCsvImport', { importId });
      set({ phase: 'preview', preview });
    } catch (err) {
      const error = toConsoleError(err);
      const fileError = error.fieldErrors.file?.[0];
      set({ phase: 'idle', ...(fileError ? { fileError } : { error }) });
    }
  },
  requestApply() {
    const preview = get().preview;
    if (!preview) return;
    // R4: a change of existing users may log them out of queues: the article's question first.
    if (preview.rows.some((r) => r.status === 'change')) set({ phase: 'confirm' });
    else void get().apply(false);
  },
  cancelConfirm() {
    if (get().phase === 'confirm') set({ phase: 'preview' });
  },
  async apply(confirmQueueLogout) {
    const preview = get().preview;
    if (!preview) return;
    set({ phase: 'applying', error: null });
    try {
      for (;;) {
        const progress = await call('applyCsvImport', { importId: preview.importId, confirmQueueLogout });
        set({ progress });
        if (progress.pendingChunks === 0) break;
      }
      set({ phase: 'report' });
    } catch (err) {
      // The chunk in flight keeps its key: "Continuar" resends it and the platform replays it.
      set({ phase: 'report', error: toConsoleError(err) });
    }
  },
  async retryFailed() {
    const preview = get().preview;
    if (!preview) return;
    set({ phase: 'reading', error: null, progress: null });
    try {
      const next = await call('retryCsvImport', { importId: preview.importId });
      set({ phase: 'preview', preview: next });
    } catch (err) {
      set({ phase: 'report', error: toConsoleError(err) });
    }
  },
  reset() {
    set(initial);
  },
}));

/** Restores the initial state (on sign-out, C6; and in tests). */
export function resetImportStore(): void {
  useImportStore.setState(initial);
}
forgetOnSignOut(resetImportStore);
