// The per-recipient table: the filters of Get Recipients, pages of 25 with the API's cursor, phone
// numbers masked as in the live feed until the user asks to see them (the read key may read them).
import { api } from './api.js';
import { $, el } from './dom.js';
import * as fmt from './format.js';
import { maskPhone } from './phone.js';

const pageSize = 25;
let campaignId = null;
/** Cursors of the pages before the shown one (the first page has none). */
let cursors = [];
let nextCursor = null;
let showNumbers = false;
let rows = [];
const current = { currency: null, timeZone: 'UTC' };

/** The filters as GET …/recipients takes them (empty ones left out). */
export function recipientFilters() {
	const query = new URLSearchParams();
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

async function load(cursor) {
	const query = recipientFilters();
	query.set('limit', String(pageSize));
	if (cursor) query.set('cursor', cursor);
	$('rcp-error').hidden = true;
	try {
		const page = await api('GET', `/campaigns/${encodeURIComponent(campaignId)}/recipients?${query}`);
		rows = page.recipients;
		nextCursor = page.nextCursor;
		render(current.timeZone);
	} catch (err) {
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

export function recipientsTimeZone(timeZone) {
	current.timeZone = timeZone;
	if (campaignId) render(timeZone);
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
