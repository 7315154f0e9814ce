import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { errorItem } from '../helpers/error-item';

/** The campaign every resource but Conversion → Track by click id works on. */
export function campaignIdField(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Campaign ID',
		name: 'campaignId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'cmp_…',
		description: 'The ID of the campaign on the tracking server (from Campaign → Create)',
		displayOptions: { show: { resource: [resource], operation: operations } },
	};
}

/** Runs one request per item, honouring Continue On Fail, with pairedItem on every output. */
export async function perItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	work: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[][]> {
	const output: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await work(i);
			for (const json of Array.isArray(result) ? result : [result])
				output.push({ json, pairedItem: { item: i } });
		} catch (error) {
			if (!ctx.continueOnFail()) {
				if (error instanceof NodeApiError)
					throw new NodeApiError(ctx.getNode(), error as unknown as JsonObject, { itemIndex: i });
				throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
			}
			output.push(errorItem(error as Error, i));
		}
	}
	return [output];
}
