/**
 * Posting a budget alert to a Slack incoming webhook from inside the node, so the memory of what was reported
 * can be written only for alerts Slack accepted (a failed post is sent again on the next run). The webhook URL
 * is the only secret here: it never appears in an error or an output item.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { excerpt } from '../../shared/redact';
import { settle } from '../../shared/settle';
import { plainHttpRefusal } from '../../shared/transport/base-url';

export type Delivery = { delivered: true } | { delivered: false; reason: string };

const TIMEOUT_MS = 15_000;

/** The webhook URL, checked before anything is read or sent: https (plain http only to this machine). */
export function checkedWebhookUrl(node: INode, value: unknown, itemIndex = 0): string {
	const url = typeof value === 'string' ? value.trim() : '';
	const field = 'Slack Webhook URL';
	if (!/^https?:\/\/[^\s/]+\/\S*$/i.test(url)) {
		throw new NodeOperationError(
			node,
			`${field} must be a Slack incoming-webhook URL (https://hooks.slack.com/services/…)`,
			{ itemIndex, description: `Fix the "${field}" field` },
		);
	}
	const refusal = plainHttpRefusal(url);
	if (refusal)
		throw new NodeOperationError(node, `${field} ${refusal}`, {
			itemIndex,
			description: `Fix the "${field}" field`,
		});
	return url;
}

export async function postToSlack(
	ctx: IExecuteFunctions | IPollFunctions,
	url: string,
	message: IDataObject,
): Promise<Delivery> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		url,
		body: { text: message.text, blocks: message.blocks },
		json: true,
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: TIMEOUT_MS,
	};
	const answer = await settle(
		ctx.helpers.httpRequest(options) as Promise<{ statusCode: number; body: unknown }>,
	);
	if (!answer.ok) {
		const code = (answer.error as { code?: unknown } | undefined)?.code;
		return {
			delivered: false,
			reason: `no answer from Slack (${typeof code === 'string' ? code : 'network error'})`,
		};
	}
	const { statusCode, body } = answer.value;
	if (statusCode >= 200 && statusCode < 300) return { delivered: true };
	return {
		delivered: false,
		reason:
			`Slack answered ${statusCode} ${excerpt(typeof body === 'string' ? body : JSON.stringify(body ?? ''), 80, [url])}`.trim(),
	};
}
