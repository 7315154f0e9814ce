// The date range and time zone every card of a campaign follows: presets (today, yesterday, the
// last 7, 14 or 30 days including today, the whole campaign) and custom days, all in the chosen
// time zone, turned into the from/to instants the API takes ([from, to), midnight to midnight).
import { $, el } from './dom.js';

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const storageKey = 'smsTracking.range';

export const presets = [
	['today', 'Today'],
	['yesterday', 'Yesterday'],
	['last7', 'Last 7 days'],
	['last14', 'Last 14 days'],
	['last30', 'Last 30 days'],
	['all', 'Whole campaign'],
	['custom', 'Custom…'],
];

const saved = (() => {
	try {
		return JSON.parse(sessionStorage.getItem(storageKey) ?? 'null');
	} catch {
		return null;
	}
})();
/** preset, and for custom the first and last day (YYYY-MM-DD, both included). */
const state = {
	preset: saved?.preset ?? 'all',
	from: saved?.from ?? '',
	to: saved?.to ?? '',
	timeZone: saved?.timeZone ?? browserZone,
};

const listeners = new Set();
export const onRangeChange = (fn) => listeners.add(fn);
export const timeZone = () => state.timeZone;

function ymdIn(zone, instant) {
	const p = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
		})
			.formatToParts(instant)
			.map((x) => [x.type, x.value]),
	);
	return `${p.year}-${p.month}-${p.day}`;
}

/** The day `days` after a YYYY-MM-DD day. */
function addDays(day, days) {
	const [y, m, d] = day.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(zone, ms) {
	const p = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		})
			.formatToParts(new Date(ms))
			.map((x) => [x.type, x.value]),
	);
	const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
	return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant a day begins in the zone (its first wall-clock moment, daylight saving included). */
export function startOfDay(day, zone) {
	const [y, m, d] = day.split('-').map(Number);
	const wall = Date.UTC(y, m - 1, d);
	let ms = wall - offsetAt(zone, wall);
	ms = wall - offsetAt(zone, ms); // a second pass lands on the offset in force that day
	return new Date(ms);
}

/** First and last day (included) of the current choice; null for the whole campaign. */
export function rangeDays(now = new Date()) {
	const today = ymdIn(state.timeZone, now);
	switch (state.preset) {
		case 'today':
			return [today, today];
		case 'yesterday':
			return [addDays(today, -1), addDays(today, -1)];
		case 'last7':
			return [addDays(today, -6), today];
		case 'last14':
			return [addDays(today, -13), today];
		case 'last30':
			return [addDays(today, -29), today];
		case 'custom':
			return state.from && state.to ? [state.from, state.to] : null;
		default:
			return null;
	}
}

/** The query of the API for the range: from, to (exclusive) and timeZone; an error text when the custom days are wrong. */
export function rangeQuery() {
	const days = rangeDays();
	const query = new URLSearchParams({ timeZone: state.timeZone });
	if (state.preset === 'custom') {
		if (!state.from || !state.to) return { error: 'Pick the first and the last day.' };
		if (state.from > state.to) return { error: 'The first day must not be after the last day.' };
	}
	if (days) {
		query.set('from', startOfDay(days[0], state.timeZone).toISOString());
		query.set('to', startOfDay(addDays(days[1], 1), state.timeZone).toISOString());
	}
	return { query, days };
}

/** A short text of the range for headings: "Nov 20 – Nov 26, 2026 · Europe/Berlin". */
export function rangeLabel() {
	const days = rangeDays();
	const day = (d) =>
		new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(
			new Date(`${d}T00:00:00Z`),
		);
	const span = !days ? 'Whole campaign' : days[0] === days[1] ? day(days[0]) : `${day(days[0])} – ${day(days[1])}`;
	return `${span} · ${state.timeZone}`;
}

function zones() {
	const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
	return [...new Set([browserZone, 'UTC', ...all])];
}

function save() {
	sessionStorage.setItem(storageKey, JSON.stringify(state));
}

function sync() {
	$('range-preset').value = state.preset;
	$('range-tz').value = state.timeZone;
	$('range-custom').hidden = state.preset !== 'custom';
	$('range-from').value = state.from;
	$('range-to').value = state.to;
	const { error } = rangeQuery();
	$('range-error').textContent = error ?? '';
	$('range-error').hidden = !error;
	$('range-label').textContent = rangeLabel();
}

function changed() {
	save();
	sync();
	if (!rangeQuery().error) for (const fn of listeners) fn();
}

export function bindRangeControls() {
	$('range-preset').replaceChildren(...presets.map(([value, label]) => el('option', { value, text: label })));
	$('range-tz').replaceChildren(
		...zones().map((zone) => el('option', { value: zone, text: zone === browserZone ? `${zone} (this browser)` : zone })),
	);
	$('range-preset').addEventListener('change', (event) => {
		state.preset = event.target.value;
		if (state.preset === 'custom' && !state.from) {
			const today = ymdIn(state.timeZone, new Date());
			state.from = addDays(today, -6);
			state.to = today;
		}
		changed();
	});
	$('range-tz').addEventListener('change', (event) => {
		state.timeZone = event.target.value;
		changed();
	});
	for (const id of ['range-from', 'range-to'])
		$(id).addEventListener('change', (event) => {
			state[id === 'range-from' ? 'from' : 'to'] = event.target.value;
			changed();
		});
	sync();
}
