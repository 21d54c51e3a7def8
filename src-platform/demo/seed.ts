/**
 * The demo data of `npm run platform -- --demo` and of the console's embedded platform (C4): the
 * support login `suporte` in the operator scope; an account with administrator, supervisor and ~50
 * agents in every readiness state, extensions, voice and chat queues with members and a few queue
 * sessions; and a self-managed account (Microsoft identity provider enabled, R11).
 */
import { randomUUID } from 'node:crypto';
import type { PlatformContext } from '../domain/context';
import { nextChangeSeq, type Db } from '../db/database';
import { recountQueueMembers } from '../domain/queue-counts';
import { newUserRow } from '../domain/user-changes';
import { OPERATOR_ACCOUNT_ID } from '../domain/operator-scope';
import { demoName } from './generate';

/** The demo account's slug. */
export const DEMO_ACCOUNT_SLUG = 'demo';
/** The self-managed demo account's slug (R11). */
export const SELF_MANAGED_ACCOUNT_SLUG = 'autogerenciada';
/** Password of the demo logins `suporte`, `admin` and `supervisor`. */
export const DEMO_PASSWORD = 'Girassol-Pesqueiro-93';
/** The demo agents' count. */
export const DEMO_AGENT_COUNT = 50;

/** What the seed created (printed by the CLI). */
export interface DemoSummary {
  seeded: boolean;
  accounts: { slug: string; name: string }[];
  logins: { account: string; login: string; profile: string; password: string }[];
}

interface NewUser {
  accountId: string;
  name: string;
  login: string;
  profile: string;
  active?: boolean;
  webrtc?: boolean;
  omni?: boolean;
  passwordHash?: string | null;
}

async function insertUser(db: Db, u: NewUser, at: string): Promise<string> {
  const id = randomUUID();
  const domain = { 'acc-demo': 'demo', [OPERATOR_ACCOUNT_ID]: 'suporte' }[u.accountId] ?? 'autogerenciada';
  const email = `${u.login}@${domain}.omniconsole.example`;
  await db
    .insertInto('users')
    .values(
      newUserRow({
        id,
        accountId: u.accountId,
        name: u.name,
        email,
        login: u.login,
        profile: u.profile,
        active: u.active !== false,
        webrtcEnabled: u.webrtc === true,
        omnichannelEnabled: u.omni === true,
        passwordHash: u.passwordHash ?? null,
        changeSeq: await nextChangeSeq(db),
        at,
      }),
    )
    .execute();
  return id;
}

/** Seeds the demo accounts when the database has no account yet; safe to call on every start. */
export async function seedDemo(ctx: PlatformContext): Promise<DemoSummary> {
  const logins = [
    { account: DEMO_ACCOUNT_SLUG, login: 'suporte', profile: 'support', password: DEMO_PASSWORD },
    { account: DEMO_ACCOUNT_SLUG, login: 'admin', profile: 'administrator', password: DEMO_PASSWORD },
    { account: DEMO_ACCOUNT_SLUG, login: 'supervisor', profile: 'supervisor', password: DEMO_PASSWORD },
  ];
  const accounts = [
    { slug: DEMO_ACCOUNT_SLUG, name: 'Contact Center Demo' },
    { slug: SELF_MANAGED_ACCOUNT_SLUG, name: 'Atendimento Autogerenciado' },
  ];
  // The operator scope always exists (migration 0005): only customer accounts say "seeded".
  const existing = await ctx.db.selectFrom('accounts').select('id').where('kind', '=', 'customer').limit(1).executeTakeFirst();
  if (existing) return { seeded: false, accounts, logins };

  const hash = await ctx.passwords.hash(DEMO_PASSWORD);
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (db) => {
    await db
      .insertInto('accounts')
      .values([
        { id: 'acc-demo', slug: DEMO_ACCOUNT_SLUG, name: 'Contact Center Demo', idp_enabled: 0, idp_tenant_id: null, idp_client_id: null, idp_authority: null, created_at: at, kind: 'customer' },
        {
          id: 'acc-autogerenciada',
          slug: SELF_MANAGED_ACCOUNT_SLUG,
          name: 'Atendimento Autogerenciado',
          idp_enabled: 1,
          idp_tenant_id: '7f3c2a10-5b4e-4c1d-9a8b-0d6e2f1c3b5a',
          idp_client_id: 'c0ffee00-1234-4abc-9def-00000000a11d',
          idp_authority: 'https://login.microsoftonline.com/7f3c2a10-5b4e-4c1d-9a8b-0d6e2f1c3b5a/v2.0',
          created_at: at,
          kind: 'customer',
        },
      ])
      .execute();
    const acc = 'acc-demo';
    // Issue 9 class 1 (R2): support is the vendor's staff, in the operator scope, not in `demo`; it
    // still signs into `demo` (or any account) with its own login and password.
    const supportTaken = await db.selectFrom('users').select('id').where('account_id', '=', OPERATOR_ACCOUNT_ID).where('login', '=', 'suporte').executeTakeFirst();
    if (!supportTaken) {
      await insertUser(db, { accountId: OPERATOR_ACCOUNT_ID, name: 'Suporte Omniconsole', login: 'suporte', profile: 'support', webrtc: true, passwordHash: hash }, at);
    }
    await insertUser(db, { accountId: acc, name: 'Administradora Demo', login: 'admin', profile: 'administrator', webrtc: true, passwordHash: hash }, at);
    await insertUser(db, { accountId: acc, name: 'Supervisor Demo', login: 'supervisor', profile: 'supervisor', passwordHash: hash }, at);

    // Extensions 1001..1060: the agents below take some; the rest stay free (R6, R10).
    const extensionIds: string[] = [];
    for (let n = 1001; n <= 1060; n++) {
      const id = `ext-${n}`;
      extensionIds.push(id);
      await db.insertInto('extensions').values({ id, account_id: acc, number: String(n), user_id: null, created_at: at }).execute();
    }
    const queues = [
      { id: 'q-voice-suporte', kind: 'voice', channel: 'voice', name: 'Suporte Técnico' },
      { id: 'q-voice-vendas', kind: 'voice', channel: 'voice', name: 'Vendas' },
      { id: 'q-voice-financeiro', kind: 'voice', channel: 'voice', name: 'Financeiro' },
      { id: 'q-chat-site', kind: 'chat', channel: 'webchat', name: 'Chat do Site' },
      { id: 'q-chat-whatsapp', kind: 'chat', channel: 'whatsapp', name: 'WhatsApp Atendimento' },
    ];
    for (const q of queues) await db.insertInto('queues').values({ ...q, account_id: acc, version: 1, member_count: 0, created_at: at, updated_at: at }).execute();
    const voiceIds = queues.filter((q) => q.kind === 'voice').map((q) => q.id);
    const chatIds = queues.filter((q) => q.kind === 'chat').map((q) => q.id);

    let nextExtension = 0;
    for (let i = 0; i < DEMO_AGENT_COUNT; i++) {
      // Readiness states (R7) cycle through every combination the console must show.
      const state = i % 10;
      const webrtc = state !== 2;
      const omni = webrtc && state !== 1 && state !== 7;
      const hasPassword = state !== 3 && state !== 2;
      const id = await insertUser(
        db,
        { accountId: acc, name: demoName(i * 7 + 3), login: `agente${String(i + 1).padStart(2, '0')}`, profile: 'agent', active: state !== 7, webrtc, omni, passwordHash: hasPassword ? hash : null },
        at,
      );
      const withExtension = [0, 5, 8, 9].includes(state) && omni;
      if (withExtension) {
        const extId = extensionIds[nextExtension++] as string;
        await db.updateTable('extensions').set({ user_id: id }).where('id', '=', extId).execute();
      }
      const voice = withExtension && [0, 5, 8].includes(state) ? [voiceIds[i % voiceIds.length] as string] : [];
      const chat = omni && [0, 6, 8].includes(state) ? [chatIds[i % chatIds.length] as string] : [];
      for (const queueId of [...voice, ...chat]) await db.insertInto('queue_members').values({ queue_id: queueId, user_id: id, created_at: at }).execute();
      if (state === 8 || (state === 0 && i < 20)) {
        for (const queueId of [...voice, ...chat]) {
          await db.insertInto('queue_sessions').values({ queue_id: queueId, user_id: id, started_at: at }).execute();
        }
      }
    }

    await recountQueueMembers(db, acc);

    // R11: a self-managed account; its users sign in with Microsoft only.
    const self = 'acc-autogerenciada';
    await insertUser(db, { accountId: self, name: 'Helena Autogerenciada', login: 'helena', profile: 'administrator', webrtc: true }, at);
    await insertUser(db, { accountId: self, name: 'Igor Autogerenciado', login: 'igor', profile: 'agent', webrtc: true, omni: true }, at);
    await insertUser(db, { accountId: self, name: 'Júlia Autogerenciada', login: 'julia', profile: 'agent', webrtc: true }, at);
  });
  return { seeded: true, accounts, logins };
}
