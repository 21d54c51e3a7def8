/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies are checked by the assertions that read them */
/**
 * Issue 16 item 3: the development mailbox keeps every message (it kept the last 1 000, in memory)
 * and its page and JSON go through all of them a page at a time, newest first.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../../src-platform/mail/smtp-sink';
import { MailboxResponseSchema } from '../../../src-shared/platform-api';
import { client, http, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

describe('the development mailbox pages (issue 16 item 3)', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink(() => new Date());
  });
  afterAll(async () => sink?.close());

  it('issue 16.3: past 1 000 messages nothing is dropped, and paging from the newest reaches the oldest', async () => {
    const transport = nodemailer.createTransport({ url: sink.url, pool: true, maxConnections: 5 } as any);
    const total = 1_005;
    for (let i = 0; i < total; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, total - i) }, (_, j) => transport.sendMail({ from: 'a@example.com', to: `n${i + j}@example.com`, subject: `m${i + j}`, text: `corpo ${i + j}` })));
    }
    transport.close();
    expect(sink.mailbox.list()).toHaveLength(total);
    const seen: string[] = [];
    let before: number | undefined;
    for (;;) {
      const page = sink.mailbox.page({ before, limit: 100 });
      expect(page.total).toBe(total);
      seen.push(...page.items.map((m) => m.subject));
      if (page.next === null) break;
      before = page.next;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen.at(-1)).toBe(sink.mailbox.list()[0]!.subject);
  });
});

describe('the mailbox page and JSON go page by page', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
    const support = client(p.url, await signIn(p.url, 'suporte'));
    for (let i = 0; i < 55; i++) expect((await support.post('/api/v1/users', { name: `Caixa ${i}`, email: `caixa${i}@example.com`, login: `caixa${i}`, profile: 'agent' })).status).toBe(201);
    await p.mailbox.waitFor((m) => m.to.includes('caixa54@example.com'), 20_000);
  }, 120_000);
  afterAll(async () => p?.stop());

  it('issue 16.3: the page shows 50, links to the older ones, and the older page links back; JSON pages the same way', async () => {
    const total = p.mailbox.list().length;
    expect(total).toBeGreaterThanOrEqual(55);
    // The page and its JSON need the run's key (issue 9); the links carry it.
    const key = new URL(p.mailboxUrl!).searchParams.get('key')!;
    const first = await http(p.mailboxUrl!, 'GET', '');
    expect(first.status).toBe(200);
    expect((first.body as string).match(/<article class="msg">/g)).toHaveLength(50);
    expect(first.body).toContain(`Mostrando 50 de ${total}.`);
    expect(first.body).toContain('caixa54@example.com');
    const older = /<a href="(\/mailbox\?key=[0-9a-zA-Z_-]+&#38;before=\d+)">Mensagens mais antigas<\/a>/.exec(first.body as string);
    expect(older).not.toBeNull();
    const second = await http(p.url, 'GET', older![1]!.replace('&#38;', '&'));
    expect((second.body as string).match(/<article class="msg">/g)?.length).toBe(Math.min(50, total - 50));
    expect(second.body).toContain(`<a href="/mailbox?key=${key}">Mais recentes</a>`);
    expect(second.body).not.toContain('caixa54@example.com');

    const json = MailboxResponseSchema.parse((await http(p.url, 'GET', `/api/v1/dev/mailbox?key=${key}&limit=40`)).body);
    expect(json.items).toHaveLength(40);
    expect(json.total).toBe(total);
    const rest = MailboxResponseSchema.parse((await http(p.url, 'GET', `/api/v1/dev/mailbox?key=${key}&limit=1000&before=${json.next}`)).body);
    expect(rest.items).toHaveLength(total - 40);
    expect(rest.next).toBeNull();
    expect((await http(p.url, 'GET', `/api/v1/dev/mailbox?key=${key}&before=abc`)).status).toBe(400);
  });
});
