import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import * as campaign from './campaign/Campaign.resource';
import * as conversion from './conversion/Conversion.resource';
import * as event from './event/Event.resource';
import * as message from './message/Message.resource';
import * as optOut from './optOut/OptOut.resource';
import * as recipient from './recipient/Recipient.resource';
import type { Operation, SmsTrackingMap, SmsTrackingType } from './node.type';

/** Resource → operation → its module; the type makes every operation of SmsTrackingMap present. */
export const operations: {
	[R in keyof SmsTrackingMap]: { [O in SmsTrackingMap[R]]: Operation };
} = {
	message: { send: message.send, shorten: message.shorten, reportSends: message.reportSends },
	campaign: {
		create: campaign.create,
		get: campaign.get,
		getAll: campaign.getAll,
		update: campaign.update,
		archive: campaign.archive,
		unarchive: campaign.unarchive,
		delete: campaign.deleteOperation,
		getStats: campaign.getStats,
		getRecipients: campaign.getRecipients,
		getTrackingCode: campaign.getTrackingCode,
		pickWinner: campaign.pickWinner,
	},
	conversion: { track: conversion.track },
	optOut: { add: optOut.add, getAll: optOut.getAll, remove: optOut.remove },
	recipient: { erase: recipient.erase },
	event: { getAll: event.getAll },
};

function find({ resource, operation }: SmsTrackingType): Operation | undefined {
	const has = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);
	if (!has(operations, resource)) return undefined;
	const ofResource = operations[resource] as Record<string, Operation>;
	return has(ofResource, operation) ? ofResource[operation] : undefined;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = {
		resource: this.getNodeParameter('resource', 0),
		operation: this.getNodeParameter('operation', 0),
	} as SmsTrackingType;
	const run = find(node);
	if (!run)
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${node.operation}" of "${node.resource}" is not supported`,
		);
	return await run.execute.call(this, items);
}
