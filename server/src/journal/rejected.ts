import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Lines that can never be stored (not an event, or refused by the database: e.g. their campaign
 * was deleted) go to DATA_DIR/journal/rejected, one JSON line each with the reason, so they never
 * block the lines behind them and an operator can still read them.
 */
export class RejectedLines {
	private total = 0;

	constructor(private readonly dir: string) {}

	get count(): number {
		return this.total;
	}

	async add(lines: Array<{ line: string; reason: string }>): Promise<void> {
		if (lines.length === 0) return;
		await mkdir(this.dir, { recursive: true, mode: 0o700 });
		const at = new Date().toISOString();
		await appendFile(
			path.join(this.dir, 'rejected'),
			lines.map((l) => JSON.stringify({ at, reason: l.reason, line: l.line }) + '\n').join(''),
			{ mode: 0o600, flush: true },
		);
		this.total += lines.length;
	}
}
