import type { INodePropertyOptions } from 'n8n-workflow';
import { operations } from '../../../nodes/SmsTracking/actions/router';
import { SmsTracking } from '../../../nodes/SmsTracking/SmsTracking.node';

const { properties } = new SmsTracking().description;
const valuesOf = (options: unknown) =>
	(options as INodePropertyOptions[]).map((o) => String(o.value));

test('when the editor offers a resource and an operation, then the router has that operation, and nothing else', () => {
	const resources = valuesOf(properties.find((p) => p.name === 'resource')?.options);
	expect(resources.sort()).toEqual(Object.keys(operations).sort());
	for (const resource of resources) {
		const offered = properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
		);
		const routed = operations[resource as keyof typeof operations];
		expect(valuesOf(offered?.options).sort()).toEqual(Object.keys(routed).sort());
		for (const operation of Object.values(routed))
			expect(typeof operation.execute).toBe('function');
	}
});
