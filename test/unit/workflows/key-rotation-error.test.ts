/**
 * The crash message of the key-rotation error workflow, run as n8n's Code node would run it (the code with
 * `$` bound to the Error Trigger's item). It sees only the error, so it must not claim that nothing changed.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const workflow = JSON.parse(readFileSync(path.resolve(__dirname, '../../../workflows/key-rotation-error.json'), 'utf8')) as {
	nodes: Array<{ name: string; parameters: { jsCode?: string } }>;
};
const code = workflow.nodes.find((n) => n.name === 'Crash message')!.parameters.jsCode!;

function crashMessage(errorTrigger: object): { text: string; blocks: unknown[] } {
	const $ = () => ({ first: () => ({ json: errorTrigger }) });
	const items = new Function('$', code)($) as Array<{ json: { text: string; blocks: unknown[] } }>;
	return items[0].json;
}

describe('key rotation crash message', () => {
	const out = crashMessage({
		workflow: { name: 'LiteLLM: rotate keys monthly' },
		execution: { id: '42', mode: 'trigger', lastNodeExecuted: 'List provider keys', error: { message: 'Infisical failed with a server error (500) sk-proj-abcdefghijklmnop1234' } },
	});

	it('says that any key rotated before the failed node stays rotated, that it cannot see which, and where to look', () => {
		expect(out.text).not.toMatch(/No key was changed/);
		expect(out.text).toMatch(/Any key rotated before "List provider keys" in this run stays rotated; this report cannot see which, if any/);
		expect(out.text).toMatch(/open the execution to see what changed/);
		expect(JSON.stringify(out.blocks)).toMatch(/stays rotated/);
	});

	it('masks anything key-shaped', () => {
		expect(out.text).not.toContain('sk-proj-abcdefghijklmnop1234');
		expect(out.text).toContain('...1234');
	});
});
