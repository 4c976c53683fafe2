package dev.converge.transforms.agent;

import java.io.Serializable;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the HTTP API agents ({@link OpenAiAgent}, {@link AnthropicAgent}) share: their endpoint,
 * model, key variable, answer settings and limits with the {@code withX} methods that change
 * them, and the key lookup; a subclass adds only its wire format.
 *
 * @param <A> the subclass, which the {@code withX} methods return
 */
public abstract class HttpModelAgent<A extends HttpModelAgent<A>> implements ModelAgent {

  /**
   * The settings of one agent.
   *
   * @param maxTokens the most output tokens of an answer (0: the provider's default)
   * @param temperature null for the provider's default
   */
  protected record Endpoint(
      String id,
      String baseUrl,
      String model,
      String apiKeyEnv,
      long maxTokens,
      Double temperature,
      CallLimits limits,
      Secrets secrets)
      implements Serializable {}

  protected final Endpoint endpoint;

  protected HttpModelAgent(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** {@code model} at {@code baseUrl} with the key in {@code keyVariable}, default limits. */
  protected static Endpoint endpoint(String id, String model, String baseUrl, String keyVariable, long maxTokens) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("agent " + id + " needs a model");
    }
    return new Endpoint(
        Objects.requireNonNull(id, "id"), baseUrl, model, keyVariable, maxTokens, null, CallLimits.DEFAULT,
        Secrets.environment());
  }

  /** This agent with other settings. */
  protected abstract A with(Endpoint changed);

  public A withBaseUrl(String value) {
    URI.create(Http.trimSlash(value));
    Endpoint e = endpoint;
    return with(new Endpoint(e.id, Http.trimSlash(value), e.model, e.apiKeyEnv, e.maxTokens, e.temperature, e.limits, e.secrets));
  }

  /** The environment variable that holds the key (read at call time, never stored). */
  public A withApiKeyEnv(String value) {
    Endpoint e = endpoint;
    return with(new Endpoint(e.id, e.baseUrl, e.model, Objects.requireNonNull(value), e.maxTokens, e.temperature, e.limits, e.secrets));
  }

  public A withMaxTokens(long value) {
    Endpoint e = endpoint;
    return with(new Endpoint(e.id, e.baseUrl, e.model, e.apiKeyEnv, value, e.temperature, e.limits, e.secrets));
  }

  public A withTemperature(Double value) {
    Endpoint e = endpoint;
    return with(new Endpoint(e.id, e.baseUrl, e.model, e.apiKeyEnv, e.maxTokens, value, e.limits, e.secrets));
  }

  public A withLimits(CallLimits value) {
    Endpoint e = endpoint;
    return with(new Endpoint(e.id, e.baseUrl, e.model, e.apiKeyEnv, e.maxTokens, e.temperature, Objects.requireNonNull(value), e.secrets));
  }

  /** Where keys come from (tests); the process environment by default. */
  public A withSecrets(Secrets value) {
    Endpoint e = endpoint;
    return with(new Endpoint(e.id, e.baseUrl, e.model, e.apiKeyEnv, e.maxTokens, e.temperature, e.limits, Objects.requireNonNull(value)));
  }

  @Override
  public String id() {
    return endpoint.id;
  }

  @Override
  public String model() {
    return endpoint.model;
  }

  @Override
  public CallLimits limits() {
    return endpoint.limits;
  }

  /** Agents of one kind at one endpoint with one key share a provider's limits. */
  @Override
  public String providerKey() {
    return kind() + " " + endpoint.baseUrl + " " + endpoint.apiKeyEnv;
  }

  @Override
  public long maxOutputTokens() {
    return endpoint.maxTokens;
  }

  @Override
  public Map<String, String> fingerprint() {
    Map<String, String> fingerprint = new TreeMap<>();
    fingerprint.put("baseUrl", endpoint.baseUrl);
    fingerprint.put("model", endpoint.model);
    fingerprint.put("maxTokens", Long.toString(endpoint.maxTokens));
    fingerprint.put("temperature", String.valueOf(endpoint.temperature));
    return fingerprint;
  }

  /**
   * The key, read now from the agent's variable and remembered for redaction.
   *
   * @throws AgentCallException (not retried) when the variable is not set
   */
  protected String key() throws AgentCallException {
    String key = endpoint.secrets.get(endpoint.apiKeyEnv);
    Redactor.remember(key);
    if (key == null || key.isBlank()) {
      throw AgentCallException.permanent(kind() + ": the API key variable " + endpoint.apiKeyEnv + " is not set");
    }
    return key;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + endpoint.id + ", " + endpoint.model + " at " + endpoint.baseUrl + "]";
  }
}
