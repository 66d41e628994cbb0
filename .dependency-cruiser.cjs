/** Layer rules: lower layers never reach up, and no file imports itself round a loop. */
module.exports = {
  forbidden: [
    {
      name: 'commands-not-upward',
      comment: 'commands/ sits below the scheduler, answering and the adapters',
      severity: 'error',
      from: { path: '^src/commands/' },
      to: { path: '^src/(scheduler|answer|bots)/' },
    },
    {
      name: 'bots-through-router',
      comment: 'adapters reach data only through the router, and get their deps (src/bots/platform.ts), not the whole app',
      severity: 'error',
      from: { path: '^src/bots/' },
      to: { path: ['^src/(store|index|ingest|parser)/', '^src/app\\.ts$', 'node_modules/minisearch/'] },
    },
    {
      name: 'answer-scheduler-not-commands',
      comment: 'answer/ and scheduler/ share presentation from a neutral module, not from commands/',
      severity: 'error',
      from: { path: '^src/(answer|scheduler)/' },
      to: { path: '^src/commands/' },
    },
    {
      name: 'cli-not-bots',
      comment: "the CLI is a surface beside the adapters: it shares the router and the text renderer, not an adapter's code",
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/bots/' },
    },
    {
      name: 'render-below-surfaces',
      comment: 'the neutral renderers serve every surface, so they import none',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { path: '^src/(bots|cli)/' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
