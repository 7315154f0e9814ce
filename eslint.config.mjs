import { config } from '@n8n/node-cli/eslint';

// The server and the tests are not part of the community package; the server lints itself.
export default [{ ignores: ['server/**', 'test/**', 'examples/**', 'gulpfile.js', 'jest.config.js'] }, ...config];
