// The live feed: the campaign's latest clicks, previews and conversions, newest on top.
import { $, el } from './dom.js';
import * as fmt from './format.js';

const maxRows = 50;
const typeLabels = { click: 'Click', view: 'Preview', conversion: 'Conversion' };

function row(event, fresh) {
	const device = [event.device?.type, event.device?.os].filter(Boolean).join(' · ');
	const conversion = event.conversion;
	const what =
		event.type === 'conversion' && conversion
			? [
					conversion.name,
					conversion.value === null ? null : fmt.money(conversion.value, conversion.currency),
				]
					.filter(Boolean)
					.join(' · ')
			: null;
	return el(
		'li',
		{
			class: `feed-row ${event.type}${fresh ? ' fresh' : ''}`,
			'data-event-id': event.id,
			'data-type': event.type,
		},
		el('span', { class: 'feed-type', text: typeLabels[event.type] ?? event.type }),
		el('time', {
			class: 'feed-time',
			datetime: event.occurredAt,
			text: fmt.time(event.occurredAt),
		}),
		el('span', {
			class: 'feed-recipient',
			'data-field': 'recipient',
			text: event.recipient ?? 'unknown',
		}),
		el(
			'span',
			{ class: 'feed-details' },
			device ? el('span', { 'data-field': 'device', text: device }) : null,
			event.country ? el('span', { 'data-field': 'country', text: event.country }) : null,
			event.wave !== undefined && event.wave !== null
				? el('span', { 'data-field': 'wave', text: `Wave ${event.wave}` })
				: null,
			event.variant
				? el('span', { 'data-field': 'variant', text: `Variant ${event.variant}` })
				: null,
			what ? el('span', { 'data-field': 'conversion', text: what }) : null,
		),
		el('span', {
			class: 'feed-link url',
			'data-field': 'link',
			title: event.url ?? '',
			text: event.url ?? '—',
		}),
	);
}

export function clearFeed() {
	$('live-feed').replaceChildren();
	$('live-empty').hidden = false;
}

/** Adds events (oldest first) on top; `fresh` ones are marked as just arrived. */
export function addToFeed(events, fresh) {
	const list = $('live-feed');
	for (const event of events) {
		if (list.querySelector(`[data-event-id="${CSS.escape(event.id)}"]`)) continue;
		list.prepend(row(event, fresh));
	}
	while (list.children.length > maxRows) list.lastElementChild.remove();
	$('live-empty').hidden = list.children.length > 0;
}

const stateLabels = {
	connecting: 'Connecting…',
	live: 'Live',
	reconnecting: 'Reconnecting…',
	off: 'Off',
};

export function showLiveState(state) {
	const badge = $('live-status');
	badge.dataset.state = state;
	badge.textContent = stateLabels[state] ?? state;
}
