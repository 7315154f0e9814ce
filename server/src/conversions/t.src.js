/* eslint @typescript-eslint/no-unused-vars: ["error", { "caughtErrors": "none" }] -- ES5 has no catch without a binding */
/*
 * SMS tracking conversion script (served as /t.js, minified by the build).
 *
 * On a landing page reached from a tracked short link, keeps the click id (sms_cid in the page
 * URL) in a first-party cookie and localStorage for data-cookie-days days (default 30), and offers
 *   smsTracking.conversion({ name, value, currency, idempotencyKey })
 * which reports to the tracking server with navigator.sendBeacon, or fetch with keepalive.
 * Calls made before the script loaded (window.smsTracking = { q: [...] }) are sent on load.
 * No dependencies; ES5 so that old in-app browsers run it.
 */
(function (window, document) {
	'use strict';
	var KEY = 'sms_cid';
	var ID = /^[A-Za-z0-9_-]{1,100}$/;
	var script = document.currentScript;
	var src = (script && script.src) || '';
	var endpoint = src.replace(/\/t\.js(?:[?#].*)?$/, '') + '/collect';
	var days = Number(script && script.getAttribute('data-cookie-days'));
	if (!(days > 0 && days <= 3650)) days = 30;

	function fromUrl() {
		var match = /[?&]sms_cid=([A-Za-z0-9_-]{1,100})(?:&|$)/.exec(window.location.search);
		return match ? match[1] : null;
	}

	function fromCookie() {
		var match = /(?:^|;\s*)sms_cid=([^;]*)/.exec(document.cookie);
		return match && ID.test(match[1]) ? match[1] : null;
	}

	function fromStorage() {
		try {
			var saved = JSON.parse(window.localStorage.getItem(KEY) || 'null');
			return saved && ID.test(saved.id) && saved.expires > new Date().getTime() ? saved.id : null;
		} catch (e) {
			return null;
		}
	}

	function remember(id) {
		var secure = window.location.protocol === 'https:' ? '; Secure' : '';
		document.cookie = KEY + '=' + id + '; Max-Age=' + days * 86400 + '; Path=/; SameSite=Lax' + secure;
		try {
			window.localStorage.setItem(KEY, JSON.stringify({ id: id, expires: new Date().getTime() + days * 864e5 }));
		} catch (e) {
			// storage disabled (private mode): the cookie still holds it
		}
	}

	var clickId = fromUrl();
	if (clickId) remember(clickId);
	else clickId = fromCookie() || fromStorage();

	function send(body) {
		var data = JSON.stringify(body);
		try {
			// text/plain: a CORS-safelisted type, so neither needs a preflight
			if (navigator.sendBeacon && navigator.sendBeacon(endpoint, data)) return true;
		} catch (e) {
			// fall through to fetch
		}
		if (!window.fetch) return false;
		window
			.fetch(endpoint, {
				method: 'POST',
				body: data,
				keepalive: true,
				mode: 'no-cors',
				credentials: 'include',
				headers: { 'Content-Type': 'text/plain' },
			})
			['catch'](function () {});
		return true;
	}

	/** Reports a conversion; returns whether it was handed to the browser for sending. */
	function conversion(details) {
		details = details || {};
		if (!details.name) return false;
		var body = { name: String(details.name) };
		// Without a click id here, the server may still find one in its own sms_cid cookie.
		if (clickId) body.clickId = clickId;
		if (details.value !== undefined && details.value !== null) body.value = details.value;
		if (details.currency) body.currency = String(details.currency);
		if (details.idempotencyKey !== undefined && details.idempotencyKey !== null) body.idempotencyKey = String(details.idempotencyKey);
		return send(body);
	}

	var queued = (window.smsTracking && window.smsTracking.q) || [];
	window.smsTracking = {
		conversion: conversion,
		clickId: function () {
			return clickId;
		},
	};
	for (var i = 0; i < queued.length; i++) conversion(queued[i]);
})(window, document);
