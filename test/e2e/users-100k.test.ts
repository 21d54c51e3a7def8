/**
 * The users screen with 100 000 cached users (C2): the first sign-in syncs them all, the grid shows
 * the total, jumps to the end by keyboard, and search narrows it as you type. Speed is not asserted;
 * the test proves the screen works at that size.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, screenshotOnFailure, signIn, startE2e, type E2eEnv } from '../support/e2e-harness';

let env: E2eEnv;

beforeAll(async () => {
  env = await startE2e('100k', { extraUsers: 100_000 });
}, 120_000);
afterEach(async (ctx) => screenshotOnFailure(env, ctx));
afterAll(async () => env?.close());

describe('users at scale', () => {
  it('C2: 100 000 cached users: total shown, End reaches the last row, search narrows as you type', async () => {
    const { page } = env;
    await signIn(env, 'admin');
    // 52 demo users (support is not one of them: operator scope) + 100 000 generated ones, once the full sync has landed in the cache.
    await page.getByText('100.052 usuários', { exact: true }).waitFor({ timeout: 80_000 });
    const grid = page.getByRole('grid', { name: 'Lista de usuários' });
    expect(await grid.getAttribute('aria-rowcount')).toBe('100053');
    // Only a window of rows is in the DOM.
    expect(await grid.getByRole('row').count()).toBeLessThan(120);
    await screenshot(page, '18-users-100k');

    await grid.focus();
    await page.keyboard.press('End');
    await grid.locator('[role="row"][aria-rowindex="100053"][aria-selected="true"] [role="gridcell"]').first().waitFor();
    expect(await grid.locator('[aria-rowindex="100053"]').getAttribute('data-user-id')).toBeTruthy();

    await page.getByLabel('Buscar usuários').fill('gen.99999');
    await page.getByText('1 usuário', { exact: true }).waitFor();
    await grid.getByRole('row', { name: /gen\.99999/ }).waitFor();
  }, 120_000);

  it('issue 14: the CSP without inline styles refused nothing; the virtualized rows are placed through the CSSOM', async () => {
    const { page } = env;
    const response = await page.request.get(env.host.url);
    expect(response.headers()['content-security-policy']).toMatch(/style-src 'self';/);
    expect(response.headers()['content-security-policy']).not.toContain('unsafe-inline');
    const body = page.locator('.grid-body');
    // React writes the row area's height through the CSSOM; the CSP lets it apply (computed = set).
    const heights = await body.evaluate((el) => ({ set: (el as HTMLElement).style.height, computed: getComputedStyle(el).height }));
    expect(heights.set).toMatch(/^\d+(\.\d+)?px$/);
    expect(heights.computed).toBe(heights.set);
    expect(env.cspViolations).toEqual([]);
  });
});
