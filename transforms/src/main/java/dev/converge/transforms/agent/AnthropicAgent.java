package dev.converge.transforms.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Anthropic's Messages API: {@code POST {baseUrl}/v1/messages} with the contract as {@code system}
 * and the task as one user message, the key in {@code x-api-key} from the environment variable
 * {@code apiKeyEnv}. The answer is the text of the {@code content} blocks; {@code
 * usage.input_tokens} and {@code usage.output_tokens} are counted. 429 and 529 (overloaded) are
 * retried, honouring {@code retry-after}.
 */
public final class AnthropicAgent implements ModelAgent {
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
  public static final String DEFAULT_KEY_VARIABLE = "ANTHROPIC_API_KEY";
  public static final String API_VERSION = "2023-06-01";
  /** The Messages API needs {@code max_tokens}; this is used when the spec gives none. */
  public static final long DEFAULT_MAX_TOKENS = 8192;

  private final String id;
  private final String baseUrl;
  private final String model;
  private final String apiKeyEnv;
  private final long maxTokens;
  private final Double temperature;
  private final CallLimits limits;
  private final Secrets secrets;

  private AnthropicAgent(
      String id,
      String baseUrl,
      String model,
      String apiKeyEnv,
      long maxTokens,
      Double temperature,
      CallLimits limits,
      Secrets secrets) {
    this.id = id;
    this.baseUrl = baseUrl;
    this.model = model;
    this.apiKeyEnv = apiKeyEnv;
    this.maxTokens = maxTokens;
    this.temperature = temperature;
    this.limits = limits;
    this.secrets = secrets;
  }

  public static AnthropicAgent of(String id, String model) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("agent " + id + " needs a model");
    }
    return new AnthropicAgent(
        Objects.requireNonNull(id, "id"), DEFAULT_BASE_URL, model, DEFAULT_KEY_VARIABLE,
        DEFAULT_MAX_TOKENS, null, CallLimits.DEFAULT, Secrets.environment());
  }

  public AnthropicAgent withBaseUrl(String value) {
    URI.create(Http.trimSlash(value));
    return new AnthropicAgent(id, Http.trimSlash(value), model, apiKeyEnv, maxTokens, temperature, limits, secrets);
  }

  public AnthropicAgent withApiKeyEnv(String value) {
    return new AnthropicAgent(id, baseUrl, model, Objects.requireNonNull(value), maxTokens, temperature, limits, secrets);
  }

  public AnthropicAgent withMaxTokens(long value) {
    return new AnthropicAgent(id, baseUrl, model, apiKeyEnv, value > 0 ? value : DEFAULT_MAX_TOKENS, temperature, limits, secrets);
  }

  public AnthropicAgent withTemperature(Double value) {
    return new AnthropicAgent(id, baseUrl, model, apiKeyEnv, maxTokens, value, limits, secrets);
  }

  public AnthropicAgent withLimits(CallLimits value) {
    return new AnthropicAgent(id, baseUrl, model, apiKeyEnv, maxTokens, temperature, Objects.requireNonNull(value), secrets);
  }

  public AnthropicAgent withSecrets(Secrets value) {
    return new AnthropicAgent(id, baseUrl, model, apiKeyEnv, maxTokens, temperature, limits, Objects.requireNonNull(value));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String kind() {
    return "anthropic";
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public CallLimits limits() {
    return limits;
  }

  @Override
  public String providerKey() {
    return "anthropic " + baseUrl + " " + apiKeyEnv;
  }

  @Override
  public long maxOutputTokens() {
    return maxTokens;
  }

  @Override
  public Map<String, String> fingerprint() {
    Map<String, String> fingerprint = new TreeMap<>();
    fingerprint.put("baseUrl", baseUrl);
    fingerprint.put("model", model);
    fingerprint.put("maxTokens", Long.toString(maxTokens));
    fingerprint.put("temperature", String.valueOf(temperature));
    return fingerprint;
  }

  @Override
  public ModelReply call(ModelCall call) throws AgentCallException, InterruptedException {
    String key = secrets.get(apiKeyEnv);
    Redactor.remember(key);
    if (key == null || key.isBlank()) {
      throw AgentCallException.permanent(
          "anthropic: the API key variable " + apiKeyEnv + " is not set");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model);
    body.put("max_tokens", maxTokens);
    body.put("system", call.prompt().system());
    body.put("messages", List.of(Map.of("role", "user", "content", call.prompt().user())));
    if (temperature != null) {
      body.put("temperature", temperature);
    }
    HttpResponse<String> response =
        Http.postJson(
            "anthropic",
            URI.create(baseUrl + "/v1/messages"),
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
        json.path("model").asText(model),
        usage.path("input_tokens").asLong(0),
        usage.path("output_tokens").asLong(0),
        json.path("stop_reason").asText(""));
  }

  @Override
  public String toString() {
    return "AnthropicAgent[" + id + ", " + model + " at " + baseUrl + "]";
  }
}
