import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { shortLinksIn, userAgents, visit } from '../harness/visit';

/**
 * examples/remind-non-clickers.json: send, wait, Campaign → Get Recipients (clicked = false),
 * remind only those (the waves "Initial" and "Reminder"). The day of waiting becomes 20 seconds
 * here, during which two recipients click; one reminded recipient clicks afterwards.
 */
export function remindNonClickersScenario(env: () => Environment): void {
	describe('no click after a wait (examples/remind-non-clickers.json)', () => {
		test('when two of four recipients click during the wait, then exactly the other two are listed and reminded', async () => {
			const { n8n, seven, tracking, credentials } = env();
			const before = seven.received.length;
			const id = await n8n.createWorkflow(
				loadExample('remind-non-clickers.json', credentials, {
					'"amount": 24': '"amount": 20',
					'"unit": "hours"': '"unit": "seconds"',
				}),
			);
			const run = n8n.executeCli(id);
			run.catch(() => undefined); // awaited below; keeps an early failure from being unhandled

			const invitations = await waitFor(
				'four invitations',
				() => {
					const found = seven.received.slice(before);
					return found.length >= 4 ? found : undefined;
				},
				60_000,
				100,
			);
			const clickers = invitations.filter((sms) => /Hi (Ada|Grace),/.test(sms.text));
			expect(clickers).toHaveLength(2);
			for (const sms of clickers) {
				const [link] = shortLinksIn(sms.text, tracking.url);
				expect((await visit(link, userAgents.androidChrome)).status).toBe(302);
			}
			// A link preview is a view, not a click: it must not save Linus from the reminder.
			const linus = invitations.find((sms) => /Hi Linus,/.test(sms.text))!;
			await visit(shortLinksIn(linus.text, tracking.url)[0], userAgents.iMessagePreview);

			await run;
			const [execution] = await n8n.waitForExecutions(id, 1);
			expect(execution.status).toBe('success');
			const notClicked = nodeOutput(execution, 'Who did not click');
			expect(notClicked.map((r) => r.recipient)).toEqual(['+4915112340003', '+4915112340004']);
			expect(nodeOutput(execution, 'Send reminder').map((r) => [r.recipient, r.status])).toEqual([
				['+4915112340003', 'sent'],
				['+4915112340004', 'sent'],
			]);
			const reminders = seven.received.slice(before + 4);
			expect(reminders.map((s) => s.to.replace(/^\+/, '')).sort()).toEqual([
				'4915112340003',
				'4915112340004',
			]);
			expect(seven.violations).toEqual([]);
			for (const sms of reminders) expect(sms.text).toMatch(/^Reminder: our webinar/);

			// The reminder is the wave "Reminder": its links are new, and Get Stats reports its clicks
			// apart from the invitation's.
			const margaret = reminders.find((sms) => sms.to.endsWith('4915112340004'))!;
			const [reminderLink] = shortLinksIn(margaret.text, tracking.url);
			const invitationLinks = invitations.flatMap((sms) => shortLinksIn(sms.text, tracking.url));
			expect(invitationLinks).not.toContain(reminderLink);
			expect((await visit(reminderLink, userAgents.androidChrome)).status).toBe(302);
			const campaignId = nodeOutput(execution, 'Create campaign')[0].id;
			// The redirect answers once the click is in its journal; the stats see it once loaded.
			const stats = await waitFor(
				'the reminder click in the stats',
				async () => {
					const res = await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
					return res.body.totals?.clicks === 3 ? res : undefined;
				},
				15_000,
			);
			expect(stats.body.waves).toEqual([
				expect.objectContaining({
					wave: 'Initial',
					recipients: 4,
					clicks: 2,
					uniqueClickers: 2,
					ctr: 0.5,
				}),
				expect.objectContaining({
					wave: 'Reminder',
					recipients: 2,
					clicks: 1,
					uniqueClickers: 1,
					ctr: 0.5,
				}),
			]);
		}, 180_000);
	});
}
