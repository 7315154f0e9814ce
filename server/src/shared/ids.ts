import { customAlphabet } from 'nanoid';

/** GSM-7 safe (one septet each), URL safe, and case-sensitive: 62 symbols. Short codes use it too. */
export const idAlphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random ids with a type prefix, e.g. cmp_3xY…; not guessable. */
const idPart = customAlphabet(idAlphabet, 20);
export const newId = (prefix: string) => `${prefix}_${idPart()}`;

/** Unguessable ids (62²² ≈ 2¹³¹): the click id that conversions refer to, and event keys. */
export const newClickId = customAlphabet(idAlphabet, 22);
