package dev.converge.transforms.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.transforms.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The HTTP and JSON plumbing shared by the API agents (java.net.http and Jackson). */
final class Http {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
  private static final int MESSAGE_CHARS = 300;

  /** One client per JVM; it pools connections (HTTP/2 over TLS where the server offers it). */
  private static final class Tls {
    static final HttpClient CLIENT =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Plain http (local servers such as vLLM, llama.cpp, Ollama): HTTP/1.1, no h2c upgrade dance. */
  private static final class Plain {
    static final HttpClient CLIENT =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  private Http() {}

  /** POSTs {@code body} as JSON; transport failures and timeouts become retryable failures. */
  static HttpResponse<String> postJson(
      String provider, URI uri, Map<String, String> headers, Object body, Duration timeout, String secret)
      throws AgentCallException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.line(body)));
    headers.forEach(request::header);
    HttpClient client = "https".equalsIgnoreCase(uri.getScheme()) ? Tls.CLIENT : Plain.CLIENT;
    // The request's own timeout ends once the headers arrived; a body that stalls after them
    // would hang the call, so the whole exchange gets the same deadline.
    CompletableFuture<HttpResponse<String>> response =
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    try {
      return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      response.cancel(true);
      throw timedOut(provider, timeout);
    } catch (InterruptedException e) {
      response.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HttpTimeoutException) {
        throw timedOut(provider, timeout);
      }
      throw AgentCallException.transientFailure(
          provider + ": connection failed: " + Redactor.redact(String.valueOf(e.getCause().getMessage()), secret),
          null,
          null);
    }
  }

  private static AgentCallException timedOut(String provider, Duration timeout) {
    return AgentCallException.transientFailure(
        provider + ": no answer within " + timeout.toSeconds() + " s (timeout)", null, null);
  }

  /** The failure an HTTP error status stands for; 429, 408, 409 and 5xx may be retried. */
  static AgentCallException failure(String provider, HttpResponse<String> response, String secret) {
    int status = response.statusCode();
    String reason =
        provider + " HTTP " + status + ": " + Redactor.redact(errorMessage(response.body()), secret);
    Duration retryAfter = retryAfter(response.headers()).orElse(null);
    if (status == 429) {
      return AgentCallException.rateLimited(reason, retryAfter);
    }
    if (status == 408 || status == 409 || status >= 500) {
      return AgentCallException.transientFailure(reason, retryAfter, null);
    }
    return AgentCallException.permanent(reason);
  }

  /** The JSON body of a successful response, or a "malformed output" failure. */
  static JsonNode json(String provider, String body, String secret) throws AgentCallException {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw AgentCallException.permanent(
            "malformed output: " + provider + " answered with something that is not a JSON object: "
                + Redactor.redact(shorten(body), secret));
      }
      return node;
    } catch (IOException e) {
      throw AgentCallException.permanent(
          "malformed output: " + provider + " answered with invalid JSON: "
              + Redactor.redact(shorten(body), secret));
    }
  }

  /**
   * How long the server asked to wait: {@code retry-after-ms} (OpenAI), else {@code Retry-After} in
   * seconds or as an HTTP date.
   */
  static Optional<Duration> retryAfter(HttpHeaders headers) {
    Optional<String> millis = headers.firstValue("retry-after-ms");
    if (millis.isPresent()) {
      try {
        return Optional.of(Duration.ofMillis((long) Math.ceil(Double.parseDouble(millis.get().strip()))));
      } catch (NumberFormatException e) {
        // fall through to Retry-After
      }
    }
    Optional<String> value = headers.firstValue("retry-after");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String text = value.get().strip();
    try {
      return Optional.of(Duration.ofMillis((long) Math.ceil(Double.parseDouble(text) * 1000)));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }

  /** The provider's error message ({@code error.message} in OpenAI and Anthropic bodies). */
  static String errorMessage(String body) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node != null) {
        JsonNode error = node.path("error");
        if (error.isTextual()) {
          return shorten(error.asText());
        }
        String message = error.path("message").asText("");
        String type = error.path("type").asText("");
        if (!message.isEmpty()) {
          return shorten(type.isEmpty() ? message : message + " (" + type + ")");
        }
      }
    } catch (IOException e) {
      // not JSON: show the body itself
    }
    return body == null || body.isBlank() ? "(empty body)" : shorten(body);
  }

  static String shorten(String text) {
    String oneLine = text == null ? "" : text.strip().replaceAll("\\s+", " ");
    return oneLine.length() > MESSAGE_CHARS ? oneLine.substring(0, MESSAGE_CHARS) + "..." : oneLine;
  }

  /** {@code base} without trailing slashes. */
  static String trimSlash(String base) {
    String trimmed = base.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }
}
