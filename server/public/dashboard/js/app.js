// Entry point: sign-in, hash routing (#/ and #/campaigns/<id>), refresh and sign-out.
import { api, ApiError, session } from './api.js';
import { bindCampaignControls, leaveCampaign, showCampaign } from './campaign.js';
import { bindDownloads } from './downloads.js';
import { $, show, showError } from './dom.js';
import { showList } from './list.js';
import { bindRangeControls, onRangeChange, timeZone } from './range.js';
import { bindRecipientControls } from './recipients.js';

function signedIn(yes) {
	$('session-actions').hidden = !yes;
	$('tz-label').textContent = timeZone();
}

function signOut() {
	leaveCampaign();
	session.clear();
	route();
}

/** Routes taken so far: only the latest one marks the page ready or shows its error. */
let routes = 0;

async function route() {
	const turn = ++routes;
	showError(null);
	leaveCampaign();
	if (!session.get()) {
		signedIn(false);
		show('login-view');
		$('api-key').focus();
		return;
	}
	signedIn(true);
	const match = /^#\/campaigns\/([^/]+)$/.exec(location.hash);
	try {
		if (match) {
			show('campaign-view');
			await showCampaign(decodeURIComponent(match[1]), signOut);
		} else {
			show('list-view');
			await showList();
		}
		if (turn === routes) document.body.dataset.ready = 'true';
	} catch (err) {
		if (turn !== routes) return; // a later route shows its own answer
		if (err instanceof ApiError && err.status === 401) {
			session.clear();
			return route();
		}
		showError(err.message);
	}
}

$('login-form').addEventListener('submit', async (event) => {
	event.preventDefault();
	const key = $('api-key').value.trim();
	const error = $('login-error');
	error.hidden = true;
	try {
		await api('GET', '/campaigns?limit=1', undefined, key);
		session.set(key);
		$('api-key').value = '';
		await route();
	} catch (err) {
		error.textContent =
			err instanceof ApiError && err.status === 401 ? 'That API key is not valid.' : err.message;
		error.hidden = false;
	}
});

$('sign-out').addEventListener('click', () => {
	location.hash = '#/';
	signOut();
});
$('refresh').addEventListener('click', () => {
	document.body.dataset.ready = 'false';
	route();
});
$('more-campaigns').addEventListener('click', () =>
	showList(true).catch((err) => showError(err.message)),
);
window.addEventListener('hashchange', () => {
	document.body.dataset.ready = 'false';
	route();
});
bindRangeControls();
bindCampaignControls();
bindRecipientControls();
bindDownloads();
onRangeChange(() => ($('tz-label').textContent = timeZone()));
route();
