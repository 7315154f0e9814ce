import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'public/vendor/**'] },
	...tseslint.configs.recommended,
	{
		rules: {
			'no-console': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
	{
		// Benchmarks are CommonJS scripts run by node against the built server; they print their figures.
		files: ['bench/**/*.js'],
		rules: { '@typescript-eslint/no-require-imports': 'off', 'no-console': 'off' },
	},
);
