package dev.converge.transforms.review;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Rules, chunks, findings and fake agents for the review tests. */
final class ReviewFixtures {
  static final Rule SQL = new Rule("sql", "SQL from strings", "use bound parameters", Severity.HIGH, List.of("**/*.py"));
  static final Rule SECRET = new Rule("secret", "Hard-coded secret", "", Severity.CRITICAL, List.of("**/*.py"));
  static final Rule LICENSE = new Rule("license", "Copyleft license", "", Severity.MEDIUM, List.of("**/*.md"));

  /** Calls per fake agent id, across the copies a runner makes of it. */
  static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

  private ReviewFixtures() {}

  static Chunk chunk(String path, int start, int end, List<Rule> rules) {
    StringBuilder text = new StringBuilder();
    for (int line = start; line <= end; line++) {
      text.append("line ").append(line).append('\n');
    }
    return new Chunk("svc", path, "h", start, end, end, text.toString(), rules);
  }

  static Finding finding(String reviewer, int sample, String rule, int start, int end, String message) {
    return new Finding(
        "svc", "app/db.py", rule, Severity.HIGH, start, end, message, reviewer, sample,
        "line " + start + "\n", "line " + start + "\n", start);
  }

  static String json(String rule, int start, int end, String message) {
    return "{\"rule\": \"" + rule + "\", \"startLine\": " + start + ", \"endLine\": " + end
        + ", \"message\": \"" + message + "\"}";
  }

  /**
   * A reviewer and verifier that answers from tables: by file path for reviews (the answer
   * {@code THROW} throws), one verdict text for every verification.
   */
  record FakeAgent(String id, Map<String, String> reviews, String verdict) implements ReviewAgent {
    static FakeAgent reviewing(String id, Map<String, String> reviews) {
      return new FakeAgent(id, reviews, "");
    }

    static FakeAgent verifying(String id, String verdict) {
      return new FakeAgent(id, Map.of(), verdict);
    }

    @Override
    public String kind() {
      return "fake";
    }

    @Override
    public Reply review(Chunk chunk, int sample, String goal, Path dir) throws IOException {
      CALLS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      String answer = reviews.getOrDefault(chunk.path(), "[]");
      if (answer.equals("THROW")) {
        throw new IOException("the fake agent broke");
      }
      return Reply.answered(answer);
    }

    @Override
    public Reply verify(FindingCluster finding, Rule rule, String goal, Path dir) {
      CALLS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      return Reply.answered(verdict);
    }
  }
}
