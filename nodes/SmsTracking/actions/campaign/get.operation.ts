import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { getCampaign } from '../../../shared/tracking-api';
import { httpOf } from '../../../shared/transport';
import { perItem } from '../common';

export const description: INodeProperties[] = [];

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const http = httpOf(this);
	return await perItem(
		this,
		items,
		async (i) => await getCampaign(http, this.getNodeParameter('campaignId', i) as string, i),
	);
}
