package dev.converge.transforms.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * A local HTTP server on 127.0.0.1 that plays a provider: it answers scripted responses in order
 * and records every request (method, path, headers, body, and the fake time it arrived at).
 */
final class MockProvider implements AutoCloseable {
  record Response(int status, Map<String, String> headers, String body) {}

  record Request(String method, String path, Map<String, String> headers, String body, long atMillis) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** What a faulty server does to a request instead of answering it (see {@link #withFaults}). */
  enum Fault {
    RATE_LIMITED,
    SERVER_ERROR,
    NO_ANSWER,
    MALFORMED_JSON,
    TRUNCATED_BODY,
    CONNECTION_CLOSED
  }

  private final HttpServer server;
  private final Deque<Response> script = new ArrayDeque<>();
  private final List<Request> requests = new ArrayList<>();
  private final LongSupplier clock;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Map<Fault, Integer> injected = new java.util.EnumMap<>(Fault.class);
  private Random faults;
  private double faultRate;
  private Response steady;

  MockProvider(LongSupplier clock) throws IOException {
    this.clock = clock;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          Map<String, String> headers = new TreeMap<>();
          exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
          String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Response response;
          Fault fault = null;
          synchronized (this) {
            requests.add(
                new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body, clock.getAsLong()));
            if (steady != null) {
              fault = nextFault();
              response = steady;
            } else {
              response = script.isEmpty() ? new Response(500, Map.of(), "{\"error\":{\"message\":\"no scripted response\"}}") : script.removeFirst();
            }
          }
          if (fault != null) {
            inject(fault, exchange, response);
            return;
          }
          send(exchange, response, response.body().getBytes(StandardCharsets.UTF_8).length);
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  private static void send(HttpExchange exchange, Response response, int bytesSent) throws IOException {
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes, 0, bytesSent);
    }
  }

  /**
   * From now on answers every request with {@code answer}, except a share {@code rate} of them
   * (chosen by a random generator seeded with {@code seed}) that get the {@link Fault}s in turn.
   */
  synchronized MockProvider withFaults(long seed, double rate, Response answer) {
    faults = new Random(seed);
    faultRate = rate;
    steady = answer;
    return this;
  }

  /** How many requests got each fault. */
  synchronized Map<Fault, Integer> injected() {
    return Map.copyOf(injected);
  }

  private Fault nextFault() {
    if (faults.nextDouble() >= faultRate) {
      return null;
    }
    int count = injected.values().stream().mapToInt(Integer::intValue).sum();
    Fault fault = Fault.values()[count % Fault.values().length];
    injected.merge(fault, 1, Integer::sum);
    return fault;
  }

  private void inject(Fault fault, HttpExchange exchange, Response answer) throws IOException {
    String planted = "{\"error\":{\"message\":\"injected " + fault + "\"}}";
    switch (fault) {
      case RATE_LIMITED -> send(exchange, new Response(429, Map.of("Retry-After", "1"), planted), planted.length());
      case SERVER_ERROR -> send(exchange, new Response(500, Map.of(), planted), planted.length());
      case MALFORMED_JSON -> send(exchange, new Response(200, Map.of(), "{\"id\": \"chatcmpl-1\", \"choices\": [tru"), 30);
      case TRUNCATED_BODY -> {
        try {
          send(exchange, answer, answer.body().length() / 2);
        } catch (IOException expected) {
          // The server refuses to close a body that is shorter than it said: the connection drops.
        }
      }
      case NO_ANSWER -> {
        try {
          closed.await(); // until the client gave up and the test closes the server
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.close();
      }
      case CONNECTION_CLOSED -> exchange.close();
    }
  }

  /** The base URL, for example {@code http://127.0.0.1:41234}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized MockProvider then(int status, Map<String, String> headers, String body) {
    script.addLast(new Response(status, headers, body));
    return this;
  }

  MockProvider then(int status, String body) {
    return then(status, Map.of(), body);
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
  }

  // ------------------------------------------------------------ real response shapes

  static String openAiAnswer(String content, long promptTokens, long completionTokens) {
    return "{\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion\",\"created\":1732000000,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":" + json(content) + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens
        + ",\"total_tokens\":" + (promptTokens + completionTokens) + "},\"system_fingerprint\":\"fp_0123\"}";
  }

  static String openAiError(String message, String type, String code) {
    return "{\"error\":{\"message\":" + json(message) + ",\"type\":\"" + type + "\",\"param\":null,\"code\":\"" + code + "\"}}";
  }

  static String anthropicAnswer(String text, long inputTokens, long outputTokens) {
    return "{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":" + json(text) + "}],"
        + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":" + inputTokens + ",\"output_tokens\":" + outputTokens + "}}";
  }

  static String anthropicError(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":" + json(message) + "}}";
  }

  private static String json(String text) {
    return dev.converge.transforms.model.Json.line(text);
  }
}
