/** Runs work over the list with at most `limit` calls in flight; results keep the list's order. */
export async function mapWithConcurrency<T, R>(
	list: T[],
	limit: number,
	work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(list.length);
	let next = 0;
	const worker = async () => {
		while (next < list.length) {
			const index = next++;
			results[index] = await work(list[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, list.length)) }, worker));
	return results;
}

export function chunk<T>(list: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
	return chunks;
}
