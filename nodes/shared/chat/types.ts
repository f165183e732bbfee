import type { IDataObject } from 'n8n-workflow';

/** The OpenAI chat shapes LiteLLM and OpenRouter share (only the fields this package reads). */
export interface ChatToolCall {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
}

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool' | 'developer';
	content: string | null | IDataObject[];
	tool_calls?: ChatToolCall[] | null;
	function_call?: unknown;
	tool_call_id?: string;
	name?: string;
}

export interface ChatUsage {
	prompt_tokens?: number;
	completion_tokens?: number;
	total_tokens?: number;
	/** OpenRouter only: the call's cost in credits (USD). */
	cost?: number | string;
}

export interface ChatCompletion {
	id?: string;
	object?: string;
	created?: number;
	model?: string;
	provider?: string;
	choices?: Array<{ index?: number; finish_reason?: string | null; message?: ChatMessage }>;
	usage?: ChatUsage;
}

export interface ModelList {
	data?: Array<{ id: string; object?: string; owned_by?: string }>;
}
