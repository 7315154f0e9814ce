import { startEnvironment, type Environment } from './harness/environment';
import { harnessScenario } from './scenarios/harness';

// One real n8n, one tracking server and the local stand-ins, shared by the scenarios in order
// (the restart scenario goes last). Everything started is stopped in afterAll, also on failure.
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
