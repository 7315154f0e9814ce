/**
 * User agents of link-preview fetchers: the apps that load a link to draw a preview card when a
 * message is displayed. A hit from one of them is a "view" (the message was shown), not a click.
 * Matched before the generic bot list (isbot), which counts most of them as bots too.
 */
export const previewFetchers: ReadonlyArray<{ name: string; test: (ua: string) => boolean }> = [
	// iMessage sends one fixed UA that names both Facebook's and Twitter's fetchers.
	{
		name: 'iMessage',
		test: (ua) => ua.includes('facebookexternalhit') && ua.includes('Twitterbot'),
	},
	// WhatsApp (and Signal, which borrows its UA to get the same previews from sites).
	{ name: 'WhatsApp', test: (ua) => ua.includes('WhatsApp/') },
	{ name: 'Telegram', test: (ua) => ua.includes('TelegramBot') },
	{ name: 'Slack', test: (ua) => /Slackbot-LinkExpanding|Slack-ImgProxy|Slackbot 1\.0/.test(ua) },
	{ name: 'Discord', test: (ua) => ua.includes('Discordbot') },
	// Skype and Microsoft Teams.
	{ name: 'Skype', test: (ua) => ua.includes('SkypeUriPreview') },
	// Google's preview renderers (Google Chat, Messages, Hangouts, +1 snippets).
	{
		name: 'Google',
		test: (ua) =>
			/Google-PageRenderer|developers\.google\.com\/\+\/web\/snippet|GoogleDocs|Google-Apps-Script|Google-Chat/.test(
				ua,
			),
	},
	{ name: 'Facebook', test: (ua) => /facebookexternalhit|Facebot|meta-externalagent/.test(ua) },
	{ name: 'Twitter', test: (ua) => ua.includes('Twitterbot') },
	{ name: 'LinkedIn', test: (ua) => ua.includes('LinkedInBot') },
	{ name: 'Viber', test: (ua) => /\bViber\b/.test(ua) },
	{ name: 'Snapchat', test: (ua) => ua.includes('Snap URL Preview') },
	{ name: 'Mastodon', test: (ua) => /\bMastodon\//.test(ua) },
	{ name: 'Bluesky', test: (ua) => ua.includes('Bluesky Cardyb') },
	{ name: 'Zoom', test: (ua) => ua.includes('Zoom Link Preview') },
	{ name: 'Embedly', test: (ua) => ua.includes('Embedly') },
	{ name: 'Iframely', test: (ua) => ua.includes('Iframely') },
	{ name: 'KakaoTalk', test: (ua) => ua.includes('kakaotalk-scrap') },
	{ name: 'Mattermost', test: (ua) => ua.includes('Mattermost-Bot') },
	{ name: 'Microsoft Teams', test: (ua) => ua.includes('MicrosoftPreview') },
];

/** The name of the preview fetcher behind this user agent, or undefined. */
export function previewFetcher(ua: string): string | undefined {
	for (const fetcher of previewFetchers) if (fetcher.test(ua)) return fetcher.name;
	return undefined;
}
