/**
 * The entry whose metadata the tracking server refused in a batch (`recipients[3].metadata is
 * 3012 bytes of JSON; at most 2048 are allowed (metadata_too_large)`), so that only its item fails
 * and the rest of the batch is sent again. The server's limit is its own setting
 * (RECIPIENT_METADATA_MAX_BYTES), so the node learns it from the answer.
 */
export function rejectedMetadata(
	error: Error,
	list: 'recipients' | 'messages',
): { index: number; reason: string } | undefined {
	const match = new RegExp(
		`^${list}\\[(\\d+)\\]\\.metadata (.+) \\((?:invalid_metadata|metadata_too_large)\\)$`,
	).exec(error.message ?? '');
	return match ? { index: Number(match[1]), reason: `Recipient Metadata ${match[2]}` } : undefined;
}
