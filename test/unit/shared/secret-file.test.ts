import {
	chmodSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InsecureSecretFile, readOrCreateSecret } from '../../../server/src/shared/secret-file';

const scratch = () => mkdtempSync(path.join(tmpdir(), 'sms-secret-file-'));
const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('secret files', () => {
	test('when the file does not exist, then it is created with mode 0600 in a new 0700 folder, and only this call says it created it', () => {
		const dataDir = path.join(scratch(), 'data');
		const first = readOrCreateSecret(dataDir, 'api-key', () => 'sk_first');
		expect(first).toEqual({
			value: 'sk_first',
			file: path.join(dataDir, 'api-key'),
			created: true,
		});
		expect(modeOf(dataDir)).toBe(0o700);
		expect(modeOf(first.file)).toBe(0o600);
		expect(readFileSync(first.file, 'utf8')).toBe('sk_first\n');
		const again = readOrCreateSecret(dataDir, 'api-key', () => 'sk_second');
		expect(again).toEqual({ value: 'sk_first', file: first.file, created: false });
		// No temporary file is left behind.
		expect(readdirSync(dataDir)).toEqual(['api-key']);
	});

	test('when another process created the file between the check and the write, then its secret is kept and used', () => {
		const dataDir = scratch();
		const file = path.join(dataDir, 'ip-hash-salt');
		const result = readOrCreateSecret(dataDir, 'ip-hash-salt', () => {
			// The other process wins the race while this one generates its secret.
			writeFileSync(file, 'salt-of-the-other-process\n', { mode: 0o600 });
			return 'salt-of-this-process';
		});
		expect(result).toEqual({ value: 'salt-of-the-other-process', file, created: false });
		expect(readFileSync(file, 'utf8')).toBe('salt-of-the-other-process\n');
		expect(readdirSync(dataDir)).toEqual(['ip-hash-salt']);
	});

	test.each([0o644, 0o640, 0o604, 0o620])(
		'when an existing file has mode %o, then it is refused with the chmod that fixes it',
		(mode) => {
			const dataDir = scratch();
			const file = path.join(dataDir, 'api-key');
			writeFileSync(file, 'sk_open\n');
			chmodSync(file, mode);
			expect(() => readOrCreateSecret(dataDir, 'api-key', () => 'unused')).toThrow(
				InsecureSecretFile,
			);
			expect(() => readOrCreateSecret(dataDir, 'api-key', () => 'unused')).toThrow(
				`chmod 600 ${file}`,
			);
			expect(readFileSync(file, 'utf8')).toBe('sk_open\n');
		},
	);

	test('when an existing file has mode 0400, then it is read', () => {
		const dataDir = scratch();
		const file = path.join(dataDir, 'api-key');
		writeFileSync(file, 'sk_readonly\n');
		chmodSync(file, 0o400);
		expect(readOrCreateSecret(dataDir, 'api-key', () => 'unused').value).toBe('sk_readonly');
	});
});
