// Builds dist/ once before the suite (CLI tests run the compiled `waybill` the way people do) and
// says plainly when the PostgreSQL half of the integration suites will not run.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  // Tests never reach a real model: a developer's OPENAI_* variables must not change what they see.
  delete process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_BASE_URL;
  delete process.env.WAYBILL_NLU;
  const root = path.resolve(__dirname, '..', '..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  if (!process.env.TEST_DATABASE_URL) {
    process.stderr.write(
      '\n[waybill] PostgreSQL suite SKIPPED: TEST_DATABASE_URL is not set, integration tests run on SQLite only.\n' +
        '          Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run them on PostgreSQL too.\n\n',
    );
  }
};
