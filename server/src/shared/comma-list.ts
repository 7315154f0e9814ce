/** "a, b,,c" → ['a', 'b', 'c']: comma-separated values, trimmed, empty ones dropped. */
export function commaList(raw: string | undefined): string[] {
	return (raw ?? '')
		.split(',')
		.map((value) => value.trim())
		.filter(Boolean);
}
