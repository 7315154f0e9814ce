import { customAlphabet } from 'nanoid';
import { idAlphabet } from '../shared/ids';

export type CodeGenerator = () => string;

export function createCodeGenerator(length: number): CodeGenerator {
	return customAlphabet(idAlphabet, length);
}
