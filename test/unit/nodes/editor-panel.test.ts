import { NodeHelpers, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';
import { SmsTracking } from '../../../nodes/SmsTracking/SmsTracking.node';
import { SmsTrackingTrigger } from '../../../nodes/SmsTrackingTrigger/SmsTrackingTrigger.node';

/**
 * n8n's editor (nodeTypesUtils: getNodeAuthFields, getMainAuthField, findAlternativeAuthField)
 * takes a parameter for an "authentication switch" when it is named `authentication`, or when it
 * is named in credentials' displayOptions and every one of its option values is listed there.
 * It then moves that parameter and every parameter it depends on out of the panel, and fills the
 * always-required credential's slot with the switch's credentials. This is the same rule, run over
 * our node descriptions, so a description change that would hide parameters again fails here.
 */
function editorAuthSwitch(description: INodeTypeDescription): INodeProperties | undefined {
	const listed: Record<string, string[]> = {};
	for (const credential of description.credentials ?? []) {
		for (const [name, values] of Object.entries(credential.displayOptions?.show ?? {})) {
			listed[name] = (listed[name] ?? []).concat((values ?? []).map((v) => (v ? String(v) : '')));
		}
	}
	const authFields = description.properties.filter((p) => p.name in listed);
	const named = authFields.find(
		(p) =>
			p.name === 'authentication' && !p.options?.some((o) => 'value' in o && o.value === 'none'),
	);
	if (named) return named;
	return authFields.find((field) =>
		(field.options ?? []).every(
			(o) => !('value' in o) || typeof o.value !== 'string' || listed[field.name].includes(o.value),
		),
	);
}

function shownCredentials(description: INodeTypeDescription, parameters: Record<string, string>) {
	return (description.credentials ?? [])
		.filter((c) => NodeHelpers.displayParameter(parameters, c, { typeVersion: 1 }, description))
		.map((c) => c.name);
}

const action = new SmsTracking().description;
const trigger = new SmsTrackingTrigger().description;

describe("the nodes in n8n's editor", () => {
	test('when the editor looks for an authentication switch, then it finds none on either node, so Resource, Operation and Provider stay in the panel', () => {
		expect(editorAuthSwitch(action)?.name).toBeUndefined();
		expect(editorAuthSwitch(trigger)?.name).toBeUndefined();
	});

	test('when a parameter list names a credential by plain values for every option, then the rule finds the switch (the rule itself can fail)', () => {
		const broken: INodeTypeDescription = {
			...action,
			credentials: [
				{ name: 'smsTrackingApi', required: true },
				{ name: 'smsTrackingSevenApi', displayOptions: { show: { provider: ['seven'] } } },
				{ name: 'smsTrackingTwilioApi', displayOptions: { show: { provider: ['twilio'] } } },
			],
		};
		expect(editorAuthSwitch(broken)?.name).toBe('provider');
	});

	test.each([
		[
			{ resource: 'message', operation: 'send', provider: 'seven' },
			['smsTrackingApi', 'smsTrackingSevenApi'],
		],
		[
			{ resource: 'message', operation: 'send', provider: 'twilio' },
			['smsTrackingApi', 'smsTrackingTwilioApi'],
		],
		[{ resource: 'message', operation: 'shorten', provider: 'twilio' }, ['smsTrackingApi']],
		[{ resource: 'campaign', operation: 'getStats' }, ['smsTrackingApi']],
		[{ resource: 'conversion', operation: 'track' }, ['smsTrackingApi']],
	])('when the node is set to %j, then it asks for exactly %j', (parameters, expected) => {
		expect(shownCredentials(action, parameters)).toEqual(expected);
	});
});
