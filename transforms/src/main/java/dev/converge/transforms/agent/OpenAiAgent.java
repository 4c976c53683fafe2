package dev.converge.transforms.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp, Ollama, OpenRouter,
 * ...): {@code POST {baseUrl}/chat/completions} with a system and a user message, the key as a
 * bearer token from the environment variable {@code apiKeyEnv}. The answer is {@code
 * choices[0].message.content}; {@code usage.prompt_tokens} and {@code usage.completion_tokens}
 * are counted.
 */
public final class OpenAiAgent implements ModelAgent {
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  public static final String DEFAULT_KEY_VARIABLE = "OPENAI_API_KEY";

  private final String id;
  private final String baseUrl;
  private final String model;
  private final String apiKeyEnv;
  private final long maxTokens;
  private final Double temperature;
  private final CallLimits limits;
  private final Secrets secrets;

  private OpenAiAgent(
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

  public static OpenAiAgent of(String id, String model) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("agent " + id + " needs a model");
    }
    return new OpenAiAgent(
        Objects.requireNonNull(id, "id"), DEFAULT_BASE_URL, model, DEFAULT_KEY_VARIABLE, 0, null,
        CallLimits.DEFAULT, Secrets.environment());
  }

  public OpenAiAgent withBaseUrl(String value) {
    URI.create(Http.trimSlash(value));
    return new OpenAiAgent(id, Http.trimSlash(value), model, apiKeyEnv, maxTokens, temperature, limits, secrets);
  }

  /** The environment variable that holds the key (read at call time, never stored). */
  public OpenAiAgent withApiKeyEnv(String value) {
    return new OpenAiAgent(id, baseUrl, model, Objects.requireNonNull(value), maxTokens, temperature, limits, secrets);
  }

  public OpenAiAgent withMaxTokens(long value) {
    return new OpenAiAgent(id, baseUrl, model, apiKeyEnv, value, temperature, limits, secrets);
  }

  public OpenAiAgent withTemperature(Double value) {
    return new OpenAiAgent(id, baseUrl, model, apiKeyEnv, maxTokens, value, limits, secrets);
  }

  public OpenAiAgent withLimits(CallLimits value) {
    return new OpenAiAgent(id, baseUrl, model, apiKeyEnv, maxTokens, temperature, Objects.requireNonNull(value), secrets);
  }

  /** Where keys come from (tests); the process environment by default. */
  public OpenAiAgent withSecrets(Secrets value) {
    return new OpenAiAgent(id, baseUrl, model, apiKeyEnv, maxTokens, temperature, limits, Objects.requireNonNull(value));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String kind() {
    return "openai";
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
    return "openai " + baseUrl + " " + apiKeyEnv;
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
          "openai: the API key variable " + apiKeyEnv + " is not set");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model);
    List<Map<String, String>> messages = new ArrayList<>();
    messages.add(Map.of("role", "system", "content", call.prompt().system()));
    messages.add(Map.of("role", "user", "content", call.prompt().user()));
    body.put("messages", messages);
    if (maxTokens > 0) {
      // OpenAI's own API wants max_completion_tokens (its newer models refuse max_tokens); the
      // compatible servers (vLLM, llama.cpp, Ollama, ...) know max_tokens.
      body.put(isOpenAi() ? "max_completion_tokens" : "max_tokens", maxTokens);
    }
    if (temperature != null) {
      body.put("temperature", temperature);
    }
    HttpResponse<String> response =
        Http.postJson(
            "openai",
            URI.create(baseUrl + "/chat/completions"),
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
        json.path("model").asText(model),
        usage.path("prompt_tokens").asLong(0),
        usage.path("completion_tokens").asLong(0),
        choice.path("finish_reason").asText(""));
  }

  private boolean isOpenAi() {
    String host = URI.create(baseUrl).getHost();
    return host != null && host.endsWith("api.openai.com");
  }

  @Override
  public String toString() {
    return "OpenAiAgent[" + id + ", " + model + " at " + baseUrl + "]";
  }
}
