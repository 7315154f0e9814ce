/** Parses CSV (quoted cells, doubled quotes, lines ending in LF or CRLF) into rows of cells, for assertions. */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else cell += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			row.push(cell);
			cell = '';
		} else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			if (ch === '\r') i++;
		} else cell += ch;
	}
	if (cell !== '' || row.length) {
		row.push(cell);
		rows.push(row);
	}
	return rows;
}

/** CSV rows as objects keyed by the header row. */
export function csvRecords(text: string): Array<Record<string, string>> {
	const [header, ...rows] = parseCsv(text);
	return rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]])));
}
