/**
 * Issue 10: a stand-in for the fill's two workers that only speaks their pacing messages, for the
 * main thread's side (`CacheFiller.whenWritten`), whose timing the real writer cannot hold still:
 * the writer says it started, then that it wrote a page each time the parser, given one, tells it
 * to; it never writes anything.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { FillToMain, MainToFill, ParserToMain } from '../../src-main/cache/fill-protocol';

const port = parentPort!;
const init = workerData as { parse?: true; rows: MessagePort };
if (init.parse) {
  port.on('message', (message: MainToFill) => {
    if (message.kind !== 'page') return;
    init.rows.postMessage('page');
    const page: ParserToMain = { kind: 'page', cursor: 'c1', hasMore: true, items: 0, deleted: 0 };
    port.postMessage(page);
  });
} else {
  let pages = 0;
  const started: FillToMain = { kind: 'written', pages };
  port.postMessage(started);
  init.rows.on('message', (message: unknown) => {
    const written: FillToMain = { kind: 'written', pages: ++pages };
    if (message === 'page') port.postMessage(written);
  });
}
