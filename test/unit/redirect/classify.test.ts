import { classify, createClassifier } from '../../../server/src/redirect/classify';
import { userAgents } from '../../support/user-agents';

describe('classify', () => {
	test.each([
		['iMessage (facebookexternalhit and Twitterbot in one UA)', userAgents.iMessage, 'iMessage'],
		['WhatsApp on Android', userAgents.whatsAppAndroid, 'WhatsApp'],
		['WhatsApp on iOS', userAgents.whatsAppIos, 'WhatsApp'],
		['Telegram', userAgents.telegram, 'Telegram'],
		['Slack', userAgents.slack, 'Slack'],
		['Discord', userAgents.discord, 'Discord'],
		['Skype / Teams', userAgents.skype, 'Skype'],
		["Google's snippet renderer", userAgents.googleSnippet, 'Google'],
		['Facebook alone', userAgents.facebook, 'Facebook'],
	])('when %s fetches the link, then it is a view by that app', (_name, ua, fetcher) => {
		expect(classify('GET', ua)).toEqual({
			type: 'view',
			deviceType: null,
			os: null,
			browser: null,
			fetcher,
		});
	});

	test.each([
		['Googlebot', userAgents.googlebot],
		['bingbot', userAgents.bingbot],
		['curl', userAgents.curl],
		['wget', userAgents.wget],
		['python-requests', userAgents.pythonRequests],
		['Go', userAgents.goHttp],
		['headless Chrome', userAgents.headlessChrome],
		['no user agent', undefined],
		['an empty user agent', ''],
	])('when %s fetches the link, then it is a bot', (_name, ua) => {
		expect(classify('GET', ua).type).toBe('bot');
	});

	test('when a real browser sends HEAD, then it is a bot (browsers follow links with GET)', () => {
		expect(classify('HEAD', userAgents.chromeAndroid).type).toBe('bot');
	});

	test('when a preview fetcher probes with HEAD before its GET, then only the GET is a view', () => {
		expect(classify('HEAD', userAgents.whatsAppAndroid).type).toBe('bot');
		expect(classify('GET', userAgents.whatsAppAndroid).type).toBe('view');
	});

	test.each([
		['Chrome on Android', userAgents.chromeAndroid, 'mobile', 'Android', 'Chrome'],
		['Safari on iPhone', userAgents.safariIphone, 'mobile', 'iOS', 'Mobile Safari'],
		['Safari on iPad', userAgents.safariIpad, 'tablet', 'iOS', 'Mobile Safari'],
		['Firefox on a desktop', userAgents.firefoxDesktop, 'desktop', 'Windows', 'Firefox'],
		['Samsung Internet', userAgents.samsungInternet, 'mobile', 'Android', 'Samsung Internet'],
	])(
		'when %s opens the link, then it is a click with device, OS and browser',
		(_name, ua, deviceType, os, browser) => {
			expect(classify('GET', ua)).toEqual({
				type: 'click',
				deviceType,
				os,
				browser,
				fetcher: null,
			});
		},
	);

	test('when the memoising classifier sees the same UA with GET and HEAD, then it keeps them apart', () => {
		const memo = createClassifier(10);
		expect(memo('GET', userAgents.chromeAndroid).type).toBe('click');
		expect(memo('HEAD', userAgents.chromeAndroid).type).toBe('bot');
		expect(memo('GET', userAgents.chromeAndroid).type).toBe('click');
	});

	test('when the same user agent comes again, then it is parsed once and answered from the memo, which stays bounded', () => {
		const memo = createClassifier(2);
		const first = memo('GET', userAgents.chromeAndroid);
		expect(memo('GET', userAgents.chromeAndroid)).toBe(first);
		// Two other user agents push it out: it is parsed afresh (an equal, new result).
		memo('GET', userAgents.safariIphone);
		memo('GET', `${userAgents.safariIphone} extra`);
		const again = memo('GET', userAgents.chromeAndroid);
		expect(again).not.toBe(first);
		expect(again).toEqual(first);
	});
});
