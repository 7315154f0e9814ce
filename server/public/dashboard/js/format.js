// Number formatting shared by every view (one locale, so tests and people read the same digits).
const locale = 'en-US';
const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(locale, {
	style: 'percent',
	minimumFractionDigits: 1,
	maximumFractionDigits: 1,
});

export const count = (n) => integer.format(n ?? 0);
export const rate = (r) => (r === null || r === undefined ? '—' : percent.format(r));

export function money(value, currency) {
	if (value === null || value === undefined) return '—';
	if (!currency)
		return new Intl.NumberFormat(locale, {
			minimumFractionDigits: 2,
			maximumFractionDigits: 2,
		}).format(value);
	return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(value);
}

export const roi = (r) => (r === null || r === undefined ? '—' : percent.format(r));

export function duration(seconds) {
	if (seconds === null || seconds === undefined) return '—';
	if (seconds < 60) return `${Math.round(seconds)} s`;
	if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
	if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} h`;
	return `${(seconds / 86400).toFixed(1)} d`;
}

export function pValue(p) {
	if (p === null || p === undefined) return '—';
	return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

export function bucketLabel(iso, size, timeZone) {
	const date = new Date(iso);
	const options =
		size === 'hour'
			? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }
			: { month: 'short', day: 'numeric' };
	return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(date);
}

export const dateTime = (iso, timeZone) =>
	new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
		new Date(iso),
	);

export const time = (iso) =>
	new Intl.DateTimeFormat(locale, {
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hour12: false,
	}).format(new Date(iso));
