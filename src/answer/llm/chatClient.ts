import { z } from 'zod';
import { PaperbotError } from '../../model/errors.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Anything that turns chat messages into the assistant's reply text. */
export interface ChatClient {
  readonly model: string;
  complete(messages: readonly ChatMessage[]): Promise<string>;
}

export interface OpenAiChatOptions {
  /** e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1; `/chat/completions` is appended. */
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  maxTokens?: number;
}

/** The LLM could not give a usable reply; the caller falls back to the extractive answer. */
export class LlmError extends PaperbotError {
  constructor(
    readonly reason: 'timeout' | 'http' | 'network' | 'malformed',
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`llm_${reason}`, detail, options);
  }
}

/** The part of an OpenAI-compatible chat-completions response we use. */
const ChatCompletion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().min(1) }) })).min(1),
});

/** A client for any OpenAI-compatible `/chat/completions` endpoint (OpenAI, vLLM, llama.cpp, Ollama…). */
export class OpenAiChatClient implements ChatClient {
  readonly model: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: OpenAiChatOptions) {
    this.model = options.model;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async complete(messages: readonly ChatMessage[]): Promise<string> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.apiKey}` },
        body: JSON.stringify({ model: this.options.model, messages, temperature: 0, max_tokens: this.options.maxTokens ?? 500 }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new LlmError(timedOut ? 'timeout' : 'network', timedOut ? `no reply within ${this.options.timeoutMs} ms` : 'request failed', { cause: err });
    }
    let body: unknown;
    try {
      if (!response.ok) throw new LlmError('http', `HTTP ${response.status}`);
      body = await response.json();
    } catch (err) {
      if (err instanceof LlmError) throw err;
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new LlmError(timedOut ? 'timeout' : 'malformed', timedOut ? `no reply within ${this.options.timeoutMs} ms` : 'response is not JSON', { cause: err });
    }
    const parsed = ChatCompletion.safeParse(body);
    if (!parsed.success) throw new LlmError('malformed', `unexpected response shape: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data.choices[0]!.message.content;
  }
}

/** The configured client, or undefined when LLM_BASE_URL, LLM_API_KEY or LLM_MODEL is unset (offline mode). */
export function chatClientFromConfig(
  config: { LLM_BASE_URL?: string | undefined; LLM_API_KEY?: string | undefined; LLM_MODEL?: string | undefined; LLM_TIMEOUT_MS: number },
  fetchImpl?: typeof fetch,
): ChatClient | undefined {
  if (!config.LLM_BASE_URL || !config.LLM_API_KEY || !config.LLM_MODEL) return undefined;
  return new OpenAiChatClient({ baseUrl: config.LLM_BASE_URL, apiKey: config.LLM_API_KEY, model: config.LLM_MODEL, timeoutMs: config.LLM_TIMEOUT_MS, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
}
