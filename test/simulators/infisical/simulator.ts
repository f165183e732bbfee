/**
 * Infisical test double: universal-auth login/renew, v3 raw secrets (what `@infisical/sdk` 5.0.2 calls)
 * and v4 secrets (the documented successor), on 127.0.0.1 with an ephemeral port.
 *
 * Routes (exactly as the SDK / backend routers spell them):
 *   POST /api/v1/auth/universal-auth/login {clientId, clientSecret}
 *        → {accessToken, expiresIn, accessTokenMaxTTL, tokenType:"Bearer"}
 *   POST /api/v1/auth/token/renew {accessToken} → same shape
 *   GET  /api/v3/secrets/raw?workspaceId&environment&secretPath&recursive&include_imports&…  → {secrets, imports?}
 *   GET|POST|PATCH|DELETE /api/v3/secrets/raw/:name  (ids as `workspaceId`; GET in the query, others in the
 *        JSON body, DELETE included) → {secret}
 *   GET  /api/v4/secrets?projectId&environment&secretPath&…  → {secrets, imports?}
 *   GET|POST|PATCH|DELETE /api/v4/secrets/:name  (ids as `projectId`) → {secret}
 * v4 field names were checked against backend/src/server/routes/v4/secret-router.ts: query/body use
 * `projectId`, `environment`, `secretPath` (default "/", trailing slash removed), `type` (default shared),
 * `version` (coerced number, GET only), booleans as "true"/"false" (`viewSecretValue`,
 * `expandSecretReferences`, `recursive`, `include_imports`); create/update take `secretValue`,
 * `secretComment`, `tagIds`, `skipMultilineEncoding`, `secretMetadata: [{key, value, isEncrypted}]`; update
 * also `newSecretName` and `metadata` (a record). v3 accepts the same bodies with `workspaceId`.
 *
 * Secret objects (both versions) carry: id, _id, workspace, projectId, environment, version, type,
 * secretKey, secretValue, secretValueHidden, secretComment, secretReminderNote, secretReminderRepeatDays,
 * skipMultilineEncoding, createdAt, updatedAt, isRotatedSecret, rotationId, secretPath, tags, secretMetadata.
 * That is the union of what reshapeBridgeSecret builds; the real serializer strips some of these on some
 * routes (e.g. v3 create drops secretPath/tags). A superset is harmless for clients that read fields.
 *
 * Order of checks, as in fastify: auth (onRequest) → rate limit (preValidation) → zod validation (422) →
 * handler errors (400/404). Rate limiting is off unless `setRateLimit()` is called (self-hosted has none);
 * when it trips: 429 RateLimitError "Rate limit exceeded. Please try again in N seconds" with
 * @fastify/rate-limit's headers (x-ratelimit-limit/remaining/reset, retry-after).
 * Choices where the sources were silent: a missing Authorization header answers 401 UnauthorizedError
 * "Token missing"; imports are never modelled (`imports: []` when include_imports=true); tags are always [].
 */
import { SimServer, type SimRequest, type SimResponse, type LedgerEntry } from '../http/server';
import { IdentityAuth, type IdentityOptions } from './auth';
import {
	enumIssue,
	infisicalError,
	infisicalErrorBody,
	requiredIssue,
	type ZodIssue,
} from './errors';
import {
	normalizePath,
	SecretStore,
	StoreError,
	type SecretMetadataEntry,
	type StoredSecret,
} from './store';

export interface InfisicalSimulatorOptions {
	/** Clock in ms; default Date.now. `advance()` adds to whatever this returns. */
	now?: () => number;
}

export interface SecretState {
	id: string;
	secretKey: string;
	secretValue: string;
	secretComment: string;
	version: number;
	type: 'shared' | 'personal';
	secretPath: string;
	secretMetadata: SecretMetadataEntry[];
	/** Every version ever written, oldest first. */
	versions: Array<{ version: number; secretKey: string; secretValue: string }>;
}

type IdField = 'workspaceId' | 'projectId';

const BOOLEAN_QUERY = ['viewSecretValue', 'expandSecretReferences', 'recursive', 'include_imports'];

export class InfisicalSimulator {
	readonly server = new SimServer('infisical');

	private offsetMs = 0;

	private readonly baseNow: () => number;

	private readonly auth: IdentityAuth;

	private readonly store: SecretStore;

	private rateLimit?: { limit: number; windowMs: number; hits: number[] };

	constructor(options: InfisicalSimulatorOptions = {}) {
		this.baseNow = options.now ?? Date.now;
		this.auth = new IdentityAuth(() => this.now());
		this.store = new SecretStore(() => this.now());
		this.registerRoutes();
	}

	// ---- lifecycle -------------------------------------------------------------------------------

	start(port = 0): Promise<string> {
		return this.server.start(port);
	}

	stop(): Promise<void> {
		return this.server.stop();
	}

	get url(): string {
		return this.server.url;
	}

	get ledger(): LedgerEntry[] {
		return this.server.ledger;
	}

	// ---- test API --------------------------------------------------------------------------------

	now(): number {
		return this.baseNow() + this.offsetMs;
	}

	/** Moves the simulator's clock forward (token expiry, rate-limit windows). */
	advance(ms: number): void {
		this.offsetMs += ms;
	}

	addIdentity(options: IdentityOptions): string {
		return this.auth.addIdentity(options);
	}

	/** Creates the project (default environments dev, staging, prod, each with a root folder). */
	project(id: string, environments?: string[]): { addFolder: (env: string, path: string) => void } {
		this.store.ensureProject(id, environments);
		return { addFolder: (env, path) => this.store.addFolder(id, env, path) };
	}

	addFolder(projectId: string, env: string, path: string): void {
		this.store.addFolder(projectId, env, path);
	}

	/** Writes a secret directly (no HTTP, no ledger line). */
	seedSecret(input: {
		projectId: string;
		environment: string;
		secretPath?: string;
		secretKey: string;
		secretValue: string;
		secretComment?: string;
	}): void {
		this.store.create({
			projectId: input.projectId,
			environment: input.environment,
			secretPath: input.secretPath ?? '/',
			key: input.secretKey,
			value: input.secretValue,
			comment: input.secretComment,
			type: 'shared',
		});
	}

	/** Rewrites a secret's value directly (no HTTP, no ledger line): time passing over a lease, say. */
	editSecret(
		input: { projectId: string; environment: string; secretPath: string; secretKey: string },
		edit: (value: string) => string,
	): void {
		const current = this.store
			.list(input.projectId, input.environment, input.secretPath)
			.find((s) => s.key === input.secretKey);
		if (!current) throw new Error(`no secret ${input.secretKey}`);
		this.store.update({
			...input,
			key: input.secretKey,
			type: 'shared',
			value: edit(current.value),
		});
	}

	/** Current state of one folder, read directly. */
	secrets(projectId: string, env: string, path = '/'): SecretState[] {
		return this.store.list(projectId, env, path).map((s) => ({
			id: s.id,
			secretKey: s.key,
			secretValue: s.value,
			secretComment: s.comment,
			version: s.version,
			type: s.type,
			secretPath: s.secretPath,
			secretMetadata: s.metadata,
			versions: s.versions.map((v) => ({
				version: v.version,
				secretKey: v.key,
				secretValue: v.value,
			})),
		}));
	}

	/** The next request matching method and path prefix answers `status` in Infisical's envelope. */
	failNext(method: string, pathPrefix: string, status: number, message?: string, times = 1): void {
		const headers = status === 429 ? { 'retry-after': '1' } : undefined;
		this.server.faults.add(
			{ kind: 'status', status, body: infisicalErrorBody(status, message), headers },
			{ method, path: pathPrefix, times },
		);
	}

	/** Per-window request limit on the secrets routes; `undefined` turns it off. */
	setRateLimit(limit: number | undefined, windowMs = 60_000): void {
		this.rateLimit = limit === undefined ? undefined : { limit, windowMs, hits: [] };
	}

	/** Every access token issued so far is expired from now on (403 TokenError). */
	expireTokens(): void {
		this.auth.expireAll();
	}

	revokeTokens(): void {
		this.auth.revokeAll();
	}

	/** How many access tokens were issued (logins). */
	get tokensIssued(): number {
		return this.auth.issued;
	}

	/** Ledger lines whose path starts with a prefix, e.g. '/api/v3/secrets/raw'. */
	calls(pathPrefix: string, method?: string): LedgerEntry[] {
		return this.server.ledger.filter(
			(e) => e.path.startsWith(pathPrefix) && (!method || e.method === method.toUpperCase()),
		);
	}

	// ---- routes ----------------------------------------------------------------------------------

	private registerRoutes(): void {
		const s = this.server;
		s.route('POST', '/api/v1/auth/universal-auth/login', (req) => this.login(req));
		s.route('POST', '/api/v1/auth/token/renew', (req) => this.renew(req));
		for (const [prefix, idField] of [
			['/api/v3/secrets/raw', 'workspaceId'],
			['/api/v4/secrets', 'projectId'],
		] as const) {
			s.route('GET', prefix, (req) => this.guard(req, () => this.list(req, idField)));
			s.route('GET', `${prefix}/:name`, (req) => this.guard(req, () => this.getOne(req, idField)));
			s.route('POST', `${prefix}/:name`, (req) => this.guard(req, () => this.create(req, idField)));
			s.route('PATCH', `${prefix}/:name`, (req) =>
				this.guard(req, () => this.update(req, idField)),
			);
			s.route('DELETE', `${prefix}/:name`, (req) =>
				this.guard(req, () => this.remove(req, idField)),
			);
		}
	}

	private login(req: SimRequest): SimResponse {
		const body = asRecord(req.body);
		const issues = ['clientId', 'clientSecret']
			.filter((f) => typeof body[f] !== 'string')
			.map(requiredIssue);
		if (issues.length) return infisicalError(422, issues);
		const result = this.auth.login(String(body.clientId), String(body.clientSecret));
		if (!result) return infisicalError(401, 'Invalid credentials');
		return {
			status: 200,
			body: {
				accessToken: result.accessToken,
				expiresIn: result.ttl,
				accessTokenMaxTTL: result.maxTtl,
				tokenType: 'Bearer',
			},
		};
	}

	private renew(req: SimRequest): SimResponse {
		const body = asRecord(req.body);
		if (typeof body.accessToken !== 'string')
			return infisicalError(422, [requiredIssue('accessToken')]);
		const result = this.auth.renew(body.accessToken);
		if (!result.ok) return infisicalError(result.status, result.message, result.error);
		return {
			status: 200,
			body: {
				accessToken: body.accessToken,
				expiresIn: result.ttl,
				accessTokenMaxTTL: result.maxTtl,
				tokenType: 'Bearer',
			},
		};
	}

	/** Auth, then rate limit, then the handler; store errors become Infisical's envelope. */
	private guard(req: SimRequest, handler: () => SimResponse): SimResponse {
		const header = req.headers.authorization;
		if (!header) return infisicalError(401, 'Token missing');
		const token = header.replace(/^Bearer\s+/i, '');
		const checked = this.auth.check(token);
		if (!checked.ok) return infisicalError(checked.status, checked.message, checked.error);
		const limited = this.takeRateLimit();
		if (limited) return limited;
		try {
			return handler();
		} catch (error) {
			if (error instanceof StoreError) return infisicalError(error.status, error.message);
			throw error;
		}
	}

	private takeRateLimit(): SimResponse | undefined {
		const rl = this.rateLimit;
		if (!rl) return undefined;
		const now = this.now();
		rl.hits = rl.hits.filter((t) => now - t < rl.windowMs);
		if (rl.hits.length >= rl.limit) {
			const seconds = Math.max(1, Math.ceil((rl.hits[0] + rl.windowMs - now) / 1000));
			return infisicalError(
				429,
				`Rate limit exceeded. Please try again in ${seconds} seconds`,
				'RateLimitError',
				{
					'x-ratelimit-limit': String(rl.limit),
					'x-ratelimit-remaining': '0',
					'x-ratelimit-reset': String(seconds),
					'retry-after': String(seconds),
				},
			);
		}
		rl.hits.push(now);
		return undefined;
	}

	private list(req: SimRequest, idField: IdField): SimResponse {
		const q = req.query;
		const bad = booleanIssues(q);
		if (bad.length) return infisicalError(422, bad);
		const projectId = q.get(idField)?.trim();
		const environment = q.get('environment')?.trim();
		if (!projectId || !environment) {
			return infisicalError(
				400,
				idField === 'projectId'
					? 'Missing project id or environment'
					: 'Missing workspace id or environment',
			);
		}
		const path = normalizePath(q.get('secretPath') ?? '/');
		const secrets = this.store.list(projectId, environment, path, q.get('recursive') === 'true');
		const body: Record<string, unknown> = {
			secrets: secrets.map((sec) => toApi(sec, q.get('viewSecretValue') !== 'false')),
		};
		if (q.get('include_imports') === 'true') body.imports = [];
		return { status: 200, body };
	}

	private getOne(req: SimRequest, idField: IdField): SimResponse {
		const q = req.query;
		const issues = booleanIssues(q);
		if (idField === 'projectId' && !q.get('projectId')) issues.push(requiredIssue('projectId'));
		const type = q.get('type') ?? 'shared';
		if (!['shared', 'personal'].includes(type))
			issues.push(enumIssue('type', ['shared', 'personal'], type));
		const versionText = q.get('version');
		const version = versionText === null ? undefined : Number(versionText);
		if (version !== undefined && Number.isNaN(version)) {
			issues.push({
				code: 'invalid_type',
				expected: 'number',
				received: 'nan',
				path: ['version'],
				message: 'Expected number, received nan',
			});
		}
		if (issues.length) return infisicalError(422, issues);
		const environment = q.get('environment')?.trim();
		if (!environment) return infisicalError(400, 'Missing environment');
		const projectId = q.get(idField)?.trim();
		if (!projectId) return infisicalError(400, 'You must provide  workspaceId');
		const secret = this.store.get(
			projectId,
			environment,
			q.get('secretPath') ?? '/',
			req.params.name,
			type,
			version,
		);
		return { status: 200, body: { secret: toApi(secret, q.get('viewSecretValue') !== 'false') } };
	}

	private create(req: SimRequest, idField: IdField): SimResponse {
		const body = asRecord(req.body);
		const issues = bodyIssues(body, [idField, 'environment', 'secretValue']);
		if (issues.length) return infisicalError(422, issues);
		const secret = this.store.create({
			projectId: String(body[idField]).trim(),
			environment: String(body.environment).trim(),
			secretPath: optionalString(body.secretPath) ?? '/',
			key: req.params.name,
			value: trimValue(String(body.secretValue)),
			comment: optionalString(body.secretComment)?.trim(),
			type: optionalString(body.type) ?? 'shared',
			metadata: metadataOf(body.secretMetadata),
			tagIds: Array.isArray(body.tagIds) ? body.tagIds.map(String) : undefined,
		});
		return { status: 200, body: { secret: toApi(secret, true) } };
	}

	private update(req: SimRequest, idField: IdField): SimResponse {
		const body = asRecord(req.body);
		const issues = bodyIssues(body, [idField, 'environment']);
		if (issues.length) return infisicalError(422, issues);
		const secret = this.store.update({
			projectId: String(body[idField]).trim(),
			environment: String(body.environment).trim(),
			secretPath: optionalString(body.secretPath) ?? '/',
			key: req.params.name,
			type: optionalString(body.type) ?? 'shared',
			value: typeof body.secretValue === 'string' ? trimValue(body.secretValue) : undefined,
			comment: optionalString(body.secretComment),
			newKey: optionalString(body.newSecretName),
			metadata: metadataOf(body.secretMetadata) ?? recordMetadata(body.metadata),
		});
		return { status: 200, body: { secret: toApi(secret, true) } };
	}

	private remove(req: SimRequest, idField: IdField): SimResponse {
		const body = asRecord(req.body);
		const issues = bodyIssues(body, [idField, 'environment']);
		if (issues.length) return infisicalError(422, issues);
		const secret = this.store.delete(
			String(body[idField]).trim(),
			String(body.environment).trim(),
			optionalString(body.secretPath) ?? '/',
			req.params.name,
			optionalString(body.type) ?? 'shared',
		);
		return { status: 200, body: { secret: toApi(secret, true) } };
	}
}

/** reshapeBridgeSecret's output (see the header for the superset note). */
function toApi(secret: StoredSecret, viewValue: boolean): Record<string, unknown> {
	return {
		id: secret.id,
		_id: secret.id,
		workspace: secret.projectId,
		projectId: secret.projectId,
		environment: secret.environment,
		version: secret.version,
		type: secret.type,
		secretKey: secret.key,
		// INFISICAL_SECRET_VALUE_HIDDEN_MASK in the backend
		secretValue: viewValue ? secret.value : '<hidden-by-infisical>',
		secretValueHidden: !viewValue,
		secretComment: secret.comment,
		secretReminderNote: null,
		secretReminderRepeatDays: null,
		skipMultilineEncoding: false,
		createdAt: new Date(secret.createdAt).toISOString(),
		updatedAt: new Date(secret.updatedAt).toISOString(),
		isRotatedSecret: false,
		rotationId: null,
		secretPath: secret.secretPath,
		tags: [],
		secretMetadata: secret.metadata,
	};
}

function asRecord(value: unknown): Record<string, unknown> {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: {};
}

function optionalString(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

function bodyIssues(body: Record<string, unknown>, required: string[]): ZodIssue[] {
	const issues = required.filter((f) => typeof body[f] !== 'string').map(requiredIssue);
	if (body.type !== undefined && !['shared', 'personal'].includes(String(body.type))) {
		issues.push(enumIssue('type', ['shared', 'personal'], String(body.type)));
	}
	return issues;
}

function booleanIssues(q: URLSearchParams): ZodIssue[] {
	return BOOLEAN_QUERY.filter((f) => q.has(f) && !['true', 'false'].includes(q.get(f)!)).map((f) =>
		enumIssue(f, ['true', 'false'], q.get(f)!),
	);
}

/** The routers trim values, keeping one trailing newline when there was one. */
function trimValue(value: string): string {
	return value.at(-1) === '\n' ? `${value.trim()}\n` : value.trim();
}

function metadataOf(value: unknown): SecretMetadataEntry[] | undefined {
	if (!Array.isArray(value)) return undefined;
	return value.map((entry) => {
		const e = asRecord(entry);
		return {
			key: String(e.key ?? ''),
			value: String(e.value ?? ''),
			isEncrypted: Boolean(e.isEncrypted ?? false),
		};
	});
}

/** `metadata` (a string record, what SDK 5.0.2's updateSecret sends) stored in the same list. */
function recordMetadata(value: unknown): SecretMetadataEntry[] | undefined {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
	return Object.entries(value as Record<string, unknown>).map(([key, v]) => ({
		key,
		value: String(v),
		isEncrypted: false,
	}));
}
