import type { INodeProperties } from 'n8n-workflow';

/**
 * A canvas subtitle that names the picked action in words ("List provider keys") instead of the raw
 * operation value: an expression that looks the operation up in the actions of the node's Operation
 * options (every resource's), so the words are the ones the node panel shows.
 */
export function actionSubtitle(properties: INodeProperties[]): string {
	const actions: Record<string, string> = {};
	for (const property of properties) {
		if (property.name !== 'operation') continue;
		for (const option of property.options ?? []) {
			if ('action' in option && option.action) actions[String(option.value)] = option.action;
		}
	}
	return `={{ ${JSON.stringify(actions)}[$parameter["operation"]] || $parameter["operation"] }}`;
}
