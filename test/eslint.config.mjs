// The tests run in Node under jest, not inside n8n: they take the server's rules rather than the
// community-package rules of the root config (eslint looks configs up per folder: see `lint` in
// package.json), loosened where test code has its reasons: untyped JSON from n8n's API, `require`
// of the built package as n8n loads it, progress lines from the end-to-end harness.
import server from '../server/eslint.config.mjs';

export default [
	...server,
	{
		rules: {
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-require-imports': 'off',
			'no-console': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', ignoreRestSiblings: true },
			],
		},
	},
];
