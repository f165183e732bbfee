/**
 * The Validate All benchmark's servers: Infisical holding KEYS provider keys under /keys, and every provider
 * answering after LATENCY ms. Keys are derived from their index, so the benchmark can rebuild each check.
 */
import { InfisicalSimulator } from '../../simulators/infisical';
import { ProviderSimulator } from '../../simulators/providers/simulator';

export const CLIENT = {
	clientId: 'bench-client',
	clientSecret: 'bench-client-secret-000000000001',
};

/** Simulator name → Key Manager provider id, and a key shaped as that provider's keys are. */
export const PROVIDERS: Array<{ sim: string; id: string; key: (n: number) => string }> = [
	{ sim: 'openai', id: 'openai', key: (n) => `sk-proj-bench${String(n).padStart(24, '0')}` },
	{
		sim: 'anthropic',
		id: 'anthropic',
		key: (n) => `sk-ant-api03-bench${String(n).padStart(24, '0')}`,
	},
	{ sim: 'gemini', id: 'gemini', key: (n) => `AIzaSyBench${String(n).padStart(28, '0')}` },
	{ sim: 'cohere', id: 'cohere', key: (n) => `cohereBench${String(n).padStart(29, '0')}` },
	{ sim: 'mistral', id: 'mistral', key: (n) => `mistralBench${String(n).padStart(20, '0')}` },
	{ sim: 'perplexity', id: 'perplexity', key: (n) => `pplx-bench${String(n).padStart(30, '0')}` },
	{ sim: 'groq', id: 'groq', key: (n) => `gsk_bench${String(n).padStart(30, '0')}` },
	{ sim: 'together', id: 'together', key: (n) => `togetherBench${String(n).padStart(40, '0')}` },
	{ sim: 'ollama', id: 'ollama', key: () => '' },
	{
		sim: 'compat',
		id: 'openaiCompatible',
		key: (n) => `compat-bench-${String(n).padStart(20, '0')}`,
	},
];

export interface ValidateAllServers {
	infisicalUrl: string;
	/** Provider simulator name → its base URL. */
	baseUrls: Record<string, string>;
}

export async function start() {
	const keys = Number(process.env.KEYS ?? 1000);
	const latency = Number(process.env.LATENCY ?? 50);
	const infisical = new InfisicalSimulator();
	const providers = new ProviderSimulator();
	await Promise.all([infisical.start(), providers.start()]);
	infisical.addIdentity(CLIENT);
	infisical.project('bench').addFolder('prod', '/keys');
	for (let n = 0; n < keys; n++) {
		const p = PROVIDERS[n % PROVIDERS.length];
		const key = p.key(n);
		if (key) providers.addKey(p.sim, key);
		infisical.seedSecret({
			projectId: 'bench',
			environment: 'prod',
			secretPath: '/keys',
			secretKey: `KEY_${String(n).padStart(4, '0')}`,
			secretValue: key || 'none',
			secretComment: JSON.stringify({
				managedBy: 'n8n-nodes-litellm',
				kind: 'provider-key',
				provider: p.id,
				baseUrl: providers.baseUrl(p.sim),
			}),
		});
	}
	for (const p of PROVIDERS) providers.setLatency(p.sim, latency);
	const baseUrls = Object.fromEntries(PROVIDERS.map((p) => [p.sim, providers.baseUrl(p.sim)]));
	const info: ValidateAllServers = { infisicalUrl: infisical.url, baseUrls };
	return { info, stop: async () => void (await Promise.all([infisical.stop(), providers.stop()])) };
}
