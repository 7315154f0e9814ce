// The per-recipient table: the filters of Get Recipients with the dates of the range bar (every
// recipient, with the figures of those dates), pages of 25 with the API's cursor, phone numbers
// masked as in the live feed until the user asks to see them (the read key may read them).
import { api } from './api.js';
import { $, el } from './dom.js';
import * as fmt from './format.js';
import { maskPhone } from './phone.js';
import { rangeLabel, rangeQuery } from './range.js';

const pageSize = 25;
let campaignId = null;
/** Cursors of the pages before the shown one (the first page has none). */
let cursors = [];
let nextCursor = null;
let showNumbers = false;
let rows = [];
const current = { currency: null, timeZone: 'UTC' };

/**
 * The filters and the range bar's from/to as GET …/recipients takes them (empty ones left out);
 * null while the range bar's custom days are wrong (it says why).
 */
export function recipientFilters() {
	const range = rangeQuery();
	if (range.error) return null;
	const query = new URLSearchParams();
	for (const param of ['from', 'to']) if (range.query.has(param)) query.set(param, range.query.get(param));
	for (const [param, id] of [
		['status', 'rcp-status'],
		['clicked', 'rcp-clicked'],
		['converted', 'rcp-converted'],
		['variant', 'rcp-variant'],
		['country', 'rcp-country'],
	]) {
		const value = $(id).value.trim();
		if (value) query.set(param, value);
	}
	return query;
}

function render(timeZone) {
	const head = el(
		'tr',
		{},
		...['Recipient', 'Variant', 'Status', 'Views', 'Clicks', 'Conversions', 'Revenue', 'First click'].map((h, i) =>
			el('th', { class: i > 2 ? 'num' : '', text: h }),
		),
	);
	const body = rows.length
		? rows.map((r) =>
				// Full numbers enter the page only when asked for: not even in attributes.
				el(
					'tr',
					{ class: 'recipient-row' },
					el('td', { class: 'phone', text: showNumbers ? r.recipient : maskPhone(r.recipient) }),
					el('td', { text: r.variant ?? '—' }),
					el('td', { text: r.status ?? 'not reported' }),
					el('td', { class: 'num', text: fmt.count(r.views) }),
					el('td', { class: 'num', text: fmt.count(r.clicks) }),
					el('td', { class: 'num', text: fmt.count(r.conversions) }),
					el('td', { class: 'num', text: fmt.money(r.revenue, current.currency) }),
					el('td', { class: 'num', text: r.firstClickAt ? fmt.dateTime(r.firstClickAt, timeZone) : '—' }),
				),
			)
		: [el('tr', {}, el('td', { colspan: 8, class: 'muted', text: 'No recipient matches these filters.' }))];
	$('recipients-table').replaceChildren(el('thead', {}, head), el('tbody', {}, ...body));
	$('rcp-prev').disabled = cursors.length === 0;
	$('rcp-next').disabled = !nextCursor;
	$('rcp-page').textContent = `Page ${cursors.length + 1}`;
}

/** The latest page asked for: an answer to an earlier one (other dates, filters) is dropped. */
let asked = 0;

async function load(cursor) {
	const query = recipientFilters();
	if (!query) return;
	query.set('limit', String(pageSize));
	if (cursor) query.set('cursor', cursor);
	const label = rangeLabel();
	const mine = ++asked;
	$('rcp-error').hidden = true;
	try {
		const page = await api('GET', `/campaigns/${encodeURIComponent(campaignId)}/recipients?${query}`);
		if (mine !== asked) return;
		$('rcp-scope').textContent = label;
		rows = page.recipients;
		nextCursor = page.nextCursor;
		render(current.timeZone);
	} catch (err) {
		if (mine !== asked) return;
		$('rcp-error').textContent = err.message;
		$('rcp-error').hidden = false;
	}
}

/** Shows the first page of a campaign's recipients with the filters reset. */
export async function showRecipients(campaign, timeZone) {
	campaignId = campaign.id;
	current.currency = campaign.currency;
	current.timeZone = timeZone;
	cursors = [];
	for (const id of ['rcp-status', 'rcp-clicked', 'rcp-converted', 'rcp-country']) $(id).value = '';
	$('rcp-variant').replaceChildren(
		el('option', { value: '', text: 'Any variant' }),
		...(campaign.variants ?? []).map((v) => el('option', { value: v.name, text: v.name })),
		campaign.holdout ? el('option', { value: 'holdout', text: 'Hold-out' }) : null,
	);
	await load(null);
}

/** The first page again for new dates (the figures are those of the range) or a new time zone. */
export async function recipientsRange(timeZone) {
	current.timeZone = timeZone;
	if (!campaignId) return;
	cursors = [];
	await load(null);
}

export function bindRecipientControls() {
	const refilter = () => {
		cursors = [];
		load(null);
	};
	for (const id of ['rcp-status', 'rcp-clicked', 'rcp-converted', 'rcp-variant']) $(id).addEventListener('change', refilter);
	$('rcp-country').addEventListener('change', refilter);
	$('rcp-next').addEventListener('click', () => {
		if (!nextCursor) return;
		cursors.push(nextCursor);
		load(nextCursor);
	});
	$('rcp-prev').addEventListener('click', () => {
		cursors.pop();
		load(cursors[cursors.length - 1] ?? null);
	});
	$('rcp-show-numbers').addEventListener('change', (event) => {
		showNumbers = event.target.checked;
		render(current.timeZone);
	});
}
