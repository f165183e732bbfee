/**
 * LiteLLM answers in OpenAI's shape but keeps fields OpenAI leaves out, and some providers behind it send
 * empty tool arguments. What breaks n8n's agents (read in @langchain/openai 1.4.4 and @langchain/classic
 * 1.0.27, the versions n8n 2.41.1 ships):
 *
 * - `arguments: ""` (a tool without parameters, e.g. from Anthropic or Gemini through LiteLLM):
 *   `JSON.parse("")` fails in LangChain's `parseToolCall`, the call lands in `invalid_tool_calls`, and the
 *   AI Agent's ToolCallingAgentOutputParser then re-parses `additional_kwargs.tool_calls` and throws
 *   "Failed to parse tool arguments from chat model response". The tool never runs.
 * - `tool_calls: null` on a plain answer ends up as `additional_kwargs.tool_calls = null`; LangChain's agent
 *   parser before langchain-ai/langchainjs#8594 read `.length` of it ("Cannot read properties of null
 *   (reading 'length')", reported as n8n-io/n8n#17522 and n8n-io/n8n#19712). `function_call: null` is
 *   carried along the same way.
 * - `content: null` beside tool calls: OpenAI's own shape, but agents and memory that expect text get null.
 *
 * The fix sits at the HTTP body, before the OpenAI client parses it, so every consumer (LangChain's message
 * conversion, the agent parsers, memory, tracing) sees OpenAI's shape: null keys removed, empty arguments
 * become "{}", null content beside tool calls becomes "".
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rewrites one assistant message in place; true when something changed. */
function normaliseMessage(message: Json): boolean {
	let changed = false;
	if (message.tool_calls === null) {
		delete message.tool_calls;
		changed = true;
	}
	if (message.function_call === null) {
		delete message.function_call;
		changed = true;
	}
	if (Array.isArray(message.tool_calls)) {
		for (const call of message.tool_calls) {
			if (!isObject(call) || !isObject(call.function)) continue;
			const args = call.function.arguments;
			if (args === null || args === undefined || (typeof args === 'string' && args.trim() === '')) {
				call.function.arguments = '{}';
				changed = true;
			}
		}
		if (message.tool_calls.length > 0 && message.content === null) {
			message.content = '';
			changed = true;
		}
	}
	return changed;
}

/** Normalises a chat.completion body in place; true when something changed. */
export function normaliseCompletion(body: unknown): boolean {
	if (!isObject(body) || !Array.isArray(body.choices)) return false;
	let changed = false;
	for (const choice of body.choices) {
		if (isObject(choice) && isObject(choice.message) && normaliseMessage(choice.message))
			changed = true;
	}
	return changed;
}

/**
 * OpenRouter reports failures after generation started as HTTP 200 with `{error:{code,message}}` and no
 * choices. The OpenAI client would take that for a success without choices; give it the real status so it
 * raises an APIError (and n8n's retry handling and the agent's fallback model take over).
 */
export function errorStatusOf(body: unknown): number | undefined {
	if (!isObject(body) || !isObject(body.error)) return undefined;
	if (Array.isArray(body.choices) && body.choices.length > 0) return undefined;
	const code = Number(body.error.code);
	return Number.isInteger(code) && code >= 400 && code <= 599 ? code : 502;
}

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A fetch that hands the OpenAI client normalised JSON bodies; streams and non-JSON pass untouched. */
export function normalisingFetch(base: FetchLike): FetchLike {
	return async (input, init) => {
		const response = await base(input, init);
		const contentType = response.headers.get('content-type') ?? '';
		if (!contentType.includes('application/json')) return response;
		const text = await response.text();
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			return rebuilt(response, text, response.status);
		}
		const status = response.ok ? (errorStatusOf(body) ?? response.status) : response.status;
		const changed = normaliseCompletion(body);
		return rebuilt(response, changed ? JSON.stringify(body) : text, status);
	};
}

function rebuilt(original: Response, text: string, status: number): Response {
	const headers = new Headers(original.headers);
	// The text is already decoded and may have changed length.
	headers.delete('content-length');
	headers.delete('content-encoding');
	return new Response(text, {
		status,
		statusText: status === original.status ? original.statusText : '',
		headers,
	});
}

/** The public side of a LangChain model: its class and the constructor arguments it keeps (`lc_kwargs`). */
type RebuildableModel = { constructor: new (fields: Json) => unknown; lc_kwargs: Json };

function isRebuildable(model: unknown): model is RebuildableModel {
	return isObject(model) && isObject(model.lc_kwargs) && typeof model.constructor === 'function';
}

/**
 * Builds the model again through its public constructor, with `fetch` in the documented
 * `configuration.fetch` option (the OpenAI client's own `fetch` option). n8n's `supplyModel` offers no way
 * to pass a fetch, and writing one into a built model means writing LangChain's internal fields, which an
 * update can rename without notice. Nothing here reads or writes a non-public member:
 * - the arguments come from `lc_kwargs`, LangChain's public record of what the constructor was given; it
 *   holds n8n's proxy dispatcher (`configuration.fetchOptions`), n8n's tracing (`callbacks`), the model and
 *   every sampling option this node sets;
 * - `extra` adds what that record leaves out on purpose (functions such as `onFailedAttempt`);
 * - `bindTools` and `withConfig`, what every agent calls, build their model from these same constructor
 *   arguments, so the fetch reaches every request.
 * Returns undefined for a model of another shape (not a LangChain model).
 */
export function withFetch(model: unknown, fetchFn: FetchLike, extra: Json = {}): unknown {
	if (!isRebuildable(model)) return undefined;
	const fields = model.lc_kwargs;
	const configuration = isObject(fields.configuration) ? fields.configuration : {};
	const Model = model.constructor;
	return new Model({ ...fields, ...extra, configuration: { ...configuration, fetch: fetchFn } });
}

/** The model rebuilt with the normalising fetch (see withFetch); undefined for a model of another shape. */
export function withNormalisingFetch(model: unknown, base: FetchLike, extra: Json = {}): unknown {
	return withFetch(model, normalisingFetch(base), extra);
}
