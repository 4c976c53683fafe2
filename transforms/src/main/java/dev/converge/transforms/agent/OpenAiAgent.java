package dev.converge.transforms.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp, Ollama, OpenRouter,
 * ...): {@code POST {baseUrl}/chat/completions} with a system and a user message, the key as a
 * bearer token from the environment variable {@code apiKeyEnv}. The answer is {@code
 * choices[0].message.content}; {@code usage.prompt_tokens} and {@code usage.completion_tokens}
 * are counted.
 */
public final class OpenAiAgent extends HttpModelAgent<OpenAiAgent> {
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  public static final String DEFAULT_KEY_VARIABLE = "OPENAI_API_KEY";

  private OpenAiAgent(Endpoint endpoint) {
    super(endpoint);
  }

  public static OpenAiAgent of(String id, String model) {
    return new OpenAiAgent(endpoint(id, model, DEFAULT_BASE_URL, DEFAULT_KEY_VARIABLE, 0));
  }

  @Override
  protected OpenAiAgent with(Endpoint changed) {
    return new OpenAiAgent(changed);
  }

  @Override
  public String kind() {
    return "openai";
  }

  @Override
  public ModelReply call(ModelCall call) throws AgentCallException, InterruptedException {
    String key = key();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", endpoint.model());
    List<Map<String, String>> messages = new ArrayList<>();
    messages.add(Map.of("role", "system", "content", call.prompt().system()));
    messages.add(Map.of("role", "user", "content", call.prompt().user()));
    body.put("messages", messages);
    if (endpoint.maxTokens() > 0) {
      // OpenAI's own API wants max_completion_tokens (its newer models refuse max_tokens); the
      // compatible servers (vLLM, llama.cpp, Ollama, ...) know max_tokens.
      body.put(isOpenAi() ? "max_completion_tokens" : "max_tokens", endpoint.maxTokens());
    }
    if (endpoint.temperature() != null) {
      body.put("temperature", endpoint.temperature());
    }
    HttpResponse<String> response =
        Http.postJson(
            "openai",
            URI.create(endpoint.baseUrl() + "/chat/completions"),
            Map.of("Authorization", "Bearer " + key),
            body,
            call.timeout(),
            key);
    if (response.statusCode() / 100 != 2) {
      throw Http.failure("openai", response, key);
    }
    JsonNode json = Http.json("openai", response.body(), key);
    JsonNode choice = json.path("choices").path(0);
    JsonNode content = choice.path("message").path("content");
    if (!content.isTextual()) {
      String detail =
          json.has("error")
              ? Http.errorMessage(response.body())
              : choice.isMissingNode() ? "no choices" : "choices[0].message.content is missing";
      throw AgentCallException.permanent(
          "malformed output: openai answered without a message (" + Redactor.redact(detail, key) + ")");
    }
    JsonNode usage = json.path("usage");
    return new ModelReply(
        content.asText(),
        json.path("model").asText(endpoint.model()),
        usage.path("prompt_tokens").asLong(0),
        usage.path("completion_tokens").asLong(0),
        choice.path("finish_reason").asText(""));
  }

  private boolean isOpenAi() {
    String host = URI.create(endpoint.baseUrl()).getHost();
    return host != null && host.endsWith("api.openai.com");
  }
}
