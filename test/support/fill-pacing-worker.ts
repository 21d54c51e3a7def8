/**
 * Issue 10: a stand-in for the fill's two workers that only speaks their pacing messages, for the
 * main thread's side (`CacheFiller.whenWritten`), whose timing the real writer cannot hold still:
 * the writer says it started, and says it builds the users' key index when the parser, given a
 * page, tells it to; it never writes a page.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { FillToMain, MainToFill, ParserToMain } from '../../src-main/cache/fill-protocol';

const port = parentPort!;
const init = workerData as { parse?: true; rows: MessagePort };
if (init.parse) {
  port.on('message', (message: MainToFill) => {
    if (message.kind !== 'page') return;
    init.rows.postMessage('key-now');
    const page: ParserToMain = { kind: 'page', cursor: 'c1', hasMore: true, items: 0, deleted: 0 };
    port.postMessage(page);
  });
} else {
  const started: FillToMain = { kind: 'written', pages: 0 };
  port.postMessage(started);
  init.rows.on('message', (message: unknown) => {
    const keying: FillToMain = { kind: 'keying' };
    if (message === 'key-now') port.postMessage(keying);
  });
}
