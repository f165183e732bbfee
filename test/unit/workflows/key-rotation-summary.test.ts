/**
 * The Summary of the key-rotation workflow, run as n8n's Code node would run it (the code with `$` bound to
 * the items of the nodes it reads). A listing that failed is reported beside what did rotate.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const workflow = JSON.parse(readFileSync(path.resolve(__dirname, '../../../workflows/key-rotation.json'), 'utf8')) as {
	nodes: Array<{ name: string; parameters: { jsCode?: string } }>;
};
const code = workflow.nodes.find((n) => n.name === 'Summary')!.parameters.jsCode!;

type Json = Record<string, unknown>;

function summary(outputs: Record<string, Json[]>): { text: string; blocks: unknown[]; failed: number } | undefined {
	const $ = (node: string) => ({
		isExecuted: node in outputs,
		all: () => (outputs[node] ?? []).map((json) => ({ json })),
		first: () => ({ json: (outputs[node] ?? [])[0] }),
	});
	const items = new Function('$', '$execution', code)($, { id: '7' }) as Array<{ json: { text: string; blocks: unknown[]; failed: number } }>;
	return items[0]?.json;
}

const settings = { maxKeyAgeDays: 30, notifyWhenNothingDue: false };
const listingError = { error: 'Infisical failed with a server error (500)', details: { kind: 'server_error', httpCode: '500', description: 'internal error near sk-proj-abcdefghijklmnop1234' } };
const rotated = { status: 'rotated', oldKey: { masked: 'sk-...5e6f', fate: 'expires in 24h' }, newKey: { masked: 'sk-...9xyz', fingerprint: 'ab12cd34' } };

describe('key rotation summary', () => {
	it('a virtual key rotated, then listing provider keys failed: both said, the error masked', () => {
		const out = summary({
			Settings: [settings],
			'List virtual keys': [{ keyHash: 'h1', keyAlias: 'open-webui' }],
			'Virtual keys due': [{ secretName: 'OPEN_WEBUI_LITELLM_KEY' }],
			'Rotate virtual key': [rotated],
			'List provider keys': [listingError],
			'Provider keys due': [listingError],
		})!;
		expect(out.text).toMatch(/^:x: Key rotation: 1 failed, 1 rotated\. OPEN_WEBUI_LITELLM_KEY \(virtual key\): sk-\.\.\.5e6f → sk-\.\.\.9xyz/);
		expect(out.text).toMatch(/Listing provider keys failed, so no provider key was checked or rotated: Infisical failed with a server error \(500\) — internal error near sk-\.\.\.1234/);
		expect(out.text).not.toContain('abcdefghijklmnop');
		expect(JSON.stringify(out.blocks)).toMatch(/Listing failed/);
		expect(out.failed).toBe(1);
	});

	it('nothing due and nothing failed: no message', () => {
		expect(summary({ Settings: [settings], 'List virtual keys': [], 'List provider keys': [{ secretName: 'OPENAI_API_KEY' }] })).toBeUndefined();
	});

	it('listing virtual keys failed with nothing else due: a message all the same', () => {
		const out = summary({ Settings: [settings], 'List virtual keys': [{ error: 'LiteLLM failed (503)', details: {} }], 'List provider keys': [{ secretName: 'OPENAI_API_KEY' }] })!;
		expect(out.text).toBe(':x: Key rotation: 1 failed, 0 rotated. Listing virtual keys failed, so no virtual key was checked or rotated: LiteLLM failed (503)');
	});
});
