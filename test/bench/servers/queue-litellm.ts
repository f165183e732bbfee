/**
 * The queue-throughput benchmark's LiteLLM: the simulator with the fixture config, every gpt-4o-mini call
 * answered after LATENCY_MS (default 50) as if the upstream provider took that long. Its ledger is trimmed, the
 * benchmark counts items from n8n's executions instead.
 */
import { readFixture } from '../../simulators/fixtures';
import { LiteLlmSimulator } from '../../simulators/litellm';

export const MASTER_KEY = 'sk-bench-queue-master-0001';

export async function start() {
	const sim = new LiteLlmSimulator({
		configYaml: readFixture('litellm-config.yaml'),
		env: { LITELLM_MASTER_KEY: MASTER_KEY, OPENAI_API_KEY: 'sk-upstream-openai-000000000001' },
	});
	await sim.start();
	sim.slowDeployment('gpt-4o-mini', Number(process.env.LATENCY_MS ?? 50));
	const trim = setInterval(() => (sim.ledger.length = 0), 100);
	return {
		info: { url: sim.url },
		stop: async () => {
			clearInterval(trim);
			await sim.stop();
		},
	};
}
