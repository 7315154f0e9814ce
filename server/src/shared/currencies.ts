/** ISO 4217 codes as far as the runtime's Intl knows them (all active currencies). */
const currencies = new Set<string>(
	(Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('currency'),
);

/** Whether `code` (any case) is a currency code. */
export const isCurrency = (code: string): boolean => currencies.has(code.toUpperCase());
