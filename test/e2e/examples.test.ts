import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { serveSite, type StaticSite } from '../support/static-site';
import { startEnvironment, type Environment } from './harness/environment';
import { abTestAutomatedScenario } from './scenarios/ab-test-automated';
import { conversionTrackingScenario, type ShopSite } from './scenarios/conversion-tracking';
import { dailyStatsReportScenario } from './scenarios/daily-stats-report';
import { orderConversionScenario } from './scenarios/order-conversion';
import { segmentedFollowUpScenario } from './scenarios/segmented-follow-up';
import { transactionalSmsScenario } from './scenarios/transactional-sms';
import { twilioDeliveryReportsScenario } from './scenarios/twilio-delivery-reports';

// The examples of the use cases, each imported and run in one real n8n with one tracking server,
// which checks Twilio's signatures (the local Twilio stand-in's token), accepts conversions from
// the local shop's origin and checks the A/B test rules every half second.
let environment: Environment | undefined;
let twilio: FakeTwilio | undefined;
let site: StaticSite | undefined;
const shop: ShopSite = { url: '', landingHtml: '' };

const need = <T>(value: T | undefined, what: string): T => {
	if (!value) throw new Error(`${what} did not start`);
	return value;
};

beforeAll(async () => {
	twilio = await startFakeTwilio();
	site = await serveSite({ '/spring': () => shop.landingHtml });
	shop.url = site.url;
	environment = await startEnvironment({
		trackingEnv: { TWILIO_AUTH_TOKEN: twilio.authToken, ALLOWED_ORIGINS: site.url, AB_TEST_CHECK_INTERVAL_MS: '500' },
	});
}, 300_000);

afterAll(async () => {
	await environment?.stop();
	await twilio?.close();
	await site?.close();
}, 120_000);

const env = () => need(environment, 'the environment');
orderConversionScenario(env);
transactionalSmsScenario(env);
segmentedFollowUpScenario(env);
dailyStatsReportScenario(env);
twilioDeliveryReportsScenario(env, () => need(twilio, 'the Twilio stand-in'));
conversionTrackingScenario(env, () => shop);
abTestAutomatedScenario(env);
