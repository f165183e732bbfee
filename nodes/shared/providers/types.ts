import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

/** What a key check concluded. `unreachable`: no HTTP answer at all; `unknown`: an answer we cannot read. */
export type KeyStatus =
	| 'valid'
	| 'invalid'
	| 'rate_limited'
	| 'quota_exhausted'
	| 'unreachable'
	| 'unknown';

export type ProviderId =
	| 'openai'
	| 'anthropic'
	| 'gemini'
	| 'cohere'
	| 'mistral'
	| 'perplexity'
	| 'groq'
	| 'together'
	| 'ollama'
	| 'openrouter'
	| 'openaiCompatible';

/** One request below the provider's base URL (paths start with `/`). */
export interface ProviderCall {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
}

/** An HTTP answer as the key checker sees it. */
export interface ProviderAnswer {
	status: number;
	/** Header names in lower case. */
	headers: Record<string, string>;
	json: unknown;
	text: string;
}

/** How a provider's key is minted and revoked through its own admin API (only where one exists). */
export type KeyAdminKind = 'openrouter-management' | 'perplexity-auth-token';

export interface ProviderSpec {
	id: ProviderId;
	displayName: string;
	/** The environment variable LiteLLM's config.yaml reads through `os.environ/NAME`. */
	envName: string;
	/** LiteLLM's provider prefix for `litellm_params.model` (`openai/…`, `anthropic/…`). */
	liteLlmProvider: string;
	/** The documented base URL; undefined where the user must give one (generic endpoints). */
	defaultBaseUrl?: string;
	/**
	 * True where the user picks the endpoint (OpenAI-compatible, Ollama): any host, plain http included.
	 * Otherwise keys go only to the default's host over https, or to loopback (providers/base-url.ts).
	 */
	customEndpoint?: boolean;
	/** False for Ollama: no auth at all. */
	needsKey: boolean;
	/** What a well-formed key looks like; undefined accepts any non-blank key without spaces. */
	keyFormat?: RegExp;
	/** Said to the user when the key does not match `keyFormat`. */
	keyFormatHint: string;
	/** The auth header(s) for a key; never logged. */
	authHeaders(key: string): Record<string, string>;
	/** An authenticated call that costs no tokens. */
	zeroTokenCheck: ProviderCall;
	/** A one-token call that reveals an exhausted quota (providers answer free reads for empty accounts). */
	billedProbe?: ProviderCall;
	/** How many models the check's answer lists, where it lists them. */
	countModels(json: unknown): number | undefined;
	/** Status of a key from the answer to `zeroTokenCheck` or `billedProbe`. */
	classify(answer: ProviderAnswer, probe: 'check' | 'billed'): KeyStatus;
	/** Key administration API, where the provider has one. */
	admin?: KeyAdminKind;
}
