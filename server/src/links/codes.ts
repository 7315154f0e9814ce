import { customAlphabet } from 'nanoid';

/** GSM-7 safe (one septet each), URL safe, and case-sensitive: 62 symbols. */
export const codeAlphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export type CodeGenerator = () => string;

export function createCodeGenerator(length: number): CodeGenerator {
	return customAlphabet(codeAlphabet, length);
}

export const isWellFormedCode = (code: string, length: number) =>
	code.length === length && /^[0-9A-Za-z]+$/.test(code);

/** Random ids with a type prefix, e.g. cmp_3xY…; not guessable. */
const idPart = customAlphabet(codeAlphabet, 20);
export const newId = (prefix: string) => `${prefix}_${idPart()}`;
