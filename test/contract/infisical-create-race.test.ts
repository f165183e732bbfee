/**
 * The one atomic step the rotation lease chain and the budget alert markers stand on: Infisical refuses to
 * create a secret whose name exists in the folder. Its service (secret-v2-bridge createSecret) answers
 * 400 BadRequestError "Secret already exist" in the error envelope `{reqId, statusCode, message, error}` and
 * leaves the existing secret untouched. The double must answer exactly that, for one late create and for many
 * creates racing, on the v4 routes the package calls and the v3 routes the SDK calls; and a name that was
 * deleted can be created again (at version 1), which is why a chain claim is checked after it is made.
 */
import { InfisicalSimulator } from '../simulators/infisical';

const PROJECT = 'proj-race';
const ENV = 'prod';
const FOLDER = '/leases';
const CLIENT = { clientId: 'ua-race', clientSecret: 'ua-race-secret' };

describe('Infisical double: create of an existing secret, per the contract', () => {
	let sim: InfisicalSimulator;
	let token: string;

	beforeEach(async () => {
		sim = new InfisicalSimulator();
		sim.addIdentity(CLIENT);
		sim.project(PROJECT).addFolder(ENV, FOLDER);
		await sim.start();
		const login = await fetch(`${sim.url}/api/v1/auth/universal-auth/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(CLIENT),
		});
		token = ((await login.json()) as { accessToken: string }).accessToken;
	});

	afterEach(async () => {
		await sim.stop();
	});

	const send = (method: string, path: string, body: Record<string, unknown>) =>
		fetch(`${sim.url}${path}`, {
			method,
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
	const createV4 = (name: string, value: string) =>
		send('POST', `/api/v4/secrets/${name}`, {
			projectId: PROJECT,
			environment: ENV,
			secretPath: FOLDER,
			secretValue: value,
			type: 'shared',
		});
	const stored = (name: string) =>
		sim.secrets(PROJECT, ENV, FOLDER).find((s) => s.secretKey === name);

	it('a second create is 400 BadRequestError "Secret already exist" in the envelope; the first value stays', async () => {
		expect((await createV4('KEY_ROTATION_LEASE_1', 'holder-a')).status).toBe(200);
		const second = await createV4('KEY_ROTATION_LEASE_1', 'holder-b');
		expect(second.status).toBe(400);
		const body = (await second.json()) as Record<string, unknown>;
		expect(body).toEqual({
			reqId: expect.stringMatching(/^req-[A-Za-z0-9]{14}$/),
			statusCode: 400,
			message: 'Secret already exist',
			error: 'BadRequestError',
		});
		expect(stored('KEY_ROTATION_LEASE_1')).toMatchObject({ secretValue: 'holder-a', version: 1 });
	});

	it('the v3 raw route (the SDK) answers the same', async () => {
		const createV3 = (value: string) =>
			send('POST', '/api/v3/secrets/raw/KEY_ROTATION_LEASE_1', {
				workspaceId: PROJECT,
				environment: ENV,
				secretPath: FOLDER,
				secretValue: value,
				type: 'shared',
			});
		expect((await createV3('holder-a')).status).toBe(200);
		const second = await createV3('holder-b');
		expect(second.status).toBe(400);
		expect(await second.json()).toMatchObject({
			statusCode: 400,
			message: 'Secret already exist',
			error: 'BadRequestError',
		});
	});

	it('of 20 creates of one name sent at once exactly one succeeds, and its value is the one stored', async () => {
		const answers = await Promise.all(
			Array.from({ length: 20 }, async (_, i) => {
				const res = await createV4('BUDGET_MARK', `claimant-${i}`);
				return { i, status: res.status, body: (await res.json()) as Record<string, unknown> };
			}),
		);
		const won = answers.filter((a) => a.status === 200);
		expect(won).toHaveLength(1);
		const lost = answers.filter((a) => a.status !== 200);
		expect(lost).toHaveLength(19);
		for (const a of lost)
			expect(a).toMatchObject({
				status: 400,
				body: { message: 'Secret already exist', error: 'BadRequestError' },
			});
		expect(won[0].body).toMatchObject({
			secret: { secretKey: 'BUDGET_MARK', secretValue: `claimant-${won[0].i}`, version: 1 },
		});
		expect(stored('BUDGET_MARK')?.secretValue).toBe(`claimant-${won[0].i}`);
	});

	it('a deleted name can be created again, at version 1 (so a chain claim is read back after it is made)', async () => {
		expect((await createV4('KEY_ROTATION_LEASE_2', 'first')).status).toBe(200);
		const removed = await send('DELETE', '/api/v4/secrets/KEY_ROTATION_LEASE_2', {
			projectId: PROJECT,
			environment: ENV,
			secretPath: FOLDER,
			type: 'shared',
		});
		expect(removed.status).toBe(200);
		expect((await createV4('KEY_ROTATION_LEASE_2', 'again')).status).toBe(200);
		expect(stored('KEY_ROTATION_LEASE_2')).toMatchObject({ secretValue: 'again', version: 1 });
	});
});
