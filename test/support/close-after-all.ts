export interface Closable {
	close(): Promise<void>;
}

/**
 * For a test file that starts servers and receivers as it goes: returns `track`, which awaits a
 * started resource, remembers it and hands it back; after the file's tests every tracked resource
 * is closed, the last started first.
 */
export function closeAfterAll(): <T extends Closable>(started: Promise<T>) => Promise<T> {
	const open: Closable[] = [];
	afterAll(async () => {
		for (const x of open.reverse()) await x.close();
	});
	return async (started) => {
		const value = await started;
		open.push(value);
		return value;
	};
}
