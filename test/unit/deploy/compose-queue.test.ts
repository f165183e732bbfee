/**
 * deploy/compose.queue.yaml: n8n main and two workers in queue mode on PostgreSQL and Redis, beside LiteLLM with
 * its own PostgreSQL. Every image pinned by version and digest, every service health-checked, the workers
 * started only once the main and the stores are healthy, n8n's settings from deploy/n8n.env.example, and no
 * secret written in the file.
 */
import { parseImageRef, isPlaceholderDigest, liteLlmImageProblems } from './image-pin';
import { deployText, deployYaml } from './read-deploy';

interface Service {
	image: string;
	command?: string[];
	ports?: string[];
	volumes?: string[];
	env_file?: string[];
	environment?: Record<string, string>;
	healthcheck?: { test: string[] };
	depends_on?: Record<string, { condition: string }>;
}

const compose = deployYaml<{ services: Record<string, Service>; volumes: Record<string, unknown> }>(
	'compose.queue.yaml',
);
const services = compose.services;
const n8nServices = ['n8n-main', 'n8n-worker-1', 'n8n-worker-2'];
const workers = ['n8n-worker-1', 'n8n-worker-2'];

/** KEY=value lines of an env file (comments and blanks skipped). */
function envFile(name: string): Map<string, string> {
	const entries = deployText(name)
		.split('\n')
		.filter((l) => /^[A-Z0-9_]+=/.test(l))
		.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]);
	return new Map(entries);
}

describe('deploy/compose.queue.yaml', () => {
	it('has the n8n main, two workers, their PostgreSQL and Redis, and LiteLLM with its PostgreSQL', () => {
		expect(Object.keys(services).sort()).toEqual([
			'litellm',
			'litellm-db',
			'n8n-db',
			'n8n-main',
			'n8n-worker-1',
			'n8n-worker-2',
			'redis',
		]);
		for (const name of workers) expect(services[name].command?.[0]).toBe('worker');
		expect(services['n8n-main'].command).toBeUndefined(); // the image's default: n8n start
	});

	it('pins every image by a version and a sha256 digest (placeholders say so)', () => {
		const text = deployText('compose.queue.yaml');
		for (const [name, service] of Object.entries(services)) {
			const image = parseImageRef(service.image);
			expect({ name, tag: image.tag }).toEqual({
				name,
				tag: expect.stringMatching(/^v?\d+\.\d+(\.\d+)?(-[a-z]+)?$/),
			});
			expect({ name, digest: image.digest }).toEqual({
				name,
				digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
			});
			if (isPlaceholderDigest(service.image))
				expect(text).toContain(`${service.image} # PLACEHOLDER digest: fill before use`);
		}
		expect(liteLlmImageProblems(services.litellm.image)).toEqual([]);
		for (const name of n8nServices)
			expect(parseImageRef(services[name].image)).toMatchObject({
				repository: 'docker.n8n.io/n8nio/n8n',
				version: '2.41.1',
			});
		// n8n 2.41 calls PostgreSQL 15 unsupported.
		expect(
			Number(parseImageRef(services['n8n-db'].image).tag?.split('.')[0]),
		).toBeGreaterThanOrEqual(16);
	});

	it('health-checks every service; workers expose their readiness endpoint', () => {
		for (const [name, service] of Object.entries(services))
			expect({ name, test: service.healthcheck?.test.length }).toEqual({
				name,
				test: expect.any(Number),
			});
		for (const name of n8nServices)
			expect(services[name].healthcheck!.test.join(' ')).toContain('/healthz/readiness');
		for (const name of workers)
			expect(services[name].environment).toMatchObject({ QUEUE_HEALTH_CHECK_ACTIVE: 'true' });
	});

	it('runs n8n in queue mode on PostgreSQL and Redis, manual runs included, with the stores healthy first', () => {
		for (const name of n8nServices) {
			const service = services[name];
			expect(service.environment).toMatchObject({
				EXECUTIONS_MODE: 'queue',
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: 'n8n-db',
				QUEUE_BULL_REDIS_HOST: 'redis',
				OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
				N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			});
			expect(service.env_file).toEqual(['./n8n.env']);
			expect(service.depends_on).toMatchObject({
				'n8n-db': { condition: 'service_healthy' },
				redis: { condition: 'service_healthy' },
			});
		}
		for (const name of workers)
			expect(services[name].depends_on).toMatchObject({
				'n8n-main': { condition: 'service_healthy' },
			});
		expect(services.litellm.depends_on).toMatchObject({
			'litellm-db': { condition: 'service_healthy' },
		});
	});

	it('shares one community-nodes folder: the main installs the package, the workers load it read-only', () => {
		expect(services['n8n-main'].volumes).toContain('n8n-community-nodes:/home/node/.n8n/nodes');
		for (const name of workers)
			expect(services[name].volumes).toContain('n8n-community-nodes:/home/node/.n8n/nodes:ro');
		expect(Object.keys(compose.volumes)).toContain('n8n-community-nodes');
	});

	it('publishes ports on loopback only', () => {
		for (const service of Object.values(services))
			for (const port of service.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
	});

	it('writes no secret: passwords and keys come from env files or ${VAR:?} references', () => {
		const text = deployText('compose.queue.yaml');
		expect(text).not.toMatch(/sk-[A-Za-z0-9]/);
		for (const [name, service] of Object.entries(services)) {
			for (const [key, value] of Object.entries(service.environment ?? {})) {
				if (/PASSWORD|KEY|SECRET|TOKEN/.test(key))
					expect({ name, key, value }).toEqual({
						name,
						key,
						value: expect.stringMatching(/^\$\{[A-Z0-9_]+:\?[^}]*\}$/),
					});
			}
		}
	});

	it('ships n8n.env.example with the shared encryption key and database settings, all secrets left empty', () => {
		const example = envFile('n8n.env.example');
		for (const name of [
			'N8N_ENCRYPTION_KEY',
			'POSTGRES_PASSWORD',
			'DB_POSTGRESDB_PASSWORD',
			'DB_POSTGRESDB_USER',
			'DB_POSTGRESDB_DATABASE',
		])
			expect(example.has(name)).toBe(true);
		for (const [name, value] of example)
			if (/PASSWORD|KEY|SECRET|TOKEN/.test(name))
				expect({ name, value }).toEqual({ name, value: '' });
		expect(example.get('DB_POSTGRESDB_USER')).toBe(services['n8n-db'].environment?.POSTGRES_USER);
		expect(example.get('DB_POSTGRESDB_DATABASE')).toBe(services['n8n-db'].environment?.POSTGRES_DB);
		expect(deployText('../.gitignore')).toMatch(/^deploy\/n8n\.env$/m);
	});
});
