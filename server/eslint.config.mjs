import tseslint from 'typescript-eslint';

export default tseslint.config(...tseslint.configs.recommended, {
	rules: {
		'no-console': 'error',
		'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
	},
});
