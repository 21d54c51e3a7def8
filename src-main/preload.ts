/**
 * The preload: exposes one frozen `window.consoleApi` generated from the IPC contract (no generic
 * send, no Electron object leaks to the page). Runs sandboxed; everything else lives in main.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcResult } from '../src-shared/ipc-contract';
import { createConsoleApi } from './ipc/console-api';

const api = createConsoleApi(
  (channel, input) => ipcRenderer.invoke(channel, input) as Promise<IpcResult<unknown>>,
  (channel, listener) => {
    // Drop the IpcRendererEvent: the page gets the payload only.
    const wrapped = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
);

contextBridge.exposeInMainWorld('consoleApi', api);
