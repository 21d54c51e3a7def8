/** Import rules of ARCHITECTURE.md, checked in `npm test`. */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      comment:
        'src-shared is the contract: no Node, Electron, React or other src-* folders. zod everywhere; the password policy alone also uses zxcvbn-ts (issue 9 class 7: one estimator and its dictionaries for the platform and the console, loaded lazily).',
      severity: 'error',
      from: { path: '^src-shared/' },
      to: { pathNot: ['^src-shared/', '(^|/)node_modules/zod/', '(^|/)node_modules/@zxcvbn-ts/'] },
    },
    {
      name: 'shared-zxcvbn-only-in-password-policy',
      severity: 'error',
      from: { path: '^src-shared/', pathNot: '^src-shared/password-policy\\.ts$' },
      to: { path: '(^|/)node_modules/@zxcvbn-ts/' },
    },
    {
      name: 'password-dictionaries-not-in-main',
      comment: 'The dictionaries (several MB) stay out of the sandboxed preload and the main bundle: only the renderer (a lazy chunk) and the platform check passwords.',
      severity: 'error',
      from: { path: '^src-main/' },
      to: { path: ['^src-shared/password-policy\\.ts$', '(^|/)node_modules/@zxcvbn-ts/'] },
    },
    {
      name: 'shared-no-node-builtins',
      severity: 'error',
      from: { path: '^src-shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'main-not-renderer',
      severity: 'error',
      from: { path: '^src-main/' },
      to: { path: '^src-renderer/' },
    },
    {
      name: 'renderer-not-main-nor-platform',
      comment: 'The renderer sees only window.consoleApi, typed from src-shared.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: ['^src-main/', '^src-platform/'] },
    },
    {
      name: 'renderer-no-node',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'platform-not-console',
      severity: 'error',
      from: { path: '^src-platform/' },
      to: { path: ['^src-main/', '^src-renderer/'] },
    },
    {
      name: 'electron-only-in-glue',
      comment: 'Only main.ts, preload.ts and src-main/electron/ adapters import electron.',
      severity: 'error',
      from: { pathNot: ['^src-main/main\\.ts$', '^src-main/preload\\.ts$', '^src-main/electron/'] },
      to: { path: '(^|/)node_modules/electron/' },
    },
    {
      name: 'browser-host-not-in-app',
      comment: 'The browser host is for development and e2e only; the Electron app never imports it.',
      severity: 'error',
      from: { path: '^src-main/', pathNot: '^src-main/browser-host/' },
      to: { path: '^src-main/browser-host/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
