// One campaign: headline numbers, activity, funnel, A/B verdict, waves, links, devices and hours,
// kept current by the live stream (a debounced re-fetch of the stats when events arrive).
import { api } from './api.js';
import { devicesChart, hoursChart, timelineChart, variantsChart } from './charts.js';
import { $, barList, el, showError } from './dom.js';
import { addToFeed, clearFeed, showLiveState } from './feed.js';
import * as fmt from './format.js';
import { followCampaign } from './live.js';
import { onRangeChange, rangeQuery, timeZone } from './range.js';
import { downloadsFor } from './downloads.js';
import { recipientsRange, showRecipients } from './recipients.js';
import { renderWaves } from './waves.js';

/** Events arriving within this long cause one re-fetch of the stats, not one each. */
const refreshDelayMs = 800;
let winnerMetric = 'ctr';
let current = null;
/** Verdict requests made so far: only the latest one draws. */
let verdictsAsked = 0;
/** Range choices made so far: only the latest one draws and marks the page ready. */
let rangeChoices = 0;
/** Campaigns opened or left so far: only the latest visit draws and follows its campaign. */
let visits = 0;
let stopLive = null;
/** The KPI values last shown, to mark the tiles that changed on a live refresh. */
let shownValues = new Map();

/**
 * Counts answers on the page (data-verdicts, data-campaign-answers) for whoever waits for one that
 * should draw nothing: a count that moved shows it arrived.
 */
function countOnPage(key) {
	document.body.dataset[key] = String(Number(document.body.dataset[key] ?? 0) + 1);
}

function kpi(metric, label, value, display, sub, kind = '') {
	return el(
		'div',
		{ class: `kpi ${kind}`, 'data-metric': metric, 'data-value': value ?? '' },
		el('div', { class: 'kpi-label', text: label }),
		el('div', { class: 'kpi-value', text: display }),
		sub ? el('div', { class: 'kpi-sub', text: sub }) : null,
	);
}

function renderKpis(stats) {
	const t = stats.totals;
	const c = stats.currency;
	const tiles = [
		kpi('recipients', 'Recipients', t.recipients, fmt.count(t.recipients)),
		sendsReported(t)
			? kpi('sent', 'Sent', t.sent, fmt.count(t.sent), `${fmt.count(t.segments)} segments`)
			: kpi('sent', 'Sent', '', '—', 'sends not reported'),
		kpi(
			'delivered',
			'Delivered',
			t.delivered,
			fmt.count(t.delivered),
			t.sent ? `${fmt.rate(t.delivered / t.sent)} of sent` : null,
		),
		kpi(
			'views',
			'Previews',
			t.views,
			fmt.count(t.views),
			`${fmt.count(t.uniqueViewers)} phones`,
			'views',
		),
		kpi(
			'clicks',
			'Clicks',
			t.clicks,
			fmt.count(t.clicks),
			`${fmt.count(t.uniqueClickers)} unique clickers`,
		),
		kpi(
			'ctr',
			'Click rate',
			t.ctr,
			fmt.rate(t.ctr),
			sendsReported(t) ? 'unique clickers / sent' : 'unique clickers / recipients',
		),
		kpi(
			'conversions',
			'Conversions',
			t.conversions,
			fmt.count(t.conversions),
			`${fmt.count(t.uniqueConverters)} customers`,
			'conversions',
		),
		kpi(
			'conversionRate',
			'Conversion rate',
			t.conversionRate,
			fmt.rate(t.conversionRate),
			`${fmt.rate(t.conversionRateOfClickers)} of clickers`,
			'conversions',
		),
		kpi(
			'revenue',
			'Revenue',
			t.revenue,
			fmt.money(t.revenue, c),
			stats.otherCurrencies.length
				? `+ ${stats.otherCurrencies.map((o) => fmt.money(o.revenue, o.currency)).join(', ')} not counted`
				: null,
			'money',
		),
		kpi(
			'cost',
			'Cost',
			t.cost,
			fmt.money(t.cost, c),
			t.cost === null ? 'no cost per segment set' : null,
			'money',
		),
		kpi('roi', 'ROI', t.roi, fmt.roi(t.roi), '(revenue − cost) / cost', 'money'),
		kpi(
			'medianSecondsToFirstClick',
			'Time to first click',
			stats.medianSecondsToFirstClick,
			fmt.duration(stats.medianSecondsToFirstClick),
			'median after sending',
		),
	];
	for (const tile of tiles) {
		const before = shownValues.get(tile.dataset.metric);
		if (before !== undefined && before !== tile.dataset.value) tile.classList.add('changed');
	}
	shownValues = new Map(tiles.map((tile) => [tile.dataset.metric, tile.dataset.value]));
	$('kpis').replaceChildren(...tiles);
}

/**
 * Sends are known only when the workflow sent through the node (or reported them); otherwise the
 * tiles say so and the funnel starts from the recipients, saying that too, so the two never
 * disagree on what "sent" is.
 */
const sendsReported = (t) => t.sent > 0 || t.recipients === 0;

function renderFunnel(t) {
	const reported = sendsReported(t);
	const base = reported ? t.sent : t.recipients;
	const of = reported ? 'of sent' : 'of recipients';
	const steps = [
		reported
			? ['sent', 'Sent', t.sent]
			: ['recipients', 'Recipients (sends not reported)', t.recipients],
		['delivered', 'Delivered', t.delivered],
		['viewed', 'Viewed (link preview)', t.uniqueViewers],
		['clicked', 'Clicked', t.uniqueClickers],
		['converted', 'Converted', t.uniqueConverters],
	];
	$('funnel').replaceChildren(
		...steps.map(([key, label, value]) => {
			const fill = el('div', { class: 'fill' });
			const share = base ? value / base : 0;
			requestAnimationFrame(() => {
				fill.style.width = `${Math.min(share, 1) * 100}%`;
			});
			return el(
				'li',
				{ 'data-step': key, 'data-value': value },
				el('span', { class: 'step', text: label }),
				el('span', { class: 'count', text: fmt.count(value) }),
				el('div', { class: 'track' }, fill),
				el('span', { class: 'share', text: base ? `${fmt.rate(share)} ${of}` : '—' }),
			);
		}),
	);
}

function renderVariantsTable(stats, decision) {
	const variants = stats.variants;
	const head = el(
		'tr',
		{},
		...['Variant', 'Sent', 'Clickers', 'Click rate', 'Conversion rate', 'Revenue', 'ROI'].map(
			(h, i) => el('th', { class: i ? 'num' : '', text: h }),
		),
	);
	const rows = variants.map((v) =>
		el(
			'tr',
			{ 'data-variant': v.variant },
			el(
				'td',
				{},
				el('strong', { text: v.variant === 'holdout' ? 'Hold-out' : v.variant }),
				decision?.winner === v.variant
					? el('span', { class: 'badge', text: 'Winner' })
					: decision?.leader === v.variant
						? el('span', { class: 'badge lead', text: 'Leading' })
						: decision?.tied?.includes(v.variant)
							? el('span', { class: 'badge lead', text: 'Tied' })
							: null,
			),
			el('td', { class: 'num', text: sendsReported(stats.totals) ? fmt.count(v.sent) : '—' }),
			el('td', { class: 'num', text: fmt.count(v.uniqueClickers) }),
			el('td', { class: 'num', 'data-value': v.ctr ?? '', text: fmt.rate(v.ctr) }),
			el('td', {
				class: 'num',
				'data-value': v.conversionRate ?? '',
				text: fmt.rate(v.conversionRate),
			}),
			el('td', { class: 'num', text: fmt.money(v.revenue, stats.currency) }),
			el('td', { class: 'num', text: fmt.roi(v.roi) }),
		),
	);
	$('variants-table').replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
}

function renderVerdict(decision) {
	const box = $('verdict');
	const metricName = decision.metric === 'ctr' ? 'click rate' : 'conversion rate';
	const confidence = `${Math.round(decision.confidence * 100)} %`;
	const tied = decision.tied ?? [];
	box.className = `verdict ${decision.winner ? 'win' : decision.leader || tied.length ? 'pending' : ''}`;
	let headline;
	let detail;
	if (decision.winner) {
		headline = `${decision.winner} wins on ${metricName}`;
		detail = `Significant at ${confidence} against ${decision.runnerUp} (p = ${fmt.pValue(decision.pValue)}).${decision.recorded ? ' Recorded.' : ''} Send it to the hold-out.`;
	} else if (tied.length) {
		headline = `${tied.join(' and ')} are tied on ${metricName} — not decided yet`;
		detail = decision.minSampleReached
			? 'Equal rates: no variant is ahead. Keep the test running or end it as a tie.'
			: `Equal rates so far; minimum sample ${fmt.count(decision.minSamplePerVariant)} per variant not reached.`;
	} else if (decision.leader && decision.runnerUp) {
		headline = `${decision.leader} leads on ${metricName} — not decided yet`;
		const reasons = [];
		if (!decision.significant)
			reasons.push(
				`p = ${fmt.pValue(decision.pValue)}, needs < ${(1 - decision.confidence).toFixed(2)}`,
			);
		if (!decision.minSampleReached)
			reasons.push(
				`minimum sample ${fmt.count(decision.minSamplePerVariant)} per variant not reached`,
			);
		if (decision.requiredSamplePerVariant)
			reasons.push(
				`this difference needs about ${fmt.count(decision.requiredSamplePerVariant)} recipients per variant`,
			);
		detail = reasons.join(' · ');
	} else {
		headline = 'No A/B test to judge';
		detail = 'The campaign needs at least two variants with recipients.';
	}
	box.replaceChildren(
		el('strong', { 'data-winner': decision.winner ?? '', text: headline }),
		el('div', { class: 'detail', text: detail }),
	);
}

async function loadVerdict(stats) {
	const testable = stats.variants.filter((v) => v.variant !== 'holdout');
	$('variants-card').hidden = testable.length < 2;
	if (testable.length < 2) return;
	const asked = ++verdictsAsked;
	const decision = await api('POST', `/campaigns/${encodeURIComponent(stats.campaignId)}/winner`, {
		metric: winnerMetric,
	});
	countOnPage('verdicts');
	// Newer stats were drawn or another metric chosen while this verdict was on its way (new
	// dates, a live refresh): the variants table is theirs, and their own verdict follows.
	if (asked !== verdictsAsked || stats !== current) return;
	renderVerdict(decision);
	// The verdict weighs the whole campaign: beside the rates of chosen dates its badges could
	// mark a leader among equal rates, so they show only with the whole campaign.
	renderVariantsTable(stats, stats.from || stats.to ? null : decision);
	variantsChart(stats.variants);
}

function renderLinks(links) {
	const head = el(
		'tr',
		{},
		...['Link', 'Clicks', 'Unique clickers', 'Views', 'Conversions'].map((h, i) =>
			el('th', { class: i ? 'num' : '', text: h }),
		),
	);
	const rows = links.length
		? links.map((l) =>
				el(
					'tr',
					{ 'data-url': l.url },
					el('td', { class: 'url', title: l.url, text: l.url }),
					el('td', { class: 'num', text: fmt.count(l.clicks) }),
					el('td', { class: 'num', text: fmt.count(l.uniqueClickers) }),
					el('td', { class: 'num', text: fmt.count(l.views) }),
					el('td', { class: 'num', text: fmt.count(l.conversions) }),
				),
			)
		: [el('tr', {}, el('td', { colspan: 5, class: 'muted', text: 'No links yet' }))];
	$('links-table').replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
}

/** GET …/stats for the chosen dates and time zone: every card below is drawn from its answer. */
const statsPath = (id) =>
	`/campaigns/${encodeURIComponent(id)}/stats?${rangeQuery().query ?? new URLSearchParams({ timeZone: timeZone() })}`;

/** `path`: the stats query drawn, kept on the page (data-drawn) for whoever waits for a range to show. */
async function renderStats(stats, path) {
	current = stats;
	document.body.dataset.drawn = path;
	renderKpis(stats);
	renderFunnel(stats.totals);
	timelineChart(
		stats.timeline.map((t) => fmt.bucketLabel(t.bucket, stats.timelineBucket, stats.timeZone)),
		stats.timeline,
	);
	renderWaves(stats);
	renderLinks(stats.links);
	devicesChart(stats.breakdowns.deviceType);
	barList($('os-bars'), stats.breakdowns.os);
	barList($('country-bars'), stats.breakdowns.country);
	$('hours-tz').textContent = `(${stats.timeZone})`;
	$('verdict-scope').hidden = !stats.from && !stats.to;
	hoursChart(stats.breakdowns.hourOfDay);
	await loadVerdict(stats);
}

/** Re-fetches the stats once events stop arriving for a moment; redraws only what changed. */
function refresher(id) {
	let timer = null;
	let running = null;
	const run = async () => {
		timer = null;
		if (running) {
			await running;
			return schedule();
		}
		const path = statsPath(id);
		running = api('GET', path)
			.then((stats) => {
				if (current?.campaignId !== id) return; // the user left the campaign meanwhile
				if (path !== statsPath(id)) return; // the dates changed meanwhile: their own fetch draws
				if (JSON.stringify(stats) === JSON.stringify(current)) return;
				return renderStats(stats, path);
			})
			.catch(() => undefined) // the next event or reconnect tries again
			.finally(() => (running = null));
		await running;
	};
	const schedule = () => {
		if (timer === null) timer = setTimeout(run, refreshDelayMs);
	};
	return schedule;
}

/** Stops following the open campaign (leaving it, signing out). */
export function leaveCampaign() {
	stopLive?.();
	stopLive = null;
	current = null; // a re-fetch still under way for it draws nothing
	visits += 1; // and a campaign still loading is not shown
}

/** Shows a campaign and follows it live; false when it was left before its answers came. */
export async function showCampaign(id, onUnauthorized) {
	leaveCampaign();
	const visit = visits;
	const path = statsPath(id);
	const [campaign, stats] = await Promise.all([
		api('GET', `/campaigns/${encodeURIComponent(id)}`),
		api('GET', path),
	]);
	countOnPage('campaignAnswers');
	// another campaign or the list was opened meanwhile: these answers are not theirs to draw
	if (visit !== visits) return false;
	$('campaign-name').textContent = campaign.name;
	const variants = campaign.variants?.map((v) => v.name).join(' / ');
	$('campaign-meta').textContent = [
		`Created ${fmt.dateTime(campaign.createdAt)}`,
		variants
			? `A/B: ${variants}${campaign.holdout ? ` + ${Math.round(campaign.holdout * 100)} % hold-out` : ''}`
			: null,
		campaign.conversionTracking ? 'Conversion tracking on' : null,
		campaign.currency,
	]
		.filter(Boolean)
		.join(' · ');
	shownValues = new Map();
	await renderStats(stats, path);
	if (visit !== visits) return false; // left while the verdict was asked for
	downloadsFor(id);
	// The recipients load beside the live feed's start, not before it.
	const recipientsShown = showRecipients(campaign, timeZone());

	clearFeed();
	const refresh = refresher(id);
	stopLive = followCampaign(id, {
		events: (events, { live }) => {
			addToFeed(events, live);
			if (live) refresh();
		},
		// Whatever was stored between the page's stats and the stream's start, or while it was away.
		ready: () => refresh(),
		state: showLiveState,
		unauthorized: () => {
			showLiveState('off');
			onUnauthorized?.();
		},
	});
	await recipientsShown;
	return visit === visits;
}

/** Draws every card again for new dates or a new time zone (the latest choice wins). */
async function followRange() {
	const id = current?.campaignId;
	if (!id) return;
	const turn = ++rangeChoices;
	document.body.dataset.ready = 'false';
	const path = statsPath(id);
	try {
		const stats = await api('GET', path);
		if (current?.campaignId !== id || turn !== rangeChoices) return;
		shownValues = new Map();
		await renderStats(stats, path);
		await recipientsRange(timeZone());
		// An earlier choice finishing after a later one began must not say the page is ready.
		if (turn !== rangeChoices) return;
		document.body.dataset.ready = 'true';
		showError(null);
	} catch (err) {
		if (turn === rangeChoices) showError(err.message);
	}
}

export function bindCampaignControls() {
	onRangeChange(followRange);
	for (const button of document.querySelectorAll('[data-metric-choice]')) {
		button.addEventListener('click', async () => {
			winnerMetric = button.dataset.metricChoice;
			for (const b of document.querySelectorAll('[data-metric-choice]'))
				b.classList.toggle('active', b === button);
			if (current) await loadVerdict(current);
		});
	}
}

