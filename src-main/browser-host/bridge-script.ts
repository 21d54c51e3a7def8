/**
 * The script the browser host injects before the renderer's own: it builds `window.consoleApi`
 * with the preload's own factory (`buildConsoleApi`, its source injected here: one frozen method per
 * operation, one subscribe function per event, no generic send) over a WebSocket to the host,
 * authenticated with the per-run secret.
 */
import { CHANNEL_PREFIX, EVENT_NAMES, OPERATION_NAMES } from '../../src-shared/ipc-channels';
import { buildConsoleApi } from '../ipc/console-api';

/** Query parameter of the host URL that carries the per-run secret. */
export const SECRET_PARAM = 'omniHostSecret';
/** Path of the bridge's WebSocket. */
export const BRIDGE_WS_PATH = '/__omni/ws';
/** Path of this script. */
export const BRIDGE_SCRIPT_PATH = '/__omni/bridge.js';

/** The bridge script's source (plain browser JavaScript, no module). */
export function bridgeScript(): string {
  return `(() => {
  'use strict';
  const KEY = 'omni-host-secret';
  const params = new URLSearchParams(location.search);
  let secret = params.get(${JSON.stringify(SECRET_PARAM)});
  if (secret) {
    sessionStorage.setItem(KEY, secret);
    params.delete(${JSON.stringify(SECRET_PARAM)});
    const rest = params.toString();
    history.replaceState(history.state, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
  } else {
    secret = sessionStorage.getItem(KEY) || '';
  }
  const pending = new Map();
  const listeners = new Map();
  const queue = [];
  let nextId = 1;
  let ws = null;
  let open = false;
  let retry = 250;
  function connect() {
    ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + ${JSON.stringify(BRIDGE_WS_PATH)} + '?secret=' + encodeURIComponent(secret));
    ws.onopen = () => { open = true; retry = 250; while (queue.length) ws.send(queue.shift()); };
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      if (msg && msg.type === 'result' && pending.has(msg.id)) {
        const p = pending.get(msg.id); pending.delete(msg.id); p.resolve(msg.result);
      } else if (msg && msg.type === 'event') {
        for (const l of listeners.get(msg.channel) || []) { try { l(msg.payload); } catch (e) { console.error(e); } }
      }
    };
    ws.onclose = () => {
      open = false;
      for (const [id, p] of pending) { pending.delete(id); p.reject(new Error('console bridge disconnected')); }
      setTimeout(connect, retry); retry = Math.min(retry * 2, 5000);
    };
  }
  function invoke(channel, input) {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const frame = JSON.stringify({ type: 'invoke', id, channel, input: input === undefined ? {} : input });
      if (open) ws.send(frame); else queue.push(frame);
    });
  }
  function subscribe(channel, listener) {
    if (!listeners.has(channel)) listeners.set(channel, new Set());
    const wrapped = (payload) => listener(payload);
    listeners.get(channel).add(wrapped);
    return () => { listeners.get(channel).delete(wrapped); };
  }
  const buildConsoleApi = ${buildConsoleApi.toString()};
  const api = buildConsoleApi(${JSON.stringify(OPERATION_NAMES)}, ${JSON.stringify(EVENT_NAMES)}, ${JSON.stringify(CHANNEL_PREFIX)}, invoke, subscribe);
  Object.defineProperty(window, 'consoleApi', { value: api, writable: false, configurable: false, enumerable: true });
  connect();
})();
`;
}
