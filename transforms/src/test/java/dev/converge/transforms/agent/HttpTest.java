package dev.converge.transforms.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpTest {
  private static HttpHeaders headers(Map<String, String> values) {
    return HttpHeaders.of(
        values.entrySet().stream().collect(
            java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
        (a, b) -> true);
  }

  @Test
  void retryAfterInSecondsMillisecondsOrAsADate() {
    assertEquals(Optional.of(Duration.ofSeconds(7)), Http.retryAfter(headers(Map.of("retry-after", "7"))));
    assertEquals(Optional.of(Duration.ofMillis(1500)), Http.retryAfter(headers(Map.of("retry-after", "1.5"))));
    assertEquals(
        Optional.of(Duration.ofMillis(250)),
        Http.retryAfter(headers(Map.of("retry-after-ms", "250", "retry-after", "1"))));
    String inTenSeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
    long wait = Http.retryAfter(headers(Map.of("retry-after", inTenSeconds))).orElseThrow().toSeconds();
    assertTrue(wait >= 8 && wait <= 10, "waits " + wait + " s");
    assertEquals(Optional.empty(), Http.retryAfter(headers(Map.of())));
    assertEquals(Optional.empty(), Http.retryAfter(headers(Map.of("retry-after", "soon"))));
  }

  @Test
  void errorMessagesComeFromBothProvidersBodies() {
    assertEquals(
        "Rate limit reached (requests)",
        Http.errorMessage("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}"));
    assertEquals(
        "Overloaded (overloaded_error)",
        Http.errorMessage("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    assertEquals("upstream connect error", Http.errorMessage("upstream connect error"));
    assertEquals("(empty body)", Http.errorMessage(""));
  }

  @Test
  void keysAreRedacted() {
    assertEquals(
        "Incorrect API key provided: [redacted]. Auth: [redacted]",
        Redactor.redact("Incorrect API key provided: sk-proj-abcdef123456. Auth: Bearer abcdefghijkl"));
    assertEquals("the key [redacted] leaked", Redactor.redact("the key my-own-secret-value leaked", "my-own-secret-value"));
  }
}
