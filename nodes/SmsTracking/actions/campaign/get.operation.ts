import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { campaignPath, trackingApi } from '../../helpers/api';
import { perItem } from '../common';

export const description: INodeProperties[] = [];

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	return await perItem(
		this,
		items,
		async (i) =>
			await trackingApi(
				this,
				{ method: 'GET', path: campaignPath(this.getNodeParameter('campaignId', i) as string) },
				i,
			),
	);
}
