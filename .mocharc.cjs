// Files or folders named on the command line (`npx mocha test/x.test.ts`) are run alone; mocha
// would otherwise add them to the default spec and run the whole suite.
const named = process.argv
  .slice(2)
  .some((arg) => !arg.startsWith('-') && /^(\.\/)?test\/|\.test\.ts$/.test(arg));

module.exports = {
  require: ['tsx/cjs', 'test/hooks.ts'],
  extension: ['ts'],
  ...(named ? {} : { spec: ['test/**/*.test.ts'] }),
  timeout: 30000,
  recursive: true,
  exit: true,
  reporter: './test/support/summaryReporter.cjs',
};
