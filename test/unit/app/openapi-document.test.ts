import { execFileSync } from 'node:child_process';
import { openApiDocument } from '../../../server/src/api-schemas';

/**
 * The validator is an ES module, which jest's CommonJS runtime cannot load: it runs in a child
 * node process that reads the document on stdin and prints its verdict.
 */
function validateWithOpenApiValidator(document: unknown): { valid: boolean; errors?: unknown } {
	const script = `
		import { Validator } from '@seriousme/openapi-schema-validator';
		let text = '';
		for await (const chunk of process.stdin) text += chunk;
		const validator = new Validator();
		const result = await validator.validate(JSON.parse(text));
		process.stdout.write(JSON.stringify({ ...result, version: validator.version }));
	`;
	const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
		input: JSON.stringify(document),
		cwd: process.cwd(),
	});
	return JSON.parse(out.toString());
}

test('when the OpenAPI document is checked by an OpenAPI 3.1 validator, then it is valid', () => {
	const result = validateWithOpenApiValidator(openApiDocument());
	expect(result).toMatchObject({ valid: true, version: '3.1' });
});

test('when a document is broken, then the validator says so (the check can fail)', () => {
	const broken = { ...openApiDocument(), paths: { '/x': { get: { responses: { 200: { content: 1 } } } } } };
	expect(validateWithOpenApiValidator(broken).valid).toBe(false);
});
