/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): every line must be a
 * `# HELP`, a `# TYPE`, a comment, blank, or a sample `name{label="value",…} number`; anything else
 * throws, naming the line. Samples of a metric must follow its TYPE line.
 */
export interface Sample {
	name: string;
	labels: Record<string, string>;
	value: number;
}

export interface Exposition {
	samples: Sample[];
	/** Metric family name → its TYPE (counter, gauge, histogram, summary, untyped). */
	types: Map<string, string>;
	help: Map<string, string>;
	/** The value of the one sample with this name and these labels (undefined when absent). */
	value(name: string, labels?: Record<string, string>): number | undefined;
}

const metricName = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const sampleLine = new RegExp(`^(${metricName})(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+-?\\d+)?$`);
const labelPair = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
const suffixes = ['_bucket', '_sum', '_count', '_total', '_created'];

function parseLabels(text: string, line: string): Record<string, string> {
	const labels: Record<string, string> = {};
	labelPair.lastIndex = 0;
	while (labelPair.lastIndex < text.length) {
		const match = labelPair.exec(text);
		if (!match) throw new Error(`bad labels in line: ${line}`);
		labels[match[1]] = match[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
	}
	return labels;
}

function parseValue(raw: string, line: string): number {
	// Go's ParseFloat, which Prometheus uses, takes these in any case.
	if (/^\+?inf$/i.test(raw)) return Infinity;
	if (/^-inf$/i.test(raw)) return -Infinity;
	if (/^nan$/i.test(raw)) return NaN;
	const value = Number(raw);
	if (raw === '' || Number.isNaN(value)) throw new Error(`bad value in line: ${line}`);
	return value;
}

export function parseExposition(text: string): Exposition {
	const samples: Sample[] = [];
	const types = new Map<string, string>();
	const help = new Map<string, string>();
	for (const line of text.split('\n')) {
		if (line.trim() === '') continue;
		const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
		if (meta) {
			if (!new RegExp(`^${metricName}$`).test(meta[2])) throw new Error(`bad metric name: ${line}`);
			if (meta[1] === 'HELP') help.set(meta[2], meta[3]);
			else {
				if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(meta[3])) {
					throw new Error(`bad type: ${line}`);
				}
				types.set(meta[2], meta[3]);
			}
			continue;
		}
		if (line.startsWith('#')) continue;
		const match = sampleLine.exec(line);
		if (!match) throw new Error(`not a sample line: ${line}`);
		const [, name, labelText, raw] = match;
		const family = types.has(name)
			? name
			: suffixes
					.map((s) => (name.endsWith(s) ? name.slice(0, -s.length) : ''))
					.find((f) => types.has(f));
		if (!family) throw new Error(`sample before its TYPE line: ${line}`);
		samples.push({
			name,
			labels: labelText ? parseLabels(labelText, line) : {},
			value: parseValue(raw, line),
		});
	}
	return {
		samples,
		types,
		help,
		value(name, labels = {}) {
			const wanted = Object.entries(labels);
			return samples.find((s) => s.name === name && wanted.every(([k, v]) => s.labels[k] === v))
				?.value;
		},
	};
}
