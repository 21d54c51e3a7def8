/**
 * Issue 10: the settings the console's memory was measured with, for a start that nobody launched
 * with them (a packaged app started from the desktop: no `npm start` in front of it). V8's young
 * generation and glibc's malloc read them when the process starts, so such a start relaunches the
 * app once with them; `scripts/start.mjs` (`npm start`) passes the same ones itself and says so
 * (`LAUNCHED_MARK`), and so does the relaunched process. Values already given win: a `--js-flags`
 * on the command line, a `MALLOC_*` in the environment.
 */

/** A young generation of 4 MB semi-spaces (see scripts/start.mjs for the measurements). */
export const LAUNCH_V8_FLAGS = ['--max-semi-space-size=4'] as const;

/** glibc's malloc: two arenas and a fixed 128 kB mmap threshold (see scripts/start.mjs); other C libraries ignore them. */
export const LAUNCH_MALLOC_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' } as const;

/** Set in the environment of a process started with the settings (by `npm start` or by the relaunch). */
export const LAUNCHED_MARK = 'OMNICONSOLE_LAUNCH_SETTINGS';

/**
 * The switch the relaunch adds to its arguments: a relaunched process never relaunches, even where
 * the environment would not reach it (Chromium ignores switches it does not know).
 */
export const RELAUNCHED_SWITCH = '--omniconsole-relaunched';

/** What a start does: run as it is, or relaunch once with these environment additions and arguments. */
export type LaunchPlan = { relaunch: false } | { relaunch: true; env: Record<string, string>; args: string[] };

/**
 * The plan for a start with this environment, these arguments (without the executable) and on this
 * platform. A process already started with the settings (the mark) or by the relaunch (the switch)
 * never relaunches, so there is at most one relaunch.
 */
export function launchPlan(env: Readonly<Record<string, string | undefined>>, args: readonly string[], platform: NodeJS.Platform): LaunchPlan {
  if (env[LAUNCHED_MARK] === '1' || args.includes(RELAUNCHED_SWITCH)) return { relaunch: false };
  const additions: Record<string, string> = {};
  if (platform === 'linux') {
    for (const [name, value] of Object.entries(LAUNCH_MALLOC_ENV)) if (env[name] === undefined) additions[name] = value;
  }
  const hasFlags = args.some((arg) => arg === '--js-flags' || arg.startsWith('--js-flags='));
  if (hasFlags && Object.keys(additions).length === 0) return { relaunch: false };
  return {
    relaunch: true,
    env: { ...additions, [LAUNCHED_MARK]: '1' },
    args: [...(hasFlags ? [] : [`--js-flags=${LAUNCH_V8_FLAGS.join(' ')}`]), RELAUNCHED_SWITCH, ...args],
  };
}
