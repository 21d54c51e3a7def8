/** Whether the command palette is open (issue 11). */
import { create } from 'zustand';
import { forgetOnSignOut } from '../session/person-state';

type PaletteStore = { open: boolean; toggle(): void; show(): void; close(): void };

/** The palette store. */
export const usePaletteStore = create<PaletteStore>()((set, get) => ({
  open: false,
  toggle: () => set({ open: !get().open }),
  show: () => set({ open: true }),
  close: () => set({ open: false }),
}));

/** Closed (on sign-out, C6; and in tests). */
export function resetPaletteStore(): void {
  usePaletteStore.setState({ open: false });
}
forgetOnSignOut(resetPaletteStore);
