package dev.converge.transforms.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's Messages API: {@code POST {baseUrl}/v1/messages} with the contract as {@code system}
 * and the task as one user message, the key in {@code x-api-key} from the environment variable
 * {@code apiKeyEnv}. The answer is the text of the {@code content} blocks; {@code
 * usage.input_tokens} and {@code usage.output_tokens} are counted. 429 and 529 (overloaded) are
 * retried, honouring {@code retry-after}.
 */
public final class AnthropicAgent extends HttpModelAgent<AnthropicAgent> {
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
  public static final String DEFAULT_KEY_VARIABLE = "ANTHROPIC_API_KEY";
  public static final String API_VERSION = "2023-06-01";
  /** The Messages API needs {@code max_tokens}; this is used when the spec gives none. */
  public static final long DEFAULT_MAX_TOKENS = 8192;

  private AnthropicAgent(Endpoint endpoint) {
    super(endpoint);
  }

  public static AnthropicAgent of(String id, String model) {
    return new AnthropicAgent(endpoint(id, model, DEFAULT_BASE_URL, DEFAULT_KEY_VARIABLE, DEFAULT_MAX_TOKENS));
  }

  @Override
  protected AnthropicAgent with(Endpoint changed) {
    return new AnthropicAgent(changed);
  }

  /** The Messages API needs a limit: 0 or less means {@link #DEFAULT_MAX_TOKENS}. */
  @Override
  public AnthropicAgent withMaxTokens(long value) {
    return super.withMaxTokens(value > 0 ? value : DEFAULT_MAX_TOKENS);
  }

  @Override
  public String kind() {
    return "anthropic";
  }

  @Override
  public ModelReply call(ModelCall call) throws AgentCallException, InterruptedException {
    String key = key();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", endpoint.model());
    body.put("max_tokens", endpoint.maxTokens());
    body.put("system", call.prompt().system());
    body.put("messages", List.of(Map.of("role", "user", "content", call.prompt().user())));
    if (endpoint.temperature() != null) {
      body.put("temperature", endpoint.temperature());
    }
    HttpResponse<String> response =
        Http.postJson(
            "anthropic",
            URI.create(endpoint.baseUrl() + "/v1/messages"),
            Map.of("x-api-key", key, "anthropic-version", API_VERSION),
            body,
            call.timeout(),
            key);
    if (response.statusCode() / 100 != 2) {
      throw Http.failure("anthropic", response, key);
    }
    JsonNode json = Http.json("anthropic", response.body(), key);
    JsonNode content = json.path("content");
    if (!content.isArray()) {
      String detail =
          json.has("error") ? Http.errorMessage(response.body()) : "the response has no content array";
      throw AgentCallException.permanent(
          "malformed output: anthropic answered without content (" + Redactor.redact(detail, key) + ")");
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode block : content) {
      if (block.path("type").asText().equals("text")) {
        text.append(block.path("text").asText(""));
      }
    }
    JsonNode usage = json.path("usage");
    return new ModelReply(
        text.toString(),
        json.path("model").asText(endpoint.model()),
        usage.path("input_tokens").asLong(0),
        usage.path("output_tokens").asLong(0),
        json.path("stop_reason").asText(""));
  }
}
