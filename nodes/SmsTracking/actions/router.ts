import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import * as campaign from './campaign';
import * as conversion from './conversion';
import * as message from './message';

type Operation = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
) => Promise<INodeExecutionData[][]>;

const operations: Record<string, Record<string, Operation>> = {
	message: { send: message.send.execute, shorten: message.shorten.execute },
	campaign: {
		create: campaign.create.execute,
		get: campaign.get.execute,
		getStats: campaign.getStats.execute,
		getRecipients: campaign.getRecipients.execute,
		pickWinner: campaign.pickWinner.execute,
	},
	conversion: { track: conversion.track.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation];
	if (!run)
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	return await run.call(this, items);
}
