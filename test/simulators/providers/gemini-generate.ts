/**
 * Gemini's generateContent dialect over the shared deterministic answer (http/chat-answer.ts): `contents[]`
 * with `parts` (`text`, `functionCall`, `functionResponse`) and `tools[].functionDeclarations` are read as
 * the OpenAI-style conversation, and the answer is written back as `candidates[0].content.parts`
 * (`text` or `functionCall`) with `usageMetadata`; `streamGenerateContent?alt=sse` sends it as SSE
 * `data:` chunks (no [DONE], as Google does). LiteLLM's Gemini client (litellm 1.83.7) parses both.
 */
import {
	buildAnswer,
	type ChatAnswer,
	type ChatMessage,
	streamPieces,
	type ToolDefinition,
} from '../http/chat-answer';
import type { SimResponse } from '../http/server';

interface Part {
	text?: string;
	functionCall?: { name: string; args?: unknown };
	functionResponse?: { name: string; response?: unknown };
}

export interface GenerateRequest {
	contents: Array<{ role?: string; parts: Part[] }>;
	tools?: Array<{
		functionDeclarations?: Array<{
			name: string;
			description?: string;
			parameters?: NonNullable<ToolDefinition['function']>['parameters'];
		}>;
	}>;
	toolConfig?: { functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] } };
}

function toChatMessages(contents: GenerateRequest['contents']): ChatMessage[] {
	const out: ChatMessage[] = [];
	for (const content of contents) {
		const text = content.parts.map((p) => p.text ?? '').join('');
		const calls = content.parts.filter((p) => p.functionCall);
		const responses = content.parts.filter((p) => p.functionResponse);
		if (calls.length > 0) {
			out.push({
				role: 'assistant',
				content: text || null,
				tool_calls: calls.map((p) => ({
					id: p.functionCall!.name,
					function: {
						name: p.functionCall!.name,
						arguments: JSON.stringify(p.functionCall!.args ?? {}),
					},
				})),
			});
		} else if (responses.length === 0) {
			out.push({ role: content.role === 'model' ? 'assistant' : 'user', content: text });
		}
		for (const p of responses)
			out.push({
				role: 'tool',
				tool_call_id: p.functionResponse!.name,
				content: JSON.stringify(p.functionResponse!.response ?? {}),
			});
	}
	return out;
}

function parts(answer: ChatAnswer): Part[] {
	if (answer.toolCalls)
		return answer.toolCalls.map((c) => ({
			functionCall: { name: c.function.name, args: JSON.parse(c.function.arguments) },
		}));
	return [{ text: answer.content ?? '' }];
}

export function generateContent(
	model: string,
	body: GenerateRequest,
	stream: boolean,
): SimResponse {
	const tools: ToolDefinition[] = (body.tools ?? [])
		.flatMap((t) => t.functionDeclarations ?? [])
		.map((f) => ({ type: 'function', function: f }));
	const mode = body.toolConfig?.functionCallingConfig?.mode;
	const only = body.toolConfig?.functionCallingConfig?.allowedFunctionNames?.[0];
	const toolChoice = mode === 'NONE' ? 'none' : only ? { function: { name: only } } : undefined;
	const answer = buildAnswer({ messages: toChatMessages(body.contents), tools, toolChoice });
	const usageMetadata = {
		promptTokenCount: answer.promptTokens,
		candidatesTokenCount: answer.completionTokens,
		totalTokenCount: answer.promptTokens + answer.completionTokens,
	};
	const candidate = (p: Part[], finish?: string) => ({
		content: { parts: p, role: 'model' },
		...(finish ? { finishReason: finish } : {}),
		index: 0,
	});
	if (!stream)
		return {
			status: 200,
			body: { candidates: [candidate(parts(answer), 'STOP')], usageMetadata, modelVersion: model },
		};
	const chunks: unknown[] = [];
	if (answer.toolCalls)
		chunks.push({ candidates: [candidate(parts(answer))], modelVersion: model });
	else
		for (const piece of streamPieces(answer.content ?? ''))
			chunks.push({ candidates: [candidate([{ text: piece }])], modelVersion: model });
	chunks.push({
		candidates: [candidate([{ text: '' }], 'STOP')],
		usageMetadata,
		modelVersion: model,
	});
	return {
		status: 200,
		headers: { 'content-type': 'text/event-stream' },
		body: chunks.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`).join(''),
	};
}
