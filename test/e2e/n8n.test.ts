import { startEnvironment, type Environment } from './harness/environment';
import { abTestScenario } from './scenarios/ab-test';
import { bestHourSendScenario } from './scenarios/best-hour-send';
import { burstScenario } from './scenarios/burst';
import { campaignScenario } from './scenarios/campaign';
import { campaignUpdateScenario } from './scenarios/campaign-update';
import { clickFollowUpScenario } from './scenarios/click-follow-up';
import { conversionScenario } from './scenarios/conversion';
import { harnessScenario } from './scenarios/harness';
import { remindNonClickersScenario } from './scenarios/remind-non-clickers';
import { reportSendsScenario } from './scenarios/report-sends';
import { redeliveryAfterRestartScenario } from './scenarios/redelivery-after-restart';
import { restartScenario } from './scenarios/restart';
import { triggerFirstClickScenario } from './scenarios/trigger-first-click';
import { scopedKeyScenario } from './scenarios/scoped-key';
import { segmentScenario } from './scenarios/segment';

// One real n8n, one tracking server and the local stand-ins, shared by the scenarios in order
// (the restart scenarios go last). Everything started is stopped in afterAll, also on failure.
let environment: Environment | undefined;
const env = (): Environment => {
	if (!environment) throw new Error('the environment did not start');
	return environment;
};

beforeAll(async () => {
	environment = await startEnvironment();
}, 300_000);

afterAll(async () => {
	await environment?.stop();
}, 120_000);

harnessScenario(env);
campaignScenario(env);
clickFollowUpScenario(env);
scopedKeyScenario(env);
conversionScenario(env);
abTestScenario(env);
remindNonClickersScenario(env);
bestHourSendScenario(env);
triggerFirstClickScenario(env);
campaignUpdateScenario(env);
segmentScenario(env);
reportSendsScenario(env);
burstScenario(env);
restartScenario(env);
redeliveryAfterRestartScenario(env);
