import { describe, expect, it } from 'vitest';
import { LAUNCHED_MARK, LAUNCH_MALLOC_ENV, LAUNCH_V8_FLAGS, RELAUNCHED_SWITCH, launchPlan } from '../../../../src-main/shell/launch-settings';

const FLAGS = `--js-flags=${LAUNCH_V8_FLAGS.join(' ')}`;

describe('launch settings (issue 10: a packaged start relaunches once with the memory settings)', () => {
  it('a start on Linux without them relaunches once, with the malloc settings, the V8 flag first and the same arguments', () => {
    const plan = launchPlan({ PATH: '/usr/bin' }, ['--some-switch', 'omniconsole://x'], 'linux');
    expect(plan).toEqual({
      relaunch: true,
      env: { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', [LAUNCHED_MARK]: '1' },
      args: [FLAGS, RELAUNCHED_SWITCH, '--some-switch', 'omniconsole://x'],
    });
    // The relaunched process runs, whatever it lacks: by its environment's mark, and by its switch
    // alone (should the environment not reach it, it still never relaunches again).
    const relaunched = { PATH: '/usr/bin', ...(plan.relaunch ? plan.env : {}) };
    expect(launchPlan(relaunched, plan.relaunch ? plan.args : [], 'linux')).toEqual({ relaunch: false });
    expect(launchPlan({ PATH: '/usr/bin' }, plan.relaunch ? plan.args : [], 'linux')).toEqual({ relaunch: false });
    expect(launchPlan({ [LAUNCHED_MARK]: '1' }, [], 'linux')).toEqual({ relaunch: false });
  });

  it('`npm start` passes them itself (the mark), so nothing relaunches; values already given win', () => {
    expect(launchPlan({ ...LAUNCH_MALLOC_ENV, [LAUNCHED_MARK]: '1' }, [FLAGS, '.'], 'linux')).toEqual({ relaunch: false });
    // Someone's own --js-flags and malloc settings are kept (no relaunch needed for them).
    expect(launchPlan({ MALLOC_ARENA_MAX: '4', MALLOC_MMAP_THRESHOLD_: '65536' }, ['--js-flags=--max-old-space-size=512'], 'linux')).toEqual({ relaunch: false });
    // Their own --js-flags kept, the missing malloc setting added.
    expect(launchPlan({ MALLOC_ARENA_MAX: '4' }, ['--js-flags', '--trace-gc'], 'linux')).toEqual({
      relaunch: true,
      env: { MALLOC_MMAP_THRESHOLD_: '131072', [LAUNCHED_MARK]: '1' },
      args: [RELAUNCHED_SWITCH, '--js-flags', '--trace-gc'],
    });
  });

  it('elsewhere than Linux (no glibc) only the V8 flag is missing', () => {
    expect(launchPlan({}, [], 'win32')).toEqual({ relaunch: true, env: { [LAUNCHED_MARK]: '1' }, args: [FLAGS, RELAUNCHED_SWITCH] });
    expect(launchPlan({}, [FLAGS], 'darwin')).toEqual({ relaunch: false });
  });
});
