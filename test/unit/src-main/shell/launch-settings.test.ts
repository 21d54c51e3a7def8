import { describe, expect, it } from 'vitest';
import { LAUNCHED_MARK, LAUNCH_MALLOC_ENV, LAUNCH_V8_FLAGS, launchPlan } from '../../../../src-main/shell/launch-settings';

const FLAGS = `--js-flags=${LAUNCH_V8_FLAGS.join(' ')}`;

describe('launch settings (issue 10: a packaged start relaunches once with the memory settings)', () => {
  it('a start on Linux without them relaunches once, with the malloc settings, the V8 flag first and the same arguments', () => {
    const plan = launchPlan({ PATH: '/usr/bin' }, ['--some-switch', 'omniconsole://x'], 'linux');
    expect(plan).toEqual({
      relaunch: true,
      env: { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', [LAUNCHED_MARK]: '1' },
      args: [FLAGS, '--some-switch', 'omniconsole://x'],
    });
    // The relaunched process (its environment now has the mark) runs, whatever it lacks.
    const relaunched = { PATH: '/usr/bin', ...(plan.relaunch ? plan.env : {}) };
    expect(launchPlan(relaunched, plan.relaunch ? plan.args : [], 'linux')).toEqual({ relaunch: false });
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
      args: ['--js-flags', '--trace-gc'],
    });
  });

  it('elsewhere than Linux (no glibc) only the V8 flag is missing', () => {
    expect(launchPlan({}, [], 'win32')).toEqual({ relaunch: true, env: { [LAUNCHED_MARK]: '1' }, args: [FLAGS] });
    expect(launchPlan({}, [FLAGS], 'darwin')).toEqual({ relaunch: false });
  });
});
