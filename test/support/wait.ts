/**
 * The one way tests wait: poll a state until it is what the test expects, or fail naming what was
 * awaited and the last value seen. Tests never sleep for a fixed time to let something happen, and
 * never to prove that something did not happen: they wait for a state that would show it (a row, a
 * counter, a later event processed after it).
 */
export interface WaitOptions<T> {
	/** What is awaited, for the failure message: "the delivery to be delivered". */
	what: string;
	/** Whether the probed value is the awaited state; by default any truthy value is. */
	until?: (value: T) => boolean;
	timeoutMs?: number;
	intervalMs?: number;
}

/**
 * Calls `probe` until `until(value)` holds and returns that value. A probe that throws fails the
 * wait at once: an error is not a state to wait through.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitOptions<T>): Promise<T> {
	const { what, until = Boolean, timeoutMs = 15_000, intervalMs = 50 } = options;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (until(value)) return value;
		if (Date.now() > deadline) {
			throw new Error(
				`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${describe(value)}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

function describe(value: unknown): string {
	try {
		const text = JSON.stringify(value) ?? String(value);
		return text.length > 500 ? `${text.slice(0, 500)}…` : text;
	} catch {
		return String(value);
	}
}
