import { readFileSync } from 'node:fs';
import path from 'node:path';

const examplesDir = path.resolve(__dirname, '../../../examples');

export interface WorkflowJson {
	name: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, any>; credentials?: Record<string, { id: string; name: string }>; webhookId?: string }>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

/**
 * An example workflow from examples/, as a user imports it, with what differs on this machine put
 * in: the credentials created in this n8n (by credential type) and text replacements for the
 * placeholders the README tells users to change (the follow-up endpoint, the campaign id).
 */
export function loadExample(
	file: string,
	credentials: Record<string, { id: string; name: string }>,
	replacements: Record<string, string> = {},
): WorkflowJson {
	let text = readFileSync(path.join(examplesDir, file), 'utf8');
	for (const [from, to] of Object.entries(replacements)) {
		if (!text.includes(from)) throw new Error(`${file} has no "${from}" to replace`);
		text = text.split(from).join(to);
	}
	const workflow = JSON.parse(text) as WorkflowJson;
	for (const node of workflow.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			const credential = credentials[type];
			if (!credential) throw new Error(`${file}: node "${node.name}" needs a ${type} credential that the harness did not create`);
			node.credentials![type] = credential;
		}
	}
	return workflow;
}

/** The JSON items a node produced in an execution (first run, first output unless told). */
export function nodeOutput(execution: { data?: any }, nodeName: string, output = 0): any[] {
	const runs = execution.data?.resultData?.runData?.[nodeName];
	if (!runs?.length) throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(execution.data?.resultData?.runData ?? {}).join(', ')}`);
	const items = runs[0].data?.main?.[output] ?? [];
	return items.map((item: { json: unknown }) => item.json);
}
