import type { Response } from 'express';
import type { CopySink } from '../db';

/**
 * A text cell that a spreadsheet could read as a formula (=, +, -, @, or a leading tab or carriage
 * return) gets a leading apostrophe, so "+4915112345678" or "=HYPERLINK(…)" stay text when the
 * file is opened. Numbers the server computes are written as numbers (numberCell) and never
 * prefixed.
 */
const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]/;

export function textCell(value: string | null | undefined): string {
	if (value === null || value === undefined || value === '') return '';
	const safe = formulaStart.test(value) ? `'${value}` : value;
	return needsQuotes.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function numberCell(value: number | string | null | undefined): string {
	if (value === null || value === undefined || value === '') return '';
	const text = String(value);
	// Only digits, a sign, a point and an exponent: anything else is not a number and goes as text.
	return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text) ? text : textCell(text);
}

/** Lines end in \n, as PostgreSQL's COPY ends them (every spreadsheet reads that). */
export const csvLine = (cells: string[]) => `${cells.join(',')}\n`;

/**
 * The same rule as textCell for a text column of a statement whose output PostgreSQL writes as CSV
 * itself (COPY quotes what needs quoting): a leading apostrophe when it starts like a formula. The
 * first character is compared by its code (ascii() gives it for any character, 0 for ''), which
 * costs PostgreSQL a third of comparing left(…, 1) as text, allocated for every value.
 */
const formulaCodes = ['=', '+', '-', '@', '\t', '\r'].map((c) => c.charCodeAt(0)).join(', ');
export const sqlTextCell = (column: string) =>
	`CASE WHEN ascii(${column}) IN (${formulaCodes}) THEN '''' || ${column} ELSE ${column} END`;

/**
 * A timestamptz column as "YYYY-MM-DD HH:MM:SS[.fff]" (what spreadsheets read as a date) in UTC,
 * and in the time zone of the COPY's session (copyCsv's timeZone).
 */
export const sqlUtcTime = (column: string) => `(${column} AT TIME ZONE INTERVAL '0')::timestamp(3)`;
export const sqlLocalTime = (column: string) => `${column}::timestamp(3)`;

/** Headers of a CSV download; the file name is built from ids and dates only. */
export function startCsv(res: Response, fileName: string): void {
	res.status(200);
	res.setHeader('Content-Type', 'text/csv; charset=utf-8');
	res.setHeader('Content-Disposition', `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`);
	res.setHeader('Cache-Control', 'no-store');
	res.setHeader('X-Content-Type-Options', 'nosniff');
}

/** The response as the sink of a COPY: its write() and, when it is behind, its next drain (or close). */
export function responseSink(res: Response): CopySink {
	return {
		write: (chunk) => !res.destroyed && res.write(chunk),
		drained: () =>
			res.destroyed
				? Promise.resolve(false)
				: new Promise((resolve) => {
						const done = (ok: boolean) => {
							res.off('drain', onDrain);
							res.off('close', onClose);
							resolve(ok);
						};
						const onDrain = () => done(true);
						const onClose = () => done(false);
						res.on('drain', onDrain);
						res.on('close', onClose);
					}),
	};
}
