/**
 * Adapts Electron's IPC to the router: one `ipcMain.handle` per contract operation (no generic
 * channel), the sender described from the calling frame, and events forwarded to every window.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { OPERATION_NAMES, ipcChannel } from '../../src-shared/ipc-contract';
import type { EventBus } from '../events/event-bus';
import type { IpcRouter, IpcSender } from '../ipc/router';

function senderOf(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return { kind: 'electron', url: frame?.url ?? '', isTopFrame: frame !== null && frame === event.sender.mainFrame };
}

/** Registers the handlers; returns the function that removes them. */
export function bridgeIpcMain(router: IpcRouter, events: EventBus): () => void {
  for (const name of OPERATION_NAMES) {
    ipcMain.handle(ipcChannel(name), (event, input: unknown) => router.handle(senderOf(event), name, input));
  }
  const off = events.onAny((name, payload) => {
    for (const win of BrowserWindow.getAllWindows()) if (!win.isDestroyed()) win.webContents.send(ipcChannel(name), payload);
  });
  return () => {
    off();
    for (const name of OPERATION_NAMES) ipcMain.removeHandler(ipcChannel(name));
  };
}
