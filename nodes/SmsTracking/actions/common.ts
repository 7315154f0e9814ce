import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { campaignLocator } from '../../shared/campaign-locator';
import { httpOf, type Http } from '../../shared/transport';
import { errorItem } from '../helpers/error-item';
import type { Execute } from './node.type';

/** The campaign every resource but Conversion → Track by click id works on (the picker). */
export function campaignIdField(resource: string, operations: string[]): INodeProperties {
	return campaignLocator({
		required: true,
		description: 'The campaign on the tracking server',
		displayOptions: { show: { resource: [resource], operation: operations } },
	});
}

/**
 * An operation that makes its requests item by item: `work` returns the item's output (one object
 * or several); Continue On Fail is honoured and every output has its pairedItem.
 */
export function perItem(
	work: (
		ctx: IExecuteFunctions,
		itemIndex: number,
		http: Http,
	) => Promise<IDataObject | IDataObject[]>,
): Execute {
	return async function (this: IExecuteFunctions, items: INodeExecutionData[]) {
		const http = httpOf(this);
		const output: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const result = await work(this, i, http);
				for (const json of Array.isArray(result) ? result : [result])
					output.push({ json, pairedItem: { item: i } });
			} catch (error) {
				if (!this.continueOnFail()) {
					if (error instanceof NodeApiError)
						throw new NodeApiError(this.getNode(), error as unknown as JsonObject, {
							itemIndex: i,
						});
					throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
				}
				output.push(errorItem(error as Error, i, items[i].json));
			}
		}
		return [output];
	};
}

/**
 * Default Country, the option Send, Shorten and Conversion → Track read to complete national phone
 * numbers; `what` names the numbers it completes in the description.
 */
export function defaultCountryField(
	what: string,
	displayOptions?: INodeProperties['displayOptions'],
): INodeProperties {
	return {
		displayName: 'Default Country',
		name: 'defaultCallingCode',
		type: 'string',
		default: '',
		placeholder: 'DE or 49',
		description: `Country for ${what} written without one, as an ISO code (DE) or a calling code (49): 0151 1234567 becomes +491511234567`,
		...(displayOptions ? { displayOptions } : {}),
	};
}
